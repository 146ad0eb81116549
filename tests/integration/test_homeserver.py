"""Smoke test of the real-homeserver infrastructure itself (Synapse + scripted users)."""

from __future__ import annotations

import pytest

from bot.dev.server import Homeserver, HomeserverError
from tests.integration.matrix_user import MakeUser, MatrixUser, MatrixUserError

pytestmark = pytest.mark.integration


def test_homeserver_is_up(homeserver: Homeserver) -> None:
    assert homeserver.running and homeserver.pid
    assert homeserver.url.startswith("http://127.0.0.1:")
    assert homeserver.request("GET", "/_matrix/client/versions")["versions"]


def test_register_and_whoami(homeserver: Homeserver, make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    assert alice.user_id != bob.user_id
    assert alice.user_id.endswith(":localhost")
    me = homeserver.request(
        "GET", "/_matrix/client/v3/account/whoami", token=alice.access_token
    )
    assert me["user_id"] == alice.user_id and me["device_id"] == alice.device_id
    with pytest.raises(HomeserverError) as err:
        homeserver.register(alice.localpart, "x")  # taken
    assert err.value.status == 400


def test_override_ratelimit(homeserver: Homeserver, make_user: MakeUser) -> None:
    user = make_user()
    homeserver.override_ratelimit(user.user_id)  # via the server's own admin
    admin = make_user(admin=True)
    homeserver.override_ratelimit(user.user_id, admin.access_token)


async def test_dm_and_text_round_trip(homeserver: Homeserver, make_user: MakeUser) -> None:
    alice_reg, bob_reg = make_user(), make_user()
    async with (
        await MatrixUser.connect(homeserver.url, alice_reg) as alice,
        await MatrixUser.connect(homeserver.url, bob_reg) as bob,
    ):
        room_id = await alice.create_dm(bob.user_id)
        assert await bob.wait_for_invite(inviter=alice.user_id, timeout=10) == room_id
        await bob.join(room_id)
        await alice.wait_for_join(room_id, bob.user_id, timeout=10)

        sent = await alice.send_text(room_id, "hello bob")
        got = await bob.wait_for_message(room_id, sender=alice.user_id, timeout=10)
        assert (got.event_id, got.body, got.msgtype) == (sent, "hello bob", "m.text")
        assert not got.decrypted

        reply = await bob.send_text(room_id, "hi alice", msgtype="m.notice", reply_to=sent)
        back = await alice.wait_for_reply(room_id, sent, timeout=10)
        assert back.event_id == reply and back.sender == bob.user_id
        assert back.msgtype == "m.notice" and back.body == "hi alice"

        # Successive waits walk forward; our own messages are recorded but not matched.
        await alice.send_text(room_id, "one")
        await alice.send_text(room_id, "two")
        first = await bob.wait_for_message(room_id, timeout=10)
        second = await bob.wait_for_message(room_id, timeout=10)
        assert [first.body, second.body] == ["one", "two"]
        assert [m.body for m in bob.messages(room_id)][-2:] == ["one", "two"]


async def test_encrypted_round_trip(homeserver: Homeserver, make_user: MakeUser) -> None:
    alice_reg, bob_reg = make_user(), make_user()
    async with (
        await MatrixUser.connect(homeserver.url, alice_reg, encryption=True) as alice,
        await MatrixUser.connect(homeserver.url, bob_reg, encryption=True) as bob,
    ):
        room_id = await alice.create_room(invite=[bob.user_id], encrypted=True)
        await bob.wait_for_invite(room_id=room_id, timeout=10)
        await bob.join(room_id)
        await alice.wait_for_join(room_id, bob.user_id, timeout=10)

        sent = await alice.send_text(room_id, "secret hello")
        got = await bob.wait_for_message(room_id, sender=alice.user_id, timeout=15)
        assert (got.event_id, got.body, got.decrypted) == (sent, "secret hello", True)

        reply = await bob.send_text(room_id, "secret reply", reply_to=sent)
        back = await alice.wait_for_reply(room_id, sent, timeout=15)
        assert (back.event_id, back.body, back.decrypted) == (reply, "secret reply", True)


async def test_wait_for_message_times_out_clearly(
    homeserver: Homeserver, make_user: MakeUser
) -> None:
    async with await MatrixUser.connect(homeserver.url, make_user()) as alice:
        room_id = await alice.create_room()
        with pytest.raises(TimeoutError, match="timed out"):
            await alice.wait_for_message(room_id, timeout=0.3)


async def test_rate_limits_off_by_default_fixture(
    homeserver: Homeserver, make_user: MakeUser
) -> None:
    """20 quick sends would hit Synapse's default burst of ~10; here they must not."""
    async with await MatrixUser.connect(
        homeserver.url, make_user(), max_limit_exceeded=0
    ) as alice:
        room_id = await alice.create_room()
        for i in range(20):
            await alice.send_text(room_id, f"msg {i}")


async def test_limited_homeserver_limits_and_override(
    homeserver_limited: Homeserver, make_limited_user: MakeUser
) -> None:
    """The limited server keeps real limits; 429s fail fast (no endless nio retries);
    the admin override lifts them for one user, as an operator does for the bot."""
    plain, exempt = make_limited_user(), make_limited_user()
    homeserver_limited.override_ratelimit(exempt.user_id)
    async with (
        await MatrixUser.connect(homeserver_limited.url, plain, max_limit_exceeded=0) as p,
        await MatrixUser.connect(homeserver_limited.url, exempt, max_limit_exceeded=0) as e,
    ):
        room_p = await p.create_room()
        with pytest.raises(MatrixUserError, match="M_LIMIT_EXCEEDED"):
            for i in range(30):
                await p.send_text(room_p, f"msg {i}")
        assert i >= 5  # a burst went through before the limit

        room_e = await e.create_room()
        for i in range(30):
            await e.send_text(room_e, f"msg {i}")
