"""The ping schedule: lead days, the owner's local time, DST, month ends, leap days, txn IDs, backoff."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.core.model import DEFAULT_AFTER_DAYS, DEFAULT_LEAD_DAYS
from bot.core.schedule import backoff_seconds, local_instant, local_today, offsets, plan_pings, txn_id

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def plan(expiry: date, *, tz: str = "UTC", at: time = time(9, 0), now: datetime = LONG_AGO,
         lead: tuple[int, ...] = DEFAULT_LEAD_DAYS, after: tuple[int, ...] = DEFAULT_AFTER_DAYS):
    return plan_pings(expiry, lead_days=lead, after_days=after, tz=tz, at=at, now=now)


def wall(dt: datetime, tz: str) -> datetime:
    """The naive local wall-clock time of an instant."""
    return dt.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def oracle_instant(day: date, at: time, tz: str) -> datetime:
    """The instant a ping on ``day`` at ``at`` is due, worked out without ``fold``.

    Every UTC offset the zone uses around that day gives a candidate instant; the candidates whose
    wall-clock time really is ``day at`` are the occurrences of that time, and the first one wins
    (fall back). If there is none, the time falls in a gap (spring forward): the clock was still on
    the offset from before the gap, so the latest candidate, which lies just after the gap, wins.
    """
    naive = datetime.combine(day, at)
    zi = ZoneInfo(tz)
    utc_offsets = {
        (naive.replace(tzinfo=UTC) + timedelta(hours=h)).astimezone(zi).utcoffset() for h in range(-36, 37, 1)
    }
    candidates = [(naive - off).replace(tzinfo=UTC) for off in utc_offsets]
    valid = [c for c in candidates if wall(c, tz) == naive]
    return min(valid) if valid else max(candidates)


# --- the defaults ------------------------------------------------------------------------------


def test_default_lead_and_after_days() -> None:
    assert DEFAULT_LEAD_DAYS == (7, 3, 1, 0)
    assert DEFAULT_AFTER_DAYS == (1, 3, 7)
    pings = plan(date(2026, 7, 15), tz="Asia/Jakarta", at=time(9, 0))
    assert [p.offset for p in pings] == [-7, -3, -1, 0, 1, 3, 7]
    days = [date(2026, 7, 8), date(2026, 7, 12), date(2026, 7, 14), date(2026, 7, 15),
            date(2026, 7, 16), date(2026, 7, 18), date(2026, 7, 22)]
    # Jakarta is UTC+7 all year: 09:00 there is 02:00 UTC.
    assert [p.due for p in pings] == [datetime.combine(d, time(2, 0), tzinfo=UTC) for d in days]
    assert all(p.due.tzinfo is not None and p.due.utcoffset() == timedelta(0) for p in pings)


@pytest.mark.parametrize("tz", ["Asia/Jakarta", "Asia/Kolkata", "America/New_York", "Pacific/Chatham", "UTC",
                                "Pacific/Kiritimati", "Pacific/Pago_Pago"])
@pytest.mark.parametrize("at", [time(0, 0), time(8, 30), time(23, 59)])
def test_due_instants_are_at_the_owners_local_time(tz: str, at: time) -> None:
    expiry = date(2026, 6, 30)
    pings = plan(expiry, tz=tz, at=at)
    assert len(pings) == 7
    for p in pings:
        local = p.due.astimezone(ZoneInfo(tz))
        assert local.date() == expiry + timedelta(days=p.offset)
        assert local.time() == at


def test_offsets_merge_lead_and_after_days() -> None:
    assert offsets((7, 3, 1, 0), (1, 3, 7)) == [-7, -3, -1, 0, 1, 3, 7]
    assert offsets((0, 0, 3), ()) == [-3, 0]
    assert offsets((), (2,)) == [2]


# --- DST ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "gap_day", "expected_utc"),
    [
        # New York springs forward at 02:00 EST on 8 March 2026: 02:30 EST = 07:30 UTC = 03:30 EDT.
        ("America/New_York", date(2026, 3, 8), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
        # Berlin springs forward at 02:00 CET on 29 March 2026: 02:30 CET = 01:30 UTC = 03:30 CEST.
        ("Europe/Berlin", date(2026, 3, 29), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    ],
)
@pytest.mark.parametrize("offset", [-7, -3, -1, 0, 1, 3, 7])
def test_spring_forward_moves_a_missing_time_forward(tz: str, gap_day: date, expected_utc: datetime, offset: int) -> None:
    zi = ZoneInfo(tz)
    # The day really has a gap: 01:00 and 04:00 are an hour further apart in UTC than on the wall.
    before, after = (datetime.combine(gap_day, time(h), tzinfo=zi) for h in (1, 4))
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=2)

    expiry = gap_day - timedelta(days=offset)
    pings = {p.offset: p for p in plan(expiry, tz=tz, at=time(2, 30))}
    due = pings[offset].due
    assert due == expected_utc
    local = due.astimezone(zi)
    assert (local.date(), local.time()) == (gap_day, time(3, 30))
    # The other pings of the line keep 02:30, which exists on their days.
    for p in pings.values():
        if p.offset != offset:
            assert wall(p.due, tz).time() == time(2, 30)


@pytest.mark.parametrize(
    ("tz", "day", "at", "first_utc"),
    [
        # New York falls back at 02:00 EDT on 1 November 2026: 01:30 happens at 05:30 and 06:30 UTC.
        ("America/New_York", date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        # Berlin falls back at 03:00 CEST on 25 October 2026: 02:30 happens at 00:30 and 01:30 UTC.
        ("Europe/Berlin", date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ],
)
def test_fall_back_takes_the_first_occurrence(tz: str, day: date, at: time, first_utc: datetime) -> None:
    second_utc = first_utc + timedelta(hours=1)
    assert wall(first_utc, tz) == wall(second_utc, tz) == datetime.combine(day, at)  # truly ambiguous
    for offset in (-3, 0, 1):
        pings = {p.offset: p for p in plan(day - timedelta(days=offset), tz=tz, at=at)}
        assert pings[offset].due == first_utc


def test_a_dst_day_ping_is_one_day_after_the_previous_in_wall_time_not_24_hours() -> None:
    # Expiry on the spring-forward day: the -1 and 0 pings are 23 real hours apart, both at 09:00.
    pings = {p.offset: p for p in plan(date(2026, 3, 29), tz="Europe/Berlin", at=time(9, 0))}
    assert pings[0].due - pings[-1].due == timedelta(hours=23)
    pings = {p.offset: p for p in plan(date(2026, 10, 25), tz="Europe/Berlin", at=time(9, 0))}
    assert pings[0].due - pings[-1].due == timedelta(hours=25)


def test_local_instant_and_local_today() -> None:
    assert local_instant(date(2026, 1, 1), time(0, 30), "Asia/Jakarta") == datetime(2025, 12, 31, 17, 30, tzinfo=UTC)
    # 20:00 UTC on 31 Dec is already 1 Jan in Jakarta and still 31 Dec in New York.
    now = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    assert local_today(now, "Asia/Jakarta") == date(2027, 1, 1)
    assert local_today(now, "America/New_York") == date(2026, 12, 31)


# --- month ends and leap days ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expiry", "lead", "after", "days"),
    [
        (date(2028, 3, 1), (1,), (), [date(2028, 2, 29)]),  # leap year
        (date(2026, 3, 1), (1,), (), [date(2026, 2, 28)]),  # common year
        (date(2100, 3, 1), (1,), (), [date(2100, 2, 28)]),  # 2100 is not a leap year
        (date(2028, 2, 29), (7, 3, 1, 0), (1, 3, 7),
         [date(2028, 2, 22), date(2028, 2, 26), date(2028, 2, 28), date(2028, 2, 29),
          date(2028, 3, 1), date(2028, 3, 3), date(2028, 3, 7)]),
        (date(2026, 12, 31), (0,), (1,), [date(2026, 12, 31), date(2027, 1, 1)]),
        (date(2027, 1, 2), (3,), (), [date(2026, 12, 30)]),
        (date(2026, 5, 1), (1,), (30,), [date(2026, 4, 30), date(2026, 5, 31)]),
        (date(2026, 1, 31), (365,), (), [date(2025, 1, 31)]),
    ],
)
def test_month_ends_and_leap_days(expiry: date, lead: tuple[int, ...], after: tuple[int, ...], days: list[date]) -> None:
    pings = plan(expiry, tz="Asia/Kuala_Lumpur", at=time(9, 0), lead=lead, after=after, now=datetime(1990, 1, 1, tzinfo=UTC))
    assert [wall(p.due, "Asia/Kuala_Lumpur") for p in pings] == [datetime.combine(d, time(9, 0)) for d in days]


# --- lead days already past --------------------------------------------------------------------


def test_lead_days_already_past_when_a_line_is_added_are_left_out() -> None:
    tz = "Asia/Jakarta"
    expiry = date(2026, 5, 12)
    # Added on 10 May at 10:00 in Jakarta: the 7- and 3-day pings are gone, 1 day before is next.
    now = datetime(2026, 5, 10, 10, 0, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    pings = plan(expiry, tz=tz, at=time(9, 0), now=now)
    assert [p.offset for p in pings] == [-1, 0, 1, 3, 7]
    assert wall(pings[0].due, tz) == datetime(2026, 5, 11, 9, 0)


def test_todays_ping_is_kept_until_its_time_and_dropped_at_it() -> None:
    tz = "Europe/Berlin"
    expiry = date(2026, 7, 1)
    ping_at = datetime(2026, 7, 1, 9, 0, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    before = plan(expiry, tz=tz, now=ping_at - timedelta(microseconds=1))
    at = plan(expiry, tz=tz, now=ping_at)
    assert [p.offset for p in before] == [0, 1, 3, 7]
    assert [p.offset for p in at] == [1, 3, 7]  # a ping exactly at "now" is no longer to come


def test_a_line_long_expired_has_nothing_left() -> None:
    assert plan(date(2026, 1, 1), now=datetime(2026, 2, 1, tzinfo=UTC)) == []


# --- properties --------------------------------------------------------------------------------

ZONES = [
    "UTC", "Asia/Jakarta", "Asia/Kolkata", "Asia/Kathmandu", "Europe/Berlin", "Europe/London",
    "America/New_York", "America/Sao_Paulo", "America/Santiago", "America/St_Johns", "Australia/Sydney",
    "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Auckland", "Africa/Casablanca", "Asia/Tehran",
]

_lead = st.sets(st.integers(min_value=0, max_value=365), max_size=10)
_after = st.sets(st.integers(min_value=1, max_value=365), max_size=5)
_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
_expiries = st.dates(min_value=date(2005, 1, 1), max_value=date(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(_expiries, _lead, _after, st.sampled_from(ZONES), _times, st.integers(min_value=-400 * 24, max_value=400 * 24))
def test_plan_properties(expiry: date, lead: set[int], after: set[int], tz: str, at: time, hours: int) -> None:
    now = datetime.combine(expiry, time(12), tzinfo=UTC) + timedelta(hours=hours, minutes=hours % 60)
    pings = plan(expiry, tz=tz, at=at, now=now, lead=tuple(lead), after=tuple(after))

    dues = [p.due for p in pings]
    offs = [p.offset for p in pings]
    assert all(a < b for a, b in zip(dues, dues[1:], strict=False)), "pings are strictly increasing in time"
    assert all(d > now for d in dues), "every ping is still to come"
    assert len(set(offs)) == len(offs), "offsets are unique"
    assert len(pings) <= len(lead) + len(after)
    assert set(offs) <= {-d for d in lead} | set(after)

    for p in pings:
        day = expiry + timedelta(days=p.offset)
        assert p.due == oracle_instant(day, at, tz)
        local = wall(p.due, tz)
        if local.time() == at:
            assert local.date() == day
        else:  # the time fell in a gap: same date, a little later
            assert local.date() == day
            assert at < local.time()
            assert local - datetime.combine(day, at) <= timedelta(hours=2)

    # Nothing that is still to come was left out.
    wanted = {-d for d in lead} | set(after)
    for off in wanted - set(offs):
        assert oracle_instant(expiry + timedelta(days=off), at, tz) <= now


@cache
def transition_days(tz: str) -> tuple[date, ...]:
    """The days in 2024-2031 on (or just before) which ``tz`` changes its UTC offset."""
    zi = ZoneInfo(tz)
    days = []
    prev = datetime(2023, 12, 31, 12, tzinfo=zi).utcoffset()
    for n in range(8 * 366):
        day = date(2024, 1, 1) + timedelta(days=n)
        off = datetime.combine(day, time(12), tzinfo=zi).utcoffset()
        if off != prev:
            days += [day - timedelta(days=1), day]
        prev = off
    return tuple(days)


DST_ZONES = [z for z in ZONES if transition_days(z)]


@st.composite
def on_a_dst_day(draw: st.DrawFn) -> tuple[date, tuple[int, ...], tuple[int, ...], str, time]:
    """A plan one of whose pings falls on a day the clocks change, at an hour near the change."""
    tz = draw(st.sampled_from(DST_ZONES))
    day = draw(st.sampled_from(transition_days(tz)))
    lead = draw(st.sets(st.integers(0, 30), min_size=1, max_size=5))
    after = draw(st.sets(st.integers(1, 30), max_size=3))
    off = draw(st.sampled_from(sorted({-x for x in lead} | after)))
    at = time(draw(st.sampled_from([0, 1, 2, 3, 4, 23])), draw(st.sampled_from([0, 15, 30, 45, 59])))
    return day - timedelta(days=off), tuple(lead), tuple(after), tz, at


def test_the_dst_strategy_finds_transitions() -> None:
    assert {"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago"} <= set(DST_ZONES)
    assert date(2026, 3, 8) in transition_days("America/New_York")
    assert date(2026, 10, 25) in transition_days("Europe/Berlin")


@settings(max_examples=300, deadline=None)
@given(on_a_dst_day(), st.integers(min_value=-40 * 24, max_value=40 * 24))
def test_plan_properties_on_dst_days(case: tuple, hours: int) -> None:
    expiry, lead, after, tz, at = case
    test_plan_properties.hypothesis.inner_test(expiry, set(lead), set(after), tz, at, hours)


@given(_expiries, st.sampled_from(ZONES), _times)
def test_every_planned_ping_converts_back_to_its_local_time(expiry: date, tz: str, at: time) -> None:
    for p in plan(expiry, tz=tz, at=at):
        local = p.due.astimezone(ZoneInfo(tz))
        exists = wall(local_instant(local.date(), at, tz), tz).time() == at
        assert local.date() == expiry + timedelta(days=p.offset)
        assert (local.time() == at) == exists


# --- transaction IDs ---------------------------------------------------------------------------

# (line id, expiry, offset, snooze count)
_identity = st.tuples(st.integers(min_value=1, max_value=2**53), st.dates(), st.integers(min_value=-365, max_value=365),
                      st.integers(min_value=0, max_value=50))


@given(_identity)
def test_txn_id_is_deterministic_and_url_safe(ident: tuple[int, date, int, int]) -> None:
    assert txn_id(*ident) == txn_id(*ident)
    # It goes into the URL path of PUT /send/{eventType}/{txnId}.
    assert re.fullmatch(r"[A-Za-z0-9._~+-]{1,255}", txn_id(*ident))


@given(_identity, _identity)
def test_txn_id_is_distinct_for_distinct_identities(a: tuple[int, date, int, int], b: tuple[int, date, int, int]) -> None:
    assume(a != b)
    assert txn_id(*a) != txn_id(*b)


def test_txn_id_examples_do_not_collide() -> None:
    ids = {txn_id(line, date(2026, 1, 1) + timedelta(days=d), off, snooze)
           for line in (1, 11, 111) for d in range(0, 40) for off in (-7, -1, 0, 1, 7, 10) for snooze in (0, 1, 11)}
    assert len(ids) == 3 * 40 * 6 * 3
    # A ping that was never snoozed keeps the ID it had before snoozing existed (migration 002), so
    # a send in flight across an upgrade is still deduplicated by the homeserver.
    assert txn_id(5, date(2026, 6, 30), -7, 0) == "ping-5-2026-06-30--7"


# --- backoff -----------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=5000), st.floats(min_value=0, max_value=0.999),
       st.floats(min_value=0.1, max_value=10), st.floats(min_value=1, max_value=3600))
def test_backoff_is_monotonic_and_capped(attempt: int, jitter: float, base: float, cap: float) -> None:
    d1 = backoff_seconds(attempt, base=base, cap=cap, jitter=jitter)
    d2 = backoff_seconds(attempt + 1, base=base, cap=cap, jitter=jitter)
    assert 0 < d1 <= d2
    assert d2 <= cap * (1 + jitter / 2)  # jitter spreads retries by at most half the delay
    if jitter == 0:
        assert d2 <= cap


def test_backoff_doubles_from_the_base_then_stops_at_the_cap() -> None:
    assert [backoff_seconds(a, base=2, cap=60) for a in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    assert backoff_seconds(0, base=2, cap=60) == 2


def test_backoff_survives_very_many_attempts() -> None:
    # A ping that keeps failing is retried forever; its attempt count must never crash the scheduler.
    assert backoff_seconds(10_000, base=2.0, cap=900.0, jitter=0.5) == 900.0 * 1.25
