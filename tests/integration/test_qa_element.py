"""What an Element user does beyond commands (QA): react ✅ to an offer and to "did you mean",
talk from a second device, confirm after the bot restarted. matrix-js-sdk with Rust crypto, encrypted DM.

Element's js-sdk sends reactions unencrypted even in an encrypted room, and a user's second
device arrives while the bot already shares its room keys with the first: both must work.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.dev.server import Homeserver, Registered
from tests.integration.bot_process import BotProcess
from tests.integration.element_js import ElementClient, node_binary
from tests.integration.matrix_user import MakeUser
from tests.integration.test_js_client import assert_clean

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def node() -> str:
    return node_binary()


def second_device(homeserver: Homeserver, user: Registered) -> Registered:
    """A new login of ``user``: another device, as when they sign in to Element on their phone."""
    login = homeserver.request("POST", "/_matrix/client/v3/login", {
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": user.user_id},
        "password": user.password,
    })
    return Registered(user.user_id, login["access_token"], login["device_id"], user.password)


async def test_element_reaction_second_device_and_restart(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess, node: str, tmp_path: Path
) -> None:
    user = make_user("element")
    laptop = await ElementClient.start(node, homeserver.url, user, tmp_path / "laptop")
    phone: ElementClient | None = None
    try:
        room = await laptop.dm(bot.user_id)
        r = await laptop.ask(room, "add telkomsel +10d Mum", timeout=40)
        assert_clean(r)
        assert "Line 1 added" in r["content"]["body"], r["content"]["body"]

        # A pasted carrier notice is offered; ✅ on the offer (unencrypted, as Element sends it) stores it.
        offer = await laptop.ask(room, "Telkomsel: Masa aktif kartu Anda s.d. 31-01-2027. Terima kasih.")
        assert_clean(offer)
        assert "active until" in offer["content"]["body"], offer["content"]["body"]  # still English
        await laptop.react(room, offer["event_id"], "✅")
        done = await laptop.wait_message(room, timeout=30)
        assert_clean(done)
        assert "31 Jan 2027" in done["content"]["body"], done["content"]["body"]

        # "Did you mean axis?" answered with ✅ on the question.
        asked = await laptop.ask(room, "add axsi +20d Dad")
        assert_clean(asked)
        assert "Did you mean" in asked["content"]["body"], asked["content"]["body"]
        await laptop.react(room, asked["event_id"], "✅")
        added = await laptop.wait_message(room, timeout=30)
        assert_clean(added)
        assert "Line 2 added: Dad · AXIS" in added["content"]["body"], added["content"]["body"]

        # Asked on the laptop; then the user signs in on a second device (as a new Element login
        # does, it makes its own cross-signing identity), which the bot reads and which reads the bot.
        r = await laptop.ask(room, "forget me")
        assert_clean(r)
        phone = await ElementClient.start(node, homeserver.url, second_device(homeserver, user), tmp_path / "phone")
        r = await phone.ask(room, "list", timeout=40)
        assert_clean(r)
        assert "Mum" in r["content"]["body"] and "31 Jan 2027" in r["content"]["body"], r["content"]["body"]

        # The bot restarts; the yes from the phone still finds the offer made to the laptop.
        bot.terminate()
        bot.start()
        r = await phone.ask(room, "yes", timeout=40)
        assert_clean(r)
        assert "2 lines" in r["content"]["body"], r["content"]["body"]
        r = await phone.ask(room, "list")
        assert_clean(r)
        assert "Mum" not in r["content"]["body"], r["content"]["body"]
    finally:
        if phone is not None:
            await phone.close()
        await laptop.close()


async def test_element_command_redacted_while_the_bot_was_down(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess, node: str, tmp_path: Path
) -> None:
    """Deleted in Element before the bot saw it (encrypted: the redaction also strips the
    ciphertext), a command is never run; one sent at the same time is."""
    client = await ElementClient.start(node, homeserver.url, make_user("element"), tmp_path / "js")
    try:
        room = await client.dm(bot.user_id)
        assert "Line 1 added" in (await client.ask(room, "add axis +30d Keep me", timeout=40))["content"]["body"]
        bot.terminate()
        doomed = await client.send(room, "remove 1")
        await client.redact(room, doomed)
        kept = await client.send(room, "add xl +20d Second")
        bot.start()
        answer = await client.wait_message(room, timeout=40)
        assert_clean(answer)
        assert answer["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == kept
        assert "Line 2 added" in answer["content"]["body"], answer["content"]["body"]
        r = await client.ask(room, "list")
        assert_clean(r)
        assert "Keep me" in r["content"]["body"] and "Second" in r["content"]["body"], r["content"]["body"]
    finally:
        await client.close()
