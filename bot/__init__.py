"""renewal-bot: reminders before prepaid SIM cards, data cards and eSIMs expire."""
from importlib.metadata import PackageNotFoundError, version

try:
    #: From the installed package's metadata: the version is written once, in pyproject.toml.
    __version__ = version("renewal-bot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
