"""A carrier notice pasted or forwarded into a DM: what it says, and an offer to add or update a line.

The reading itself is :mod:`bot.core.notices` (catalog formats first, then generic phrases); a text
the scam guard flags is answered with the guard's verdict, never with an offer.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bot.core import commands as c
from bot.core.dates import format_date
from bot.core.howto import provider_label, reader_lang
from bot.core.model import OwnerSettings
from bot.core.notices import NoticeFormat, NoticeReading, brands_from, read_notice
from bot.core.render import Reply, fill, line_name, text
from bot.core.scam import judge
from bot.i18n import Translator
from bot.service.context import Context
from bot.service.data.offers import OFFER_MINUTES, applies, offer
from bot.service.handlers import HANDLERS, Call

if TYPE_CHECKING:
    from bot.catalog import Catalog
    from bot.service.core import Service
    from bot.store.base import PendingRow, Tx


def notice_formats(svc: Service) -> list[NoticeFormat]:
    """The catalog's per-provider notice formats (each with its source)."""
    return catalog_notice_formats(svc.catalog)


def notice_brands(svc: Service) -> dict[str, str]:
    """Every name a notice may use for a provider (see `catalog_notice_brands`)."""
    return catalog_notice_brands(svc.catalog)


def catalog_notice_formats(catalog: Catalog) -> list[NoticeFormat]:
    """A catalog's per-provider notice formats, for the service and for scripts/notice_eval.py."""
    out: list[NoticeFormat] = []
    for p in catalog.providers:
        for n in getattr(p, "notices", ()):
            out.append(NoticeFormat(p.id, n.pattern, source=n.source, example=n.example, lang=n.lang,
                                    order=n.order))
    return out


def catalog_notice_brands(catalog: Catalog) -> dict[str, str]:
    """Every name a notice may use for a provider: name, aliases, local names, variants' aliases.

    A variant's own name and local names are descriptions ("Prepaid number", "預付卡", "Tourist
    prepaid card"), not brands: any carrier's notice may say them, so they do not name a provider.
    """
    entries: list[tuple[str, list[str]]] = []
    for p in catalog.providers:
        if p.is_other:
            continue
        names = [p.name, p.id, *p.aliases, *p.local_names.values()]
        for v in p.variants:
            names += list(v.aliases)
        entries.append((p.id, names))
    return brands_from(entries)


async def notice_offer(
    svc: Service, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, today: date, said: str,
) -> Reply | None:
    """A pasted carrier notice in a DM: what it says and an offer to store it; None if it is none.

    A text the scam guard flags gets the guard's verdict instead: never an offer.
    """
    reading = read_notice(said, today=today, formats=svc.notice_formats, brands=svc.notice_brands)
    if reading is None:
        return None
    if judge(said, official_domains=svc.official_domains).is_scam:
        return svc.verdict(owner, ctx, said)
    call = Call(svc, tx, ctx, owner, t, today)
    return await _offer_notice(call, reading)


async def _offer_notice(call: Call, reading: NoticeReading) -> Reply:
    t, lang, today = call.t, call.owner.language, call.today
    provider = call.svc.provider(reading.provider) if reading.provider else None
    variant: str | None = None  # only the provider is read from a notice; the plan stays the user's to say
    date_text = format_date(reading.expiry, lang, weekday=True)
    name = provider_label(provider, reader_lang(lang, provider), variant) if provider else t("notice.unknown_provider")
    head = fill(t, "notice.read", provider=name, date=date_text)
    if reading.expiry < today:
        return head + text(t("notice.past"))
    lines = await call.tx.list_lines(call.ctx.owner_id)
    same = [ln for ln in lines if provider is not None and ln.provider == provider.id]
    payload: dict[str, Any] = {
        "provider": provider.id if provider else None, "variant": variant, "expiry": reading.expiry.isoformat(),
        "update": None,
    }
    if len(same) == 1 and same[0].expiry == reading.expiry:
        return head + fill(t, "notice.same", number=same[0].number, name=line_name(same[0], call.carrier))
    if provider is None:
        if not lines:
            return head + fill(t, "notice.no_provider_add", iso=reading.expiry.isoformat())
        await offer(call, "notice", payload)
        return head + fill(t, "notice.offer_no_provider", iso=reading.expiry.isoformat(), minutes=OFFER_MINUTES)
    if len(same) == 1:
        payload["update"] = same[0].number
        await offer(call, "notice", payload)
        return head + fill(t, "notice.offer_update", number=same[0].number, name=line_name(same[0], call.carrier),
                           old=format_date(same[0].expiry, lang), minutes=OFFER_MINUTES)
    await offer(call, "notice", payload)
    if same:
        return head + fill(t, "notice.offer_pick", count=len(same), provider=name,
                           numbers=", ".join(str(ln.number) for ln in same), minutes=OFFER_MINUTES)
    return head + fill(t, "notice.offer_add", minutes=OFFER_MINUTES)


@applies("notice")
async def _apply_notice(call: Call, row: PendingRow, cmd: c.Confirm) -> Reply:
    p = row.payload
    expiry = date.fromisoformat(p["expiry"])
    number: int | None = cmd.number if cmd.number is not None else (None if cmd.new else p.get("update"))
    if number is None and not cmd.new and p.get("update") is None and p.get("provider") is not None:
        # An "add" offer: plain yes adds. A "pick" offer (several lines) needs yes <n> or yes new.
        same = [ln for ln in await call.tx.list_lines(call.ctx.owner_id) if ln.provider == p["provider"]]
        if same:
            raise c.CommandError("error.notice_pick", numbers=", ".join(str(ln.number) for ln in same))
    if number is None and p.get("provider") is None:
        raise c.CommandError("error.notice_which_line")
    await call.tx.drop_pending(row.id)
    if number is not None:
        return await HANDLERS[c.Renewed](call, c.Renewed(number=number, new_expiry=expiry))
    name = p["provider"] + (f"/{p['variant']}" if p.get("variant") else "")
    return await HANDLERS[c.Add](call, c.Add(provider=name, expiry=expiry))
