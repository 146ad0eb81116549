"""`renewal-bot demo`: try the bot end to end on a throwaway local homeserver.

It starts Synapse (default rate limits, like a real server), registers an admin, the bot and a
demo user, exempts the bot from rate limits as an operator would, runs the real bot as a
subprocess, opens a DM with it as the demo user, and then lets you chat with it from the terminal
(or from any Matrix client pointed at the printed URL).

`--non-interactive` sends a short script and checks that every message gets a Matrix reply from
the bot; the integration test and CI use it as an end-to-end check.

Everything lives under the data directory and is recreated at each start: nothing in it is
secret or worth keeping (the homeserver is new each time, so the bot's stored login would be
stale anyway).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import secrets
import shlex
import shutil
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from bot.dev.cli import DEFAULT_SCRIPT, DESCRIPTION, add_arguments
from bot.dev.client import MatrixUser, ReceivedMessage
from bot.dev.process import BotProcess
from bot.dev.server import Homeserver, HomeserverError, Registered, write_toml

__all__ = ["main", "local_timezone_name", "write_bot_config"]

T = TypeVar("T")

BOT_LOCALPART = "renewal-bot"
DEMO_LOCALPART = "demo"
ADMIN_LOCALPART = "admin"

#: What the demo creates inside --data-dir, and so may delete again. Nothing else is touched,
#: so pointing --data-dir at a directory with other files in it is safe.
OWNED = ("homeserver", "bot", "demo-user", "bot.toml", "bot.log", "demo.log")


class DemoError(RuntimeError):
    """A failure worth one clear line to the user (not a traceback)."""


# ---------------------------------------------------------------------- helpers
def local_timezone_name() -> str:
    """The machine's IANA zone name ($TZ, /etc/timezone, /etc/localtime link), else "UTC"."""
    from zoneinfo import ZoneInfo

    candidates: list[str] = []
    if tz := os.environ.get("TZ"):
        candidates.append(tz.lstrip(":"))
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    with contextlib.suppress(OSError):
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    for name in candidates:
        if not name or name.startswith("/") or name.lower() in ("localtime", "posixrules"):
            continue
        try:
            ZoneInfo(name)
        except (ValueError, OSError, KeyError):
            continue
        return name
    return "UTC"


def write_bot_config(
    path: Path,
    *,
    homeserver_url: str,
    user_id: str,
    password: str,
    data_dir: Path,
    server_name: str,
    admins: Sequence[str],
    timezone: str,
) -> None:
    """Write the bot's TOML config for this demo (format agreed with bot/config.py)."""
    write_toml(
        path,
        {
            "matrix": {
                "homeserver": homeserver_url, "user_id": user_id, "password": password,
                "device_name": "renewal-bot demo",
            },
            "bot": {"data_dir": str(data_dir), "default_timezone": timezone, "default_time": "09:00"},
            "access": {"allowed_users": [f"@*:{server_name}"], "admins": list(admins)},
        },
        header="Written by `renewal-bot demo`; recreated at every demo start.",
    )


def _wipe(data_dir: Path) -> None:
    for name in OWNED:
        p = data_dir / name
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        elif p.exists() or p.is_symlink():
            p.unlink()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return f"(no {path})"
    return f"--- tail of {path} ---\n" + ("\n".join(text) or "(empty)")


def _bot_env() -> dict[str, str]:
    """Make `-m bot` importable in the child even when the package is not pip-installed, and
    whatever its working directory holds: it runs in the data dir, whose ``bot/`` folder (the
    bot's data) would otherwise be imported as the package under an editable install."""
    env = dict(os.environ)
    src = Path(__file__).resolve().parents[2]  # the checkout: bot/dev/demo.py -> repo root
    if (src / "pyproject.toml").exists():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _died(bot: BotProcess) -> str:
    return f"the bot exited with code {bot.exited()}.\n{_tail(bot.log_path)}"


async def _unless_bot_dies(bot: BotProcess, aw: Awaitable[T]) -> T:
    """Await `aw`, but fail at once (with the bot's log) if the bot process exits meanwhile."""
    task = asyncio.ensure_future(aw)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=0.25)
            if done:
                return task.result()
            if bot.exited() is not None:
                raise DemoError(_died(bot))
    finally:
        task.cancel()
        with contextlib.suppress(BaseException):
            await task


def _print_bot(body: str | None, out: IO[str] = sys.stdout) -> None:
    lines = (body or "").splitlines() or [""]
    print("bot> " + lines[0], file=out)
    for line in lines[1:]:
        print("     " + line, file=out)
    out.flush()


# ---------------------------------------------------------------------- the session
@dataclass
class Setup:
    hs: Homeserver
    bot: BotProcess
    bot_user: Registered
    demo_user: Registered
    admin_user: Registered
    data_dir: Path


