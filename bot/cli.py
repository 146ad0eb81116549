"""The ``renewal-bot`` command: run the bot, try it in a demo, check a config or the catalog."""
from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from collections.abc import Callable
from urllib.parse import urlsplit

from bot import __version__
from bot.config import Config, ConfigError, load_config


class _RedactSecrets(logging.Filter):
    """Belt and braces: never let an access token reach a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if "access_token" in msg or "Bearer " in msg:
            record.msg = "[a log line that carried a secret was redacted]"
            record.args = ()
        return True


def setup_logging(level: str, fmt: str = "text") -> None:
    """``fmt`` "json": one JSON object per line (bot/logjson.py), for log shippers."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        from bot.logjson import JsonFormatter

        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # nio logs request URLs at DEBUG and warnings on every retry: keep it at WARNING. APScheduler
    # (the outbox's alarm, bot/alarm.py) logs four INFO lines each time the loop sleeps and wakes.
    for noisy in ("nio", "aiohttp", "peewee", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # nio 0.26 warns on every room version 12 create event (its schema predates it): not news.
    logging.getLogger("nio.events.misc").setLevel(logging.ERROR)


Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The whole command line as one argparse tree. Each subcommand sets ``func``, the function
    that runs it; a subcommand's options are defined by the module that owns it (``add_arguments``)
    and its code is imported only when it runs."""
    p = argparse.ArgumentParser(
        prog="renewal-bot",
        description="A Matrix bot that reminds you before your prepaid SIM cards, data cards and "
        "eSIMs expire, and points only to official ways to renew.",
    )
    p.add_argument("--version", action="version", version=f"renewal-bot {__version__}")
    p.set_defaults(func=_usage(p))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run the bot")
    run.add_argument("--config", "-c", required=True, help="path to the TOML config file")
    run.set_defaults(func=_run)

    chk = sub.add_parser("check-config", help="validate a config file and exit")
    chk.add_argument("--config", "-c", required=True, help="path to the TOML config file")
    chk.set_defaults(func=_check_config)

    from bot.dev import cli as demo_cli

    demo = sub.add_parser(
        "demo", help="start a throwaway local homeserver and the bot, and chat with it",
        description=demo_cli.DESCRIPTION,
    )
    demo_cli.add_arguments(demo)
    demo.set_defaults(func=_demo)

    from bot.catalog import checks

    xs = sub.add_parser("cross-signing", help="the bot's cross-signing identity (see README, Verifying the bot)")
    xs_sub = xs.add_subparsers(dest="xs_command", metavar="SUBCOMMAND")
    for name, text in (
        ("status", "show the master-key fingerprint and whether this device is signed"),
        ("reset", "replace the account's cross-signing identity with a new one (needs the password); "
                  "writes its new recovery key to a 0600 file (shown on a terminal)"),
    ):
        one = xs_sub.add_parser(name, help=text)
        one.add_argument("--config", "-c", required=True, help="path to the TOML config file")
        one.set_defaults(func=_cross_signing, xs_command=name)
    xs.set_defaults(func=_usage(xs))

    cat = sub.add_parser("catalog", help="provider catalog tools")
    cat.set_defaults(func=_usage(cat))
    cat_sub = cat.add_subparsers(dest="catalog_command", metavar="SUBCOMMAND")
    cat_check = cat_sub.add_parser("check", help="validate the provider catalog", description=_plain(checks.__doc__))
    checks.add_arguments(cat_check)
    cat_check.set_defaults(func=checks.run)
    from bot import dbtools

    db = sub.add_parser("db", help="database tools: backup, restore, check, copy", description=_plain(dbtools.__doc__),
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    db.set_defaults(func=_usage(db))
    dbtools.add_arguments(db)

    from bot import scam_check

    scam = sub.add_parser(
        "scam-check", help="judge messages from stdin (one per line) and print one JSON verdict per line",
        description=_plain(scam_check.DESCRIPTION), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scam_check.add_arguments(scam)
    scam.set_defaults(func=scam_check.run)
    return p


_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def _plain(doc: str | None) -> str | None:
    """A module docstring as an operator reads it in ``--help``: no reStructuredText markup."""
    if doc is None:
        return None
    return _ROLE.sub(r"\1", doc).replace("``", "")


def _usage(parser: argparse.ArgumentParser) -> Handler:
    """A command without its subcommand: show what there is, exit 2."""

    def show(args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return show


def _load(path: str) -> Config | None:
    try:
        return load_config(path)
    except ConfigError as exc:
        print(f"renewal-bot: {exc}", file=sys.stderr)
        return None


#: Domains reserved for examples (RFC 2606): a config that names them was copied and not filled in.
_EXAMPLE_DOMAIN = re.compile(r"(^|[.:@*])example\.(org|com|net)$", re.IGNORECASE)


def example_values(config: Config) -> list[str]:
    """The keys that still hold config.example.toml's placeholders, each with what to put there.

    A copied example is valid TOML with valid values, so without this ``check-config`` says OK to
    a config that cannot work."""
    out: list[str] = []
    host = urlsplit(config.matrix.homeserver).hostname or ""
    if _EXAMPLE_DOMAIN.search(host):
        out.append(f"matrix.homeserver = {config.matrix.homeserver!r}: your homeserver's client API address")
    if _EXAMPLE_DOMAIN.search(config.matrix.server_name):
        out.append(f"matrix.user_id = {config.matrix.user_id!r}: the bot's own account on your homeserver")
    password = config.matrix.password
    if password is not None and password.get_secret_value() == "change-me":
        out.append("matrix.password: the example's placeholder; the bot account's password "
                   "(better: password_file or password_env)")
    for key, values in (("access.allowed_users", config.access.allowed_users),
                        ("access.admins", config.access.admins)):
        bad = [v for v in values if _EXAMPLE_DOMAIN.search(v)]
        if bad:
            out.append(f"{key} = {bad!r}: user IDs (patterns for allowed_users) of your homeserver")
    return out


def _check_config(args: argparse.Namespace) -> int:
    config = _load(args.config)
    if config is None:
        return 2
    todo = example_values(config)
    if todo:
        print(f"{args.config}: valid, but it still holds config.example.toml's placeholders; "
              "change these before `renewal-bot run`:")
        for item in todo:
            print(f"  {item}")
        return 1
    print(f"{args.config}: OK ({config.matrix.user_id} on {config.matrix.homeserver})")
    return 0


def _run(args: argparse.Namespace) -> int:
    config = _load(args.config)
    if config is None:
        return 2
    setup_logging(config.bot.log_level, config.bot.log_format)
    from bot.app import StartupError, run_bot
    from bot.matrix.session import LoginFailed

    try:
        return asyncio.run(run_bot(config))
    except KeyboardInterrupt:
        return 0
    except LoginFailed as exc:
        return _fatal(config, f"renewal-bot: {exc}", 3)
    except StartupError as exc:
        return _fatal(config, f"renewal-bot: cannot start: {exc}", 4)


def _fatal(config: Config, line: str, code: int) -> int:
    """One line on stderr (the log, under a supervisor) and a non-zero exit: a supervisor sees a
    failure, not a process that runs and does nothing. JSON logs get it as JSON, so a log store
    that parses every line does not drop the one that says why the bot stopped."""
    if config.bot.log_format == "json":
        logging.getLogger("bot").error("%s", line)
    else:
        print(line, file=sys.stderr)
    return code


def _cross_signing(args: argparse.Namespace) -> int:
    config = _load(args.config)
    if config is None:
        return 2
    setup_logging(config.bot.log_level)
    from bot.matrix.identity import cross_signing_main

    return asyncio.run(cross_signing_main(config, args.xs_command))


def _demo(args: argparse.Namespace) -> int:
    import importlib.util

    if importlib.util.find_spec("synapse") is None:  # the harness runs Synapse: the [demo] extra
        print("renewal-bot: the demo needs a local Synapse: pip install 'renewal-bot[demo]' "
              "(or run scripts/demo from a checkout)", file=sys.stderr)
        return 2
    from bot.dev.demo import run

    return run(args)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
