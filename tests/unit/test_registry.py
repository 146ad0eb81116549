"""The command registry: one row per command, read by help, permissions, "typing" and the
service's handlers; the configured prefix shows wherever a group-room command is suggested."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core import commands as c
from bot.service import Context, Service
from bot.service.handlers import HANDLERS
from bot.store.sqlite import Store
from tests.unit.conftest import make_config

ROOM = "!room:x"
ALICE = "@alice:x"
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)


def test_every_command_has_exactly_one_handler() -> None:
    assert set(HANDLERS) == {s.type for s in c.COMMANDS}


@pytest.mark.parametrize("spec", c.COMMANDS, ids=[s.name for s in c.COMMANDS])
def test_typing_follows_the_command_in_every_language(spec: c.CommandSpec) -> None:
    """"Typing..." used to match the English word as typed: ``列表`` or ``cara isi ulang`` never showed it."""
    for alias in spec.aliases:
        found = c.find(f"{alias} 1")
        assert found is spec
        assert found.slow is spec.slow


def test_the_slow_commands_are_the_ones_that_read_or_render_a_lot() -> None:
    assert {s.name for s in c.COMMANDS if s.slow} == {"help", "list", "howto", "providers", "check", "export"}
    assert c.find("列表").slow and c.find("daftar").slow and c.find("cara isi ulang").slow


def test_the_rows_gathered_from_the_topic_modules_keep_the_help_order() -> None:
    """Topic modules in HELP_RANK order, rows in module order; a new command may stand anywhere."""
    before = ("help", "add", "list", "renewed", "edit", "remove", "remind", "timezone", "time", "settings",
              "language", "howto", "providers", "check", "scamguard", "verify", "status", "calendar", "export",
              "import", "digest", "forget me", "forget room", "yes", "no")
    assert [n for n in c.HELP_ORDER if n in before] == list(before)
    assert [s.name for s in c.COMMANDS if s.admin] == ["stats", "catalog status"]
    assert all(not s.admin for s in c.COMMANDS[: len(c.HELP_ORDER)]), "admin rows come last"


def test_help_lists_the_commands_in_registry_order() -> None:
    assert c.HELP_ORDER == tuple(s.name for s in c.COMMANDS if not s.admin)  # admin commands are not listed
    assert all(s.help == f"help.cmd.{s.name}" for s in c.COMMANDS if not s.admin)


@pytest.mark.parametrize("prefix, hint", [("!", "!"), ("!rb", "!rb "), ("rb:", "rb:")])
async def test_group_room_hints_use_the_configured_prefix(store: Store, prefix: str, hint: str) -> None:
    svc = Service(make_config(command_prefix=prefix))
    assert svc.prefix_hint(True) == "" and svc.prefix_hint(False) == hint
    room = Context(sender=ALICE, room_id=ROOM, owner_id=ROOM, is_dm=False, now=NOW,
                   members=frozenset({ALICE}))
    async with store.tx() as tx:
        await svc.handle(tx, room, "add axis 2026-05-14 Shared")
        (row,) = await tx.due_pings(2**62)
        msg = await svc.ping_message(tx, row, NOW)
        verdict = svc.verdict(await svc.owner(tx, ROOM), room, "Pulsa AXIS murah! top up di http://axis-promo.xyz")
    assert msg is not None
    assert f"{hint}howto 1" in msg.reply.body
    assert f"{hint}howto axis" in verdict.body
    if prefix != "!":
        assert "!howto" not in msg.reply.body
        assert "!howto" not in verdict.body


async def test_a_reply_to_a_ping_renews_without_rebuilding_command_text(store: Store) -> None:
    """The reply's words are the date only; the command word in another language is not needed."""
    svc = Service(make_config())
    dm = Context(sender=ALICE, room_id="!dm:x", owner_id=ALICE, is_dm=True, now=NOW)
    async with store.tx() as tx:
        await svc.handle(tx, dm, "add axis 2026-05-14 Mine")
        (row,) = await tx.due_pings(2**62)
        reply = await svc.reply_to_ping(tx, dm, row, "2026-06-30")
        line = await tx.get_line(ALICE, 1)
    assert reply is not None and line is not None
    assert line.expiry == date(2026, 6, 30)
