"""The command parser: every command and alias, every mistake, and properties over arbitrary text."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core import commands as c
from bot.core.commands import CommandError, addressed, parse, parse_lead_days, parse_time
from bot.core.dates import DateError
from bot.i18n import catalog, gettext

TODAY = date(2026, 5, 10)
#: The English catalog (every feature's .po): every command mistake must be explained there.
EN = catalog("en")


def p(text: str, lang: str = "en") -> c.Command:
    return parse(text, today=TODAY, lang=lang)


def error_of(text: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        p(text)
    err = info.value
    # Every mistake is explained by a message that exists in English and renders with its params.
    assert err.msgid in EN, f"{err.msgid} is not in locales/en/core.po"
    rendered = gettext("en", err.msgid, **err.params)
    assert "{" not in rendered and rendered != err.msgid
    return err


# --- every command, with arguments ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", c.Help()),
        ("help add", c.Help(topic="add")),
        ("help rm", c.Help(topic="remove")),  # an alias as topic names the command
        ("help nonsense", c.Help(topic="nonsense")),
        ("HELP", c.Help()),
        ("add axis 2026-12-31", c.Add(provider="axis", expiry=date(2026, 12, 31))),
        ("add axis 2026-12-31 My AXIS", c.Add("axis", date(2026, 12, 31), "My AXIS")),
        ("add axis 2026-12-31 My  spare   AXIS card", c.Add("axis", date(2026, 12, 31), "My spare AXIS card")),
        ("add axis 31/12/2026 work phone", c.Add("axis", date(2026, 12, 31), "work phone")),
        ("add xl tomorrow Mum", c.Add("xl", TODAY + timedelta(days=1), "Mum")),
        (
            "add axis 2026-12-31 My AXIS @bob:example.org",
            c.Add("axis", date(2026, 12, 31), "My AXIS", mention="@bob:example.org"),
        ),
        ("add axis 2026-12-31 @bob:example.org", c.Add("axis", date(2026, 12, 31), "", "@bob:example.org")),
        ("list", c.ListLines()),
        ("list 3", c.ListLines(page=3)),
        ("list all", c.ListLines(all_rooms=True)),
        ("ls ALL", c.ListLines(all_rooms=True)),
        ("renewed 2", c.Renewed(number=2)),
        ("renewed #2", c.Renewed(number=2)),
        ("renewed 1 2026-12-31", c.Renewed(number=1, new_expiry=date(2026, 12, 31))),
        ("renewed 1 31/12/2026", c.Renewed(number=1, new_expiry=date(2026, 12, 31))),
        ("renewed 1 +30d", c.Renewed(number=1, extend=c.Extend(30))),
        ("renewed 1 +30", c.Renewed(number=1, extend=c.Extend(30))),
        ("renewed 1 +7 days", c.Renewed(number=1, extend=c.Extend(7))),
        ("renewed 1 +1 day", c.Renewed(number=1, extend=c.Extend(1))),
        ("renewed 1 +731d", c.Renewed(number=1, extend=c.Extend(731))),
        ("edit 1 date 2026-12-31", c.Edit(number=1, field="date", expiry=date(2026, 12, 31))),
        ("edit 1 expiry 2026-12-31", c.Edit(number=1, field="date", expiry=date(2026, 12, 31))),
        ("edit 1 label Work phone", c.Edit(number=1, field="label", text="Work phone")),
        ("edit 1 name Work", c.Edit(number=1, field="label", text="Work")),
        ("edit 1 label", c.Edit(number=1, field="label", text="")),  # clears the label
        ("edit 1 provider telkomsel", c.Edit(number=1, field="provider", text="telkomsel")),
        ("edit 1 CARRIER xl", c.Edit(number=1, field="provider", text="xl")),
        ("remove 4", c.Remove(4)),
        ("rm #4", c.Remove(4)),
        ("remind 1 7,3,1", c.Remind(target=1, days=(7, 3, 1))),
        ("remind 1 1 3 7", c.Remind(target=1, days=(7, 3, 1))),
        ("remind 1 7, 3, 3, 0", c.Remind(target=1, days=(7, 3, 0))),
        ("remind all 14,7", c.Remind(target=None, days=(14, 7))),
        ("remind all 0", c.Remind(target=None, days=(0,))),
        ("remind all off", c.Remind(target=None, days=None)),
        ("remind 2 OFF", c.Remind(target=2, days=None)),
        ("remind 2 none", c.Remind(target=2, days=None)),
        ("timezone Asia/Jakarta", c.SetTimezone("Asia/Jakarta")),
        ("tz WIB", c.SetTimezone("WIB")),
        ("time 09:00", c.SetTime(time(9, 0))),
        ("time 9:30", c.SetTime(time(9, 30))),
        ("time 21.15", c.SetTime(time(21, 15))),
        ("time 9am", c.SetTime(time(9, 0))),
        ("time 9 AM", c.SetTime(time(9, 0))),
        ("time 9pm", c.SetTime(time(21, 0))),
        ("time 12pm", c.SetTime(time(12, 0))),
        ("time 12am", c.SetTime(time(0, 0))),
        ("time 11:45pm", c.SetTime(time(23, 45))),
        ("time 0:00", c.SetTime(time(0, 0))),
        ("time 23:59", c.SetTime(time(23, 59))),
        ("time 7", c.SetTime(time(7, 0))),
        ("settings", c.Settings()),
        ("config", c.Settings()),
        ("language id", c.SetLanguage("id")),
        ("lang zh-Hant", c.SetLanguage("zh-Hant")),
        ("howto", c.Howto()),
        ("howto 2", c.Howto(number=2)),
        ("howto #2", c.Howto(number=2)),
        ("howto axis", c.Howto(provider="axis")),
        ("howto smart fren", c.Howto(provider="smart fren")),
        ("providers", c.Providers()),
        ("providers Indonesia", c.Providers(country="Indonesia")),
        ("check Your number is blocked, top up via t.me/agent", c.Check("Your number is blocked, top up via t.me/agent")),
        ("scamguard", c.ScamGuard(on=None)),
        ("scamguard on", c.ScamGuard(on=True)),
        ("scamguard off", c.ScamGuard(on=False)),
        # Multi-word aliases win over their shorter prefixes; CJK aliases need no space.
        ("sudah perpanjang 1 +30d", c.Renewed(number=1, extend=c.Extend(30))),
        ("perpanjang 1", c.Renewed(number=1)),
        ("zona waktu WIB", c.SetTimezone("WIB")),
        ("cara isi ulang 1", c.Howto(number=1)),
        ("续费1", c.Renewed(number=1)),
        ("已续费 1 +30d", c.Renewed(number=1, extend=c.Extend(30))),
        ("删除2", c.Remove(2)),
        ("帮助", c.Help()),
        ("hapus 3", c.Remove(3)),
        ("  list   2  ", c.ListLines(page=2)),
    ],
)
def test_parses_to_the_typed_command(text: str, expected: c.Command) -> None:
    assert p(text) == expected


def test_every_command_has_one_row_and_no_alias_is_shared() -> None:
    names = [s.name for s in c.COMMANDS]
    assert len(names) == len(set(names)) and len({s.type for s in c.COMMANDS}) == len(names)
    for s in c.COMMANDS:
        assert s.name in s.aliases, "a command's own name is one of its aliases"
        assert c.spec_of(c.spec(s.name).parse(c.split_command(s.name + s.example), date(2026, 1, 1), "en")) is s
    seen: dict[str, str] = {}
    for name, aliases in c.ALIASES.items():
        for alias in aliases:
            assert seen.setdefault(alias.lower(), name) == name, f"{alias!r} means two commands"


# Each alias, typed any way and followed by its row's example arguments, gives the same command:
# a new row is covered here without adding anything to this file.
_ALIAS_CASES = [(alias, s) for s in c.COMMANDS for alias in dict.fromkeys(s.aliases)]


@pytest.mark.parametrize(("alias", "spec"), _ALIAS_CASES, ids=[f"{s.name}:{a}" for a, s in _ALIAS_CASES])
def test_every_alias_parses_like_its_command(alias: str, spec: c.CommandSpec) -> None:
    args = spec.example
    canonical = p(spec.name + args)
    assert isinstance(canonical, spec.type)
    assert p(alias + args) == canonical
    assert p(alias.upper() + args) == canonical  # case does not matter
    assert c.split_command(alias + args).name == spec.name


# --- addressed(): DM vs group ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "require_prefix", "expected"),
    [
        ("!list", False, "list"),
        ("list", False, "list"),  # DM: the prefix is optional
        ("  !  list 2 ", False, "list 2"),
        ("!list", True, "list"),
        ("list", True, None),  # group: only prefixed messages are commands
        ("hello everyone, list your plans", True, None),
        ("!", True, None),
        ("!", False, None),
        ("   ", False, None),
        ("", False, None),
        ("!!help", True, "!help"),  # only one prefix is taken off
    ],
)
def test_addressed(text: str, require_prefix: bool, expected: str | None) -> None:
    assert addressed(text, prefix="!", require_prefix=require_prefix) == expected


def test_addressed_with_a_long_prefix() -> None:
    assert addressed("!rb help", prefix="!rb", require_prefix=True) == "help"
    assert addressed("!help", prefix="!rb", require_prefix=True) is None
    assert addressed("rb: help", prefix="rb:", require_prefix=True) == "help"


@given(st.text(max_size=50))
def test_group_messages_without_the_prefix_are_never_commands(s: str) -> None:
    if not s.strip().startswith("!"):
        assert addressed(s, prefix="!", require_prefix=True) is None
    # Whatever is returned is stripped and never empty.
    out = addressed(s, prefix="!", require_prefix=False)
    assert out is None or (out and out == out.strip())


# --- mistakes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("remov 1", "remove"),
        ("renwed 1", "renewed"),
        ("settigns", "settings"),
        ("timezon WIB", "timezone"),
        ("hlep", "help"),
        ("xyzzy plugh", "help"),  # nothing close: point at help
    ],
)
def test_unknown_command_suggests_the_closest(text: str, suggestion: str) -> None:
    err = error_of(text)
    assert err.msgid == "error.unknown_command"
    assert err.params["suggestion"] == suggestion
    assert err.params["command"] == text.split()[0]


def test_unknown_command_quotes_at_most_40_characters() -> None:
    err = error_of("x" * 5000)
    assert err.msgid == "error.unknown_command"
    assert len(str(err.params["command"])) <= 40


@pytest.mark.parametrize("text", ["ya sudah bayar", "no thanks", "yes please do"])
def test_a_sentence_that_starts_like_yes_or_no_is_an_unknown_command(text: str) -> None:
    err = error_of(text)
    assert err.msgid == "error.unknown_command"
    assert err.params["command"] == text.split()[0]


def test_a_command_word_must_be_whole() -> None:
    # "listing" is not "list": single-word aliases need a space or the end after them.
    assert error_of("listing").msgid == "error.unknown_command"
    assert error_of("addaxis 2026-12-31").msgid == "error.unknown_command"


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        # missing arguments
        ("add", "error.add_usage"),
        ("add axis", "error.missing_date"),
        ("add axis @bob:example.org", "error.missing_date"),
        ("renewed", "error.missing_number"),
        ("remove", "error.missing_number"),
        ("edit", "error.missing_number"),
        ("edit 1", "error.edit_usage"),
        ("edit 1 date", "error.edit_missing_date"),
        ("edit 1 provider", "error.edit_usage"),
        ("edit 1 provider two words", "error.edit_usage"),
        ("edit 1 colour red", "error.edit_field"),
        ("remind", "error.remind_usage"),
        ("remind all", "error.remind_usage"),
        ("remind 1", "error.remind_usage"),
        ("timezone", "error.timezone_usage"),
        ("timezone Asia Jakarta Indonesia WIB", "error.timezone_usage"),
        ("time", "error.time_usage"),
        ("language", "error.language_usage"),
        ("language en id ms zh", "error.language_usage"),
        ("check", "error.check_usage"),
        ("scamguard maybe", "error.scamguard_usage"),
        # bad numbers
        ("remove x", "error.bad_number"),
        ("remove 0", "error.bad_number"),
        ("remove -1", "error.bad_number"),
        ("remove 1.5", "error.bad_number"),
        ("remove 1234567", "error.bad_number"),
        ("remove ²", "error.bad_number"),  # a digit to str.isdigit, not to int()
        ("renewed ¹ +30d", "error.bad_number"),
        ("edit one label x", "error.bad_number"),
        ("remind x 7", "error.bad_number"),
        ("list 0", "error.bad_page"),
        ("list two", "error.bad_page"),
        ("list ²", "error.bad_page"),
        ("list 9999999", "error.bad_page"),
        ("renewed 1 +0d", "error.bad_extend"),
        ("renewed 1 +732d", "error.bad_extend"),
        ("renewed 1 2026-12-31 please", "error.extra_words"),
        ("edit 1 date 2026-12-31 please", "error.extra_words"),
        # bad days lists
        ("remind all 7,x", "error.bad_days"),
        ("remind all 366", "error.bad_days"),
        ("remind all -1", "error.bad_days"),
        ("remind all 1.5", "error.bad_days"),
        ("remind all ,,,", "error.bad_days"),
        ("remind all ²", "error.bad_days"),
        ("remind all 1,2,3,4,5,6,7,8,9,10,11", "error.bad_days"),
        ("remind all " + "9" * 5000, "error.bad_days"),  # int() refuses > 4300 digits
        # bad times
        ("time 24:00", "error.bad_time"),
        ("time 9:60", "error.bad_time"),
        ("time 9:5", "error.bad_time"),
        ("time 13pm", "error.bad_time"),
        ("time 0am", "error.bad_time"),
        ("time noon", "error.bad_time"),
        ("time 09:00:00", "error.bad_time"),
        ("time 123", "error.bad_time"),
        ("time -1", "error.bad_time"),
    ],
)
def test_mistakes_raise_command_error(text: str, msgid: str) -> None:
    assert error_of(text).msgid == msgid


def test_howto_with_a_strange_digit_is_a_provider_name_not_a_crash() -> None:
    assert p("howto ²") == c.Howto(provider="²")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("add axis notadate", "bad"),
        ("add axis 2020-01-01", "past"),
        ("add axis 2020-01-01 old line", "past"),
        ("add axis 2099-01-01", "far"),
        ("renewed 1 2026-02-30", "no_such_day"),
        ("renewed 1 2026-05-09", "past"),
        ("edit 1 date 2040-01-01", "far"),
    ],
)
def test_bad_dates_raise_date_error(text: str, code: str) -> None:
    with pytest.raises(DateError) as info:
        p(text)
    assert info.value.code == code
    assert f"error.date_{code}" in EN


def test_a_bad_date_is_not_swallowed_by_the_label() -> None:
    # An impossible date followed by a label is refused, not read as a label without a date.
    with pytest.raises(DateError) as info:
        p("add axis 2026-13-45 mine")
    assert info.value.code == "bad"


# --- properties --------------------------------------------------------------------------------

_WORDS = sorted(c._ALIAS_TO_NAME) + [
    "1", "2", "#3", "0", "-1", "all", "off", "on", "+30d", "+0d", "2026-12-31", "31/12/2026",
    "tomorrow", "²", "٣", "１", "date", "label", "provider", "@a:b", "9am", "12:61", "\x00",
]
_MESSAGES = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=12)), max_size=8).map(" ".join)


def _only_command_or_user_error(text: str) -> None:
    try:
        result = parse(text, today=TODAY)
    except CommandError as err:
        assert err.msgid in EN
    except DateError as err:
        assert err.code in {"bad", "past", "far"}
    else:
        assert isinstance(result, tuple(s.type for s in c.COMMANDS))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_MESSAGES)
def test_parse_of_command_like_text_never_crashes(text: str) -> None:
    _only_command_or_user_error(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
@example("remind all " + "9" * 5000)
@example("list ²")
@example("\u0130" * 100)  # İ: lower() makes it longer
@example("\ufdfa" * 50)  # NFKC expands it to 18 characters
@example("续费" + "²")
def test_parse_of_arbitrary_text_never_crashes(text: str) -> None:
    _only_command_or_user_error(text)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(sorted(c._ALIAS_TO_NAME)), st.text(min_size=1, max_size=20), st.integers(500, 5000))
def test_parse_of_huge_text_never_crashes(alias: str, chunk: str, times: int) -> None:
    _only_command_or_user_error(alias + " " + chunk * times)


def test_parse_of_a_huge_message_is_fast() -> None:
    start = datetime.now()
    for text in ("a" * 200_000, "add axis " + "x " * 50_000, "check " + "y" * 200_000, "remind all " + "7," * 50_000):
        _only_command_or_user_error(text)
    assert datetime.now() - start < timedelta(seconds=2)


_DAYS = st.sets(st.integers(min_value=0, max_value=c.MAX_LEAD_VALUE), min_size=1, max_size=c.MAX_LEAD_DAYS)


@given(_DAYS, st.sampled_from([",", " ", ", ", " , ", "，", "、", ";"]), st.randoms())
def test_lead_days_round_trip(days: set[int], sep: str, rnd) -> None:
    order = sorted(days)
    rnd.shuffle(order)
    text = sep.join(str(d) for d in order)
    assert parse_lead_days(text) == tuple(sorted(days, reverse=True))
    # What settings prints ("7, 3, 1, 0") reads back the same.
    printed = ", ".join(str(d) for d in parse_lead_days(text))
    assert parse_lead_days(printed) == parse_lead_days(text)


@given(st.lists(st.integers(min_value=0, max_value=c.MAX_LEAD_VALUE), min_size=1, max_size=c.MAX_LEAD_DAYS))
def test_lead_days_drop_duplicates(days: list[int]) -> None:
    assert parse_lead_days(",".join(map(str, days))) == tuple(sorted(set(days), reverse=True))


@given(st.lists(st.integers(min_value=0, max_value=365), min_size=c.MAX_LEAD_DAYS + 1, max_size=20))
def test_too_many_lead_days_are_refused(days: list[int]) -> None:
    with pytest.raises(CommandError) as info:
        parse_lead_days(",".join(map(str, days)))
    assert info.value.msgid == "error.bad_days"


@given(st.integers(min_value=366, max_value=10**30))
def test_lead_days_above_the_maximum_are_refused(day: int) -> None:
    with pytest.raises(CommandError):
        parse_lead_days(f"7,{day}")


def test_parse_time_round_trips_every_hh_mm() -> None:
    for minute_of_day in range(24 * 60):
        expected = time(minute_of_day // 60, minute_of_day % 60)
        assert parse_time(expected.strftime("%H:%M")) == expected
        assert parse_time(expected.strftime("%H.%M")) == expected
        assert parse_time(f"{expected.hour}:{expected.minute:02d}") == expected  # 9:30
        assert parse(f"time {expected:%H:%M}", today=TODAY) == c.SetTime(expected)


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=59), st.sampled_from(["am", "pm", "AM", "Pm"]),
       st.sampled_from(["", " "]))
def test_parse_time_12_hour_clock_agrees_with_strptime(hour: int, minute: int, ampm: str, space: str) -> None:
    expected = datetime.strptime(f"{hour}:{minute:02d} {ampm.upper()}", "%I:%M %p").time()
    assert parse_time(f"{hour}:{minute:02d}{space}{ampm}") == expected
    if minute == 0:
        assert parse_time(f"{hour}{space}{ampm}") == expected


@given(st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=99))
def test_parse_time_refuses_impossible_times(hour: int, minute: int) -> None:
    text = f"{hour:02d}:{minute:02d}"
    if hour <= 23 and minute <= 59:
        assert parse_time(text) == time(hour, minute)
    else:
        with pytest.raises(CommandError) as info:
            parse_time(text)
        assert info.value.msgid == "error.bad_time"


@given(st.integers(min_value=1, max_value=999_999))
def test_line_numbers_read_back(n: int) -> None:
    assert p(f"remove {n}") == c.Remove(n)
    assert p(f"renewed #{n}") == c.Renewed(number=n)


@given(st.integers(min_value=1, max_value=731))
def test_extend_days_read_back(n: int) -> None:
    assert p(f"renewed 1 +{n}d") == c.Renewed(number=1, extend=c.Extend(n))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(min_value=1, max_value=731))
def test_extend_from_adds_to_the_active_period_or_to_today(expiry: date, days: int) -> None:
    new = c.extend_from(expiry, TODAY, days)
    if expiry >= TODAY:
        assert new - expiry == timedelta(days=days)
    else:
        assert new - TODAY == timedelta(days=days)
    assert new > TODAY


@pytest.mark.parametrize(("text", "provider"), [
    ("add club sim 2026-12-31", "club sim"),
    ("add china mobile hk 2026-12-31 Work", "china mobile hk"),
    ("add china unicom hong kong 2026-12-31", "china unicom hong kong"),
    ("add 3 macau 31 Dec 2026", "3 macau"),
    ("add axis 2026-12-31 club sim", "axis"),
])
def test_add_reads_a_provider_name_of_up_to_four_words(text: str, provider: str) -> None:
    cmd = p(text)
    assert isinstance(cmd, c.Add) and cmd.provider == provider and cmd.expiry == date(2026, 12, 31)


def test_add_with_five_words_before_the_date_still_says_the_date_is_bad() -> None:
    with pytest.raises(DateError) as info:
        p("add foo bar baz qux quux 2026-12-31")
    assert info.value.code == "bad"
