"""A message pasted or forwarded into a DM is judged, not answered with "unknown command"."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.config import parse_config
from bot.service import Context, Service, looks_pasted
from bot.store.sqlite import Store

NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)
CONFIG = parse_config({"matrix": {"homeserver": "http://hs", "user_id": "@bot:hs", "password": "pw"}})


async def say(store: Store, svc: Service, text: str, *, dm: bool = True, user: str = "@a:hs") -> str:
    owner = user if dm else "!room:hs"
    ctx = Context(sender=user, room_id="!dm:hs" if dm else owner, owner_id=owner, is_dm=dm, now=NOW)
    async with store.tx() as tx:
        return (await svc.handle(tx, ctx, text)).body


async def test_pasted_scam_gets_a_verdict(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    svc = Service(CONFIG)
    scam = "Promo pulsa murah 50%! Perpanjang masa aktif AXIS lewat admin kami t.me/axis_promo_resmi"
    legit = "Hi, I just renewed my Telkomsel line in the MyTelkomsel app, all good now"
    as_check = await say(store, svc, "cek " + scam)  # "cek" is Indonesian; the quoted text steers nothing
    pasted = await say(store, svc, scam)
    assert pasted == as_check and pasted.startswith("⚠️")  # the verdict, in the language detected (id)
    assert "don't know the command" not in (await say(store, svc, legit, user="@b:hs"))
    # A short typo is still a typo.
    assert "don't know the command" in (await say(store, svc, "lsit", user="@c:hs"))
    # In a group room, only the scam guard judges chatter; a prefixed non-command is a typo.
    assert not (await say(store, svc, scam, dm=False)).startswith("⚠️")
    await store.close()


def test_looks_pasted() -> None:
    assert not looks_pasted("lsit")
    assert not looks_pasted("hello there")
    assert looks_pasted("see https://example.org")
    assert looks_pasted("one two three four five")
    assert looks_pasted("代充话费九折，联系微信客服获取优惠，秒到账不限量")