async def _session(args: argparse.Namespace, s: Setup) -> int:
    store = s.data_dir / "demo-user"
    user = await MatrixUser.connect(
        s.hs.url,
        s.demo_user,
        encryption=args.encrypted,
        store_dir=store if args.encrypted else None,
        max_limit_exceeded=5,  # a human typing fast may hit the default limits: wait, then fail
        max_timeouts=3,
    )
    try:
        room_id = await user.create_dm(s.bot_user.user_id, encrypted=args.encrypted)
        print(f"Opened a DM {room_id} with the bot; waiting for it to join ...", flush=True)
        try:
            await _unless_bot_dies(
                s.bot,
                user.wait_for_join(room_id, s.bot_user.user_id, timeout=args.start_timeout),
            )
        except TimeoutError:
            raise DemoError(
                f"the bot did not join the DM within {args.start_timeout:g} s.\n"
                f"{_tail(s.bot.log_path)}"
            ) from None
        print("The bot joined.\n", flush=True)
        _print_banner(args, s, room_id)
        if args.non_interactive:
            return await _run_script(args, s, user, room_id)
        return await _interactive(s, user, room_id)
    finally:
        await user.close()


def _print_banner(args: argparse.Namespace, s: Setup, room_id: str) -> None:
    url = s.hs.url
    print(
        f"""\
Homeserver  {url}   (Synapse, server name "{s.hs.server_name}", default rate limits)
You         {s.demo_user.user_id}   password: {s.demo_user.password}
Bot         {s.bot_user.user_id}   password: {s.bot_user.password}   (exempt from rate limits)
Admin       {s.admin_user.user_id}   password: {s.admin_user.password}
DM room     {room_id}{"   (encrypted)" if args.encrypted else ""}
Bot log     {s.bot.log_path}
Homeserver log {s.hs.log_path}

To use any Matrix client (e.g. Element Desktop) instead of this prompt: sign in, choose
"Edit" next to the homeserver and enter {url}, then log in as "{DEMO_LOCALPART}" with the
password above; the DM with the bot is already there. The server listens on 127.0.0.1 only,
so the client must run on this machine, and a web client served over https cannot reach a
plain-http homeserver (use Element Desktop, or a client served from localhost). Everything is
wiped when the demo restarts.
""",
        flush=True,
    )


async def _run_script(
    args: argparse.Namespace, s: Setup, user: MatrixUser, room_id: str
) -> int:
    script: list[str] = args.say or DEFAULT_SCRIPT
    missing: list[str] = []
    for text in script:
        event_id = await user.send_text(room_id, text)
        print(f"you> {text}", flush=True)
        try:
            reply: ReceivedMessage = await _unless_bot_dies(
                s.bot,
                user.wait_for_reply(
                    room_id, event_id, sender=s.bot_user.user_id, timeout=args.timeout
                ),
            )
        except TimeoutError:
            print(f"!! no reply from the bot within {args.timeout:g} s", flush=True)
            missing.append(text)
            continue
        _print_bot(reply.body)
    if missing:
        print(
            f"\nFAILED: the bot did not reply to {len(missing)} of {len(script)} messages: "
            + ", ".join(repr(t) for t in missing)
            + f"\n{_tail(s.bot.log_path)}",
            file=sys.stderr,
            flush=True,
        )
        return 1
    print(f"\nOK: the bot replied to all {len(script)} messages.", flush=True)
    return 0


def _start_stdin_reader(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
    """Read lines in a daemon thread: works for ttys, pipes and files alike, and never keeps
    the process alive at exit (unlike an executor thread blocked in input())."""

    def reader() -> None:
        try:
            for line in sys.stdin:
                loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\r\n"))
        except (OSError, ValueError, RuntimeError):
            pass
        with contextlib.suppress(RuntimeError):  # loop already closed
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=reader, name="stdin", daemon=True).start()


async def _await_replies(arrived: asyncio.Event, first: float = 30.0, quiet: float = 1.5) -> None:
    """Piped input (``printf 'help\\n/quit' | renewal-bot demo``) has no person waiting at the
    prompt: wait for the bot's answer (up to ``first`` seconds) and for any further messages it
    sends within ``quiet`` seconds, so that the transcript holds every reply before the next line
    (and before /quit or the end of input ends the demo)."""
    timeout = first
    while True:
        try:
            await asyncio.wait_for(arrived.wait(), timeout)
        except TimeoutError:
            return
        arrived.clear()
        timeout = quiet


