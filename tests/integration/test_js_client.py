"""Element's own crypto stack against the bot: matrix-js-sdk with Rust crypto and "exclude
insecure devices" (OnlySignedDevicesIsolationMode, MSC4153), in an encrypted DM.

Before the bot had a cross-signing identity this failed both ways: the client would not share
its room keys with the bot's unsigned device, and showed the bot's messages as undecryptable.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from bot.dev.server import Homeserver
from bot.matrix.crosssigning import fingerprint
from tests.integration.bot_process import BotProcess
from tests.integration.element_js import JS_DIR, ElementClient, node_binary
from tests.integration.matrix_user import MakeUser
from tests.integration.test_bot_pings import coming_minute, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def node() -> str:
    return node_binary()


#: The spec's recommended HTML subset (client-server API, m.room.message msgtypes), less the
#: table tags that Element X strips.
ALLOWED_TAGS = {
    "del", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "p", "a", "ul", "ol", "sup", "sub", "li", "b", "i",
    "u", "strong", "em", "s", "code", "hr", "br", "div", "caption", "pre", "span", "img", "details", "summary",
    "font",
}


def assert_clean(msg: dict) -> None:  # type: ignore[type-arg]
    """What every bot message must look like to an Element user."""
    assert msg["decryption_failure"] is None, msg
    assert msg["encrypted"] and msg["shield"] == "NONE", (msg["shield"], msg["shield_reason"])
    html = msg["content"].get("formatted_body", "")
    assert "<table" not in html and "<mx-reply>" not in html
    tags = {t.lower() for t in re.findall(r"</?([a-zA-Z][a-zA-Z0-9-]*)", html)}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    assert not msg["content"]["body"].startswith("> <@"), "no reply fallback"


async def test_element_rust_crypto_exclude_insecure_devices(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess, node: str, tmp_path: Path
) -> None:
    due = coming_minute(margin_s=25)
    user = make_user("element")
    client = await ElementClient.start(node, homeserver.url, user, tmp_path / "js")
    try:
        room = await client.dm(bot.user_id)
        r = await client.ask(room, "help", timeout=40)
        assert_clean(r)
        assert "Commands:" in r["content"]["body"]
        assert_clean(await client.ask(room, "timezone UTC"))
        assert_clean(await client.ask(room, f"time {due.strftime('%H:%M')}"))
        r = await client.ask(room, "add axis today From Element")
        assert_clean(r)
        assert "Line 1 added" in r["content"]["body"]
        r = await client.ask(room, "list")
        assert_clean(r)
        assert "From Element" in r["content"]["body"]

        # A command in a thread is answered in the thread; a corrected command edits the answer.
        r = await client.ask(room, "settings", thread=r["asked"])
        assert_clean(r)
        assert r["thread_root"] == r["content"]["m.relates_to"]["event_id"] and "Time zone: UTC" in r["content"]["body"]
        wrong = await client.ask(room, "lsit")
        assert_clean(wrong)
        await client.edit(room, wrong["asked"], "list")
        edited = await client.wait_edit(room, wrong["event_id"])
        assert_clean(edited["edit"])
        assert "From Element" in edited["message"]["content"]["body"]  # what Element now shows

        # `verify` shows the master key that /keys/query gives for the bot.
        r = await client.ask(room, "verify")
        assert_clean(r)
        master = json.loads((bot.data_dir / "cross-signing.json").read_text())["master_public"]
        assert fingerprint(master) in r["content"]["body"] and "red shield" in r["content"]["body"]

        await wait_until(due)
        ping = await client.wait_message(room, msgtype="m.text", timeout=40)
        assert_clean(ping)
        assert "From Element" in ping["content"]["body"] and ping["original_content"]["msgtype"] == "m.text"

        # "Reply in thread" to the ping with a date: the ping's line is renewed, answered in the thread.
        r = await client.ask(room, "31/12/2026", thread=ping["event_id"])
        assert_clean(r)
        assert "renewed" in r["content"]["body"] and "31 Dec 2026" in r["content"]["body"]
        assert r["thread_root"] == ping["event_id"]
    finally:
        await client.close()


async def test_without_cross_signing_element_cannot_talk_to_the_bot(
    homeserver: Homeserver, make_user: MakeUser, bot_factory, node: str, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """The control: the same client and bot, with the bot's device left unsigned, fails as the
    issue describes; so the test above proves the cross-signing, not a lenient client."""
    bot = bot_factory(matrix={"cross_signing": False})
    client = await ElementClient.start(node, homeserver.url, make_user("element"), tmp_path / "js")
    try:
        room = await client.dm(bot.user_id)
        await client.send(room, "help")
        msg = await client.wait_message(room, timeout=40)
        # The client withheld its room key from the unsigned device: the bot could not read the
        # command, and the client cannot read the bot's answer either.
        assert msg["decryption_failure"] is not None or "could not decrypt" in msg["content"].get("body", ""), msg
        assert msg["decryption_failure"] is not None, msg
    finally:
        await client.close()


def test_element_opens_the_bots_secret_storage_with_its_recovery_key(
    homeserver: Homeserver, bot: BotProcess, node: str
) -> None:
    """The recovery key the bot printed, and what it put in secret storage, are what Element
    expects: matrix-js-sdk's own functions decode the key, accept its key check and decrypt the
    three cross-signing private keys to the ones in the bot's data_dir."""
    recovery = (bot.data_dir / "recovery-key.txt").read_text().strip()
    session = json.loads((bot.data_dir / "session.json").read_text())
    out = subprocess.run(
        [node, str(JS_DIR / "ssss_check.mjs"), homeserver.url, bot.user_id, session["access_token"], recovery],
        cwd=JS_DIR, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    ours = json.loads((bot.data_dir / "cross-signing.json").read_text())
    assert got["key_ok"] is True
    assert got["secrets"] == {
        "m.cross_signing.master": ours["master"],
        "m.cross_signing.self_signing": ours["self_signing"],
        "m.cross_signing.user_signing": ours["user_signing"],
    }
