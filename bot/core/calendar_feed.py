"""An owner's lines as an iCalendar feed (RFC 5545), built with ``icalendar``.

One all-day event per line, on its expiry date, with one alarm per lead day at the owner's ping
time, so a phone's calendar reminds the owner even when Matrix is far away. Calendar apps poll a
subscribed feed and replace events by ``UID``: a line's UID is stable (its database id), and its
``SEQUENCE`` grows with every renewal, so a renewed line moves instead of appearing twice.

Pure: the caller gives the lines, the owner's settings, a translator and the time; nothing here
reads a store or a clock.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from bot.core.model import Line
from bot.i18n import Translator

PRODID = "-//renewal-bot//calendar feed//EN"
#: How often calendar apps should poll (RFC 7986 REFRESH-INTERVAL and the older X-PUBLISHED-TTL).
REFRESH = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class FeedLine:
    """A line as the feed shows it: the line, its provider's display name, renewals so far."""

    line: Line
    provider_name: str
    lead_days: tuple[int, ...]
    renewals: int = 0


def alarm_trigger(lead_days: int, at: time) -> timedelta:
    """When an alarm fires, relative to the start (local midnight) of the all-day expiry event.

    7 days before at 09:00 is ``-7 days + 9 h`` = ``-P6DT15H``: RFC 5545 triggers are relative
    to DTSTART, which for an all-day event is the start of that day in the reader's zone.
    """
    return timedelta(days=-lead_days, hours=at.hour, minutes=at.minute)


def build_feed(
    lines: Sequence[FeedLine],
    *,
    t: Translator,
    ping_time: time,
    now: datetime,
    uid_domain: str,
    name: str,
    description: Callable[[FeedLine], str] | None = None,
) -> bytes:
    """The whole feed as bytes (``text/calendar``)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    for item in sorted(lines, key=lambda f: (f.line.expiry, f.line.number)):
        cal.add_component(_event(item, t=t, ping_time=ping_time, now=now, uid_domain=uid_domain,
                                 description=description))
    return bytes(cal.to_ical())


def _event(
    item: FeedLine,
    *,
    t: Translator,
    ping_time: time,
    now: datetime,
    uid_domain: str,
    description: Callable[[FeedLine], str] | None,
) -> Event:
    line = item.line
    if line.label:
        summary = t("calendar.summary_label", provider=item.provider_name, label=line.label)
    else:
        summary = t("calendar.summary", provider=item.provider_name, number=line.number)
    ev = Event()
    ev.add("uid", f"line-{line.id}@{uid_domain}")
    ev.add("dtstamp", now)
    ev.add("dtstart", line.expiry)
    ev.add("dtend", line.expiry + timedelta(days=1))
    ev.add("summary", summary)
    ev.add("sequence", item.renewals)
    ev.add("transp", "TRANSPARENT")  # an expiry does not make the owner busy
    if description is not None:
        ev.add("description", description(item))
    if not line.reminders_off:
        for days in sorted(set(item.lead_days), reverse=True):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", alarm_trigger(days, ping_time))
            ev.add_component(alarm)
    return ev


def expiry_dates(feed: bytes) -> dict[str, date]:
    """UID -> expiry date of every event in a feed: what a subscriber reads back (for tests and
    for ``calendar`` replies that confirm what the feed holds)."""
    cal = Calendar.from_ical(feed)
    out: dict[str, date] = {}
    for ev in cal.walk("VEVENT"):
        start = ev.decoded("dtstart")
        out[str(ev["uid"])] = start if not isinstance(start, datetime) else start.date()
    return out
