"""The calendar feed, read back as a subscriber reads it (icalendar's parser), not as a string."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar

from bot.core.calendar_feed import FeedLine, alarm_trigger, build_feed, expiry_dates
from bot.core.model import Line
from bot.i18n import Translator

NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)


def line(n: int, expiry: date, label: str = "", **kw: object) -> Line:
    return Line(id=100 + n, owner_id="@a:x", number=n, provider="axis", label=label, expiry=expiry, **kw)  # type: ignore[arg-type]


def feed(items: list[FeedLine], lang: str = "en", at: time = time(9, 0)) -> Calendar:
    raw = build_feed(items, t=Translator(lang), ping_time=at, now=NOW, uid_domain="bot.example",
                     name="Lines")
    return Calendar.from_ical(raw)


def test_one_all_day_event_per_line_on_its_expiry() -> None:
    items = [FeedLine(line(1, date(2026, 12, 31), "Mum's phone"), "AXIS", (7, 3, 1, 0)),
             FeedLine(line(2, date(2027, 1, 15)), "AXIS", (3,))]
    cal = feed(items)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"line-101@bot.example", "line-102@bot.example"}
    first = events["line-101@bot.example"]
    assert first.decoded("dtstart") == date(2026, 12, 31)
    assert first.decoded("dtend") == date(2027, 1, 1)
    assert "Mum's phone" in str(first["summary"]) and "AXIS" in str(first["summary"])
    assert "2" in str(events["line-102@bot.example"]["summary"])


def test_alarms_fire_at_the_lead_days_at_the_ping_time() -> None:
    cal = feed([FeedLine(line(1, date(2026, 12, 31)), "AXIS", (7, 3, 1, 0))], at=time(8, 30))
    (ev,) = cal.walk("VEVENT")
    triggers = sorted(a.decoded("trigger") for a in ev.walk("VALARM"))
    start = datetime(2026, 12, 31)
    fire = [start + tr for tr in triggers]
    assert fire == [datetime(2026, 12, 24, 8, 30), datetime(2026, 12, 28, 8, 30),
                    datetime(2026, 12, 30, 8, 30), datetime(2026, 12, 31, 8, 30)]
    assert alarm_trigger(7, time(9)) == -timedelta(days=6, hours=15)


def test_a_line_with_reminders_off_has_no_alarm() -> None:
    cal = feed([FeedLine(line(1, date(2026, 12, 31), reminders_off=True), "AXIS", (7,))])
    (ev,) = cal.walk("VEVENT")
    assert list(ev.walk("VALARM")) == []


def test_a_renewal_moves_the_event_and_raises_its_sequence() -> None:
    before = build_feed([FeedLine(line(1, date(2026, 12, 31)), "AXIS", (7,), renewals=0)],
                        t=Translator("en"), ping_time=time(9), now=NOW, uid_domain="d", name="n")
    after = build_feed([FeedLine(line(1, date(2027, 1, 30)), "AXIS", (7,), renewals=1)],
                       t=Translator("en"), ping_time=time(9), now=NOW, uid_domain="d", name="n")
    assert expiry_dates(before) == {"line-101@d": date(2026, 12, 31)}
    assert expiry_dates(after) == {"line-101@d": date(2027, 1, 30)}
    (ev,) = Calendar.from_ical(after).walk("VEVENT")
    assert int(ev["sequence"]) == 1


def test_summaries_are_in_the_owners_language_and_user_text_is_kept_verbatim() -> None:
    tricky = 'Ayah <b>"&"</b>, 妈妈'
    cal = feed([FeedLine(line(1, date(2026, 12, 31), tricky), "Telkomsel", (1,))], lang="id")
    (ev,) = cal.walk("VEVENT")
    summary = str(ev["summary"])
    assert tricky in summary and "habis masa aktif" in summary
    cal = feed([FeedLine(line(1, date(2026, 12, 31)), "AXIS", (1,))], lang="zh-Hant")
    (ev,) = cal.walk("VEVENT")
    assert "到期" in str(ev["summary"])


def test_an_empty_feed_is_still_a_valid_calendar() -> None:
    cal = feed([])
    assert cal.name == "VCALENDAR" and list(cal.walk("VEVENT")) == []
    assert str(cal["version"]) == "2.0"
