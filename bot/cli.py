"""The ``renewal-bot`` command: run the bot, try it in a demo, check a config or the catalog."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot import __version__
from bot.config import ConfigError, load_config


class _RedactSecrets(logging.Filter):
    """Belt and braces: never let an access token reach a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if "access_token" in msg or "Bearer " in msg:
            record.msg = "[a log line that carried a secret was redacted]"
            record.args = ()
        return True


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # nio logs request URLs at DEBUG and warnings on every retry: keep it at WARNING.
    for noisy in ("nio", "aiohttp", "apscheduler", "peewee"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # nio 0.26 warns on every room version 12 create event (its schema predates it): not news.
    logging.getLogger("nio.events.misc").setLevel(logging.ERROR)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="renewal-bot",
        description="A Matrix bot that reminds you before your prepaid SIM cards, data cards and "
        "eSIMs expire, and points only to official ways to renew.",
    )
    p.add_argument("--version", action="version", version=f"renewal-bot {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run the bot")
    run.add_argument("--config", "-c", required=True, help="path to the TOML config file")

    chk = sub.add_parser("check-config", help="validate a config file and exit")
    chk.add_argument("--config", "-c", required=True, help="path to the TOML config file")

    demo = sub.add_parser(
        "demo",
        help="start a throwaway local homeserver and the bot, and chat with it",
        add_help=False,
    )
    demo.add_argument("args", nargs=argparse.REMAINDER)

    cat = sub.add_parser("catalog", help="provider catalog tools")
    cat_sub = cat.add_subparsers(dest="catalog_command", metavar="SUBCOMMAND")
    cat_check = cat_sub.add_parser("check", help="validate the provider catalog")
    cat_check.add_argument("--max-age-days", type=int, default=365, help="warn about facts checked longer ago")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:
        from bot.demo import main as demo_main

        return demo_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("run", "check-config"):
        try:
            config = load_config(args.config)
        except ConfigError as exc:
            print(f"renewal-bot: {exc}", file=sys.stderr)
            return 2
        if args.command == "check-config":
            print(f"{args.config}: OK ({config.matrix.user_id} on {config.matrix.homeserver})")
            return 0
        setup_logging(config.bot.log_level)
        from bot.app import run_bot

        try:
            return asyncio.run(run_bot(config))
        except KeyboardInterrupt:
            return 0
        except Exception as exc:
            from bot.matrix.session import LoginFailed

            if isinstance(exc, LoginFailed):
                print(f"renewal-bot: {exc}", file=sys.stderr)
                return 3
            raise
    if args.command == "catalog":
        if args.catalog_command == "check":
            from bot.catalog.checks import catalog_check_main

            return catalog_check_main(["--max-age-days", str(args.max_age_days)])
        parser.parse_args(["catalog", "--help"])
    parser.print_help()
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