async def _interactive(s: Setup, user: MatrixUser, room_id: str) -> int:
    print('Type a message for the bot (try "help"); /quit or Ctrl-D to stop.\n', flush=True)
    prompt = "you> "
    interactive_tty = sys.stdin.isatty()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    _start_stdin_reader(asyncio.get_running_loop(), queue)
    since = user.mark(room_id)
    arrived = asyncio.Event()  # set by each bot message: a piped transcript waits for replies

    async def show_bot_messages() -> None:
        nonlocal since
        while True:
            try:
                m = await user.wait_for_message(
                    room_id, sender=s.bot_user.user_id, since=since, timeout=3600
                )
            except TimeoutError:
                continue
            since = m.index + 1
            arrived.set()
            sys.stdout.write("\r")
            _print_bot(m.body)
            if interactive_tty:  # redraw the prompt the reply overwrote; a transcript needs none
                sys.stdout.write(prompt)
            sys.stdout.flush()

    async def watch_bot() -> None:
        while s.bot.exited() is None:
            await asyncio.sleep(0.5)

    printer = asyncio.create_task(show_bot_messages())
    watcher = asyncio.create_task(watch_bot())
    try:
        while True:
            sys.stdout.write(prompt)
            sys.stdout.flush()
            get = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({get, watcher}, return_when=asyncio.FIRST_COMPLETED)
            if watcher in done:
                get.cancel()
                print(f"\n{_died(s.bot)}", file=sys.stderr)
                return 1
            line = get.result()
            if line is None or line.strip() in ("/quit", "/exit", "/q"):
                print("" if line is None or interactive_tty else line.strip(), flush=True)
                return 0
            if not interactive_tty:
                print(line, flush=True)  # no terminal echo: keep the transcript readable
            if not line.strip():
                continue
            arrived.clear()
            await user.send_text(room_id, line)
            if not interactive_tty:
                await _await_replies(arrived)
    finally:
        printer.cancel()
        watcher.cancel()
        for t in (printer, watcher):
            with contextlib.suppress(BaseException):
                await t


# ---------------------------------------------------------------------- main
def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="renewal-bot demo", description=DESCRIPTION)
    add_arguments(p)
    return p.parse_args(argv)


def _log_to_file(path: Path) -> None:
    """Send library log records (nio's warnings about E2EE sessions, ...) to a file, not over
    the chat prompt. Leaves logging alone if the caller already configured it."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.WARNING)


def _set_signal(signum: int, handler: Any) -> Any:
    """signal.signal that is a no-op off the main thread (main() may be called from one)."""
    if handler is None:
        return None
    try:
        return signal.signal(signum, handler)
    except ValueError:
        return None


def _on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # unwind through the same clean-up as Ctrl-C


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.dev.demo``: the demo with its own argv."""
    return run(_parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Run the demo; return the process exit code. Always stops the bot and the homeserver."""
    data_dir: Path = args.data_dir.resolve()
    bot_command = (
        shlex.split(args.bot_command) if args.bot_command else [sys.executable, "-m", "bot"]
    )
    previous = _set_signal(signal.SIGTERM, _on_sigterm)
    previous_int = signal.getsignal(signal.SIGINT)
    hs: Homeserver | None = None
    bot: BotProcess | None = None
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        _wipe(data_dir)
        _log_to_file(data_dir / "demo.log")
        print(f"Starting a local Synapse in {data_dir / 'homeserver'} ...", flush=True)
        t0 = time.monotonic()
        hs = Homeserver(data_dir / "homeserver", ratelimits=True, port=args.port)
        hs.start()
        print(f"Synapse is up at {hs.url} ({time.monotonic() - t0:.1f} s).", flush=True)

        admin_user = hs.register(ADMIN_LOCALPART, secrets.token_urlsafe(12), admin=True)
        bot_user = hs.register(BOT_LOCALPART, secrets.token_urlsafe(12))
        demo_user = hs.register(DEMO_LOCALPART, secrets.token_urlsafe(12))
        hs.override_ratelimit(bot_user.user_id, admin_user.access_token)

        config = data_dir / "bot.toml"
        bot_data = data_dir / "bot"
        bot_data.mkdir()
        write_bot_config(
            config,
            homeserver_url=hs.url,
            user_id=bot_user.user_id,
            password=bot_user.password,
            data_dir=bot_data,
            server_name=hs.server_name,
            admins=[demo_user.user_id],
            timezone=local_timezone_name(),
        )
        print(f"Starting the bot: {shlex.join([*bot_command, 'run', '--config', str(config)])}")
        # In the config's folder (whose ``bot/`` data folder must not shadow the package), in a
        # session of its own: our Ctrl-C handling stops it, in order.
        bot = BotProcess(config, data_dir / "bot.log", command=bot_command, cwd=config.parent, env=_bot_env(),
                         new_session=True).start(wait_ready=False)
        setup = Setup(hs, bot, bot_user, demo_user, admin_user, data_dir)
        return asyncio.run(_session(args, setup))
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except (DemoError, HomeserverError, OSError) as e:
        print(f"\ndemo failed: {e}", file=sys.stderr)
        return 1
    finally:
        # Ignore a second Ctrl-C/SIGTERM while we stop things in order.
        _set_signal(signal.SIGINT, signal.SIG_IGN)
        _set_signal(signal.SIGTERM, signal.SIG_IGN)
        if bot is not None:
            code = bot.stop(timeout=15.0)
            print(f"Bot stopped (exit code {code}).", flush=True)
        if hs is not None:
            hs.stop()
            print("Homeserver stopped.", flush=True)
        _set_signal(signal.SIGTERM, previous)
        _set_signal(signal.SIGINT, previous_int)


if __name__ == "__main__":
    sys.exit(main())
