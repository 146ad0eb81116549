"""Rendering: escaping of user text, help, lists, pings, day counts and the English catalog."""
from __future__ import annotations

import ast
import html
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import bot
from bot.core.commands import ALIASES, COMMANDS, HELP_ORDER
from bot.core.dates import format_date
from bot.core.model import Line
from bot.core.render import (
    Reply,
    carrier_id,
    days_text,
    fill,
    join,
    render_ask_renewal_date,
    render_error,
    render_help,
    render_line_state,
    render_list,
    render_ping,
    render_removed,
    text,
    when_text,
)
from bot.i18n import Translator, catalog

T = Translator("en")
TODAY = date(2026, 5, 10)


def line(number: int = 1, *, provider: str = "axis", label: str = "My AXIS", expiry: date = date(2026, 5, 17)) -> Line:
    return Line(id=number * 10, owner_id="@a:example.org", number=number, provider=provider, label=label, expiry=expiry)


def assert_html_is_escaped_body(reply: Reply) -> None:
    """The HTML is the body, escaped once, with newlines as <br>: no user text can add markup."""
    outside_br = reply.html.replace("<br>", "")
    assert "<" not in outside_br and ">" not in outside_br
    assert '"' not in reply.html and "'" not in reply.html
    # Every & starts an entity that html.escape makes.
    assert all(m in ("&amp;", "&lt;", "&gt;", "&quot;", "&#x27;") for m in re.findall(r"&[^;]*;?", reply.html))
    assert html.unescape(reply.html.replace("<br>", "\n")) == reply.body


# --- escaping ----------------------------------------------------------------------------------

_nasty = st.text(
    alphabet=st.one_of(st.sampled_from(list("<>&\"'/;= \n\x00{}#")), st.characters(codec="utf-8")), max_size=60
)


def _all_replies(ln: Line, t: Translator = T) -> list[Reply]:
    due = int(datetime(2026, 5, 16, 2, 0, tzinfo=UTC).timestamp() * 1000)
    return [
        render_line_state(t, "reply.added", ln, carrier=carrier_id, today=TODAY, lang="en", next_due_ms=due,
                          tz="Asia/Jakarta"),
        render_line_state(t, "reply.edited", ln, carrier=carrier_id, today=TODAY, lang="en", next_due_ms=None,
                          tz="Asia/Jakarta"),
        render_line_state(t, "reply.renewed", ln, carrier=carrier_id, today=TODAY, lang="en", next_due_ms=due, tz="UTC",
                          old="1 May 2026", new="17 May 2026"),
        render_removed(t, ln, carrier=carrier_id),
        render_ask_renewal_date(t, ln, carrier=carrier_id),
        render_ping(t, ln, today=TODAY, lang="en", carrier=carrier_id),
        render_ping(t, ln, today=ln.expiry, lang="en", carrier=carrier_id),
    ]


@settings(max_examples=150, deadline=None)
@given(_nasty, _nasty.filter(bool))
@example("<script>alert('x')</script>", "<b>xl</b>")
@example("Tom & Jerry's \"phone\"", "a&b")
@example("&lt;already escaped&gt;", "&amp;")
@example("A\x002\x00B", "p\x001\x00")  # looks like fill()'s own placeholder marks
@example("{number} {name}", "{0}")
def test_user_strings_are_escaped_in_html_and_verbatim_in_body(label: str, provider: str) -> None:
    ln = line(label=label, provider=provider)
    for reply in _all_replies(ln):
        assert_html_is_escaped_body(reply)
        if label:
            assert label in reply.body
            assert html.escape(label, quote=True) in reply.html
        assert provider in reply.body
        assert html.escape(provider, quote=True) in reply.html


_OUR_TAGS = re.compile(r'</?(p|strong|ul|li|br)>|<span data-mx-color="#d1242f">|</span>')


@settings(max_examples=150, deadline=None)
@given(_nasty, _nasty.filter(bool), st.integers(-10, 40))
@example("<script>alert('x')</script>", "<b>xl</b>", 1)
@example("{number} {name}", "{0}", 2)
def test_list_table_escapes_user_strings(label: str, provider: str, left: int) -> None:
    """The list is an HTML list (never a table): only our own tags, user text escaped once, urgent
    lines marked."""
    ln = line(label=label, provider=provider, expiry=TODAY + timedelta(days=left))
    r = render_list(T, [(ln, None), (line(2), None)], carrier=carrier_id, today=TODAY, lang="en", tz="UTC", count=2, page=1, pages=1)
    stripped = _OUR_TAGS.sub("", r.html)
    assert "<" not in stripped and ">" not in stripped
    if label:
        assert label in r.body and html.escape(label, quote=True) in r.html
    assert provider in r.body and html.escape(provider, quote=True) in r.html
    first = r.body.splitlines()[1]
    assert first.startswith("⚠️") == (left <= 3)
    assert ('<span data-mx-color="#d1242f">' in r.html) == (left <= 3)
    assert "<table" not in r.html


@given(_nasty)
def test_fill_escapes_every_param_exactly_once(value: str) -> None:
    r = fill(T, "error.bad_number", value=value, usage="remove <n>")
    assert r.body == T("error.bad_number", value=value, usage="remove <n>")
    assert_html_is_escaped_body(r)
    assert "&amp;lt;" not in r.html.replace(html.escape(html.escape(value)), "")  # no double escaping


def test_text_and_join_escape_our_own_text_too() -> None:
    r = join([text("a < b"), text('say "hi"')])
    assert r.body == 'a < b\nsay "hi"'
    assert r.html == "a &lt; b<br>say &quot;hi&quot;"
    assert (text("x") + text("<y>")) == Reply("x\n<y>", "x<br>&lt;y&gt;")


def test_error_with_user_text_is_escaped() -> None:
    r = render_error(T, "error.unknown_command", {"command": "<img src=x onerror=alert(1)>", "suggestion": "help"})
    assert "<img" in r.body
    assert "<img" not in r.html and "&lt;img" in r.html
    assert_html_is_escaped_body(r)


# --- help --------------------------------------------------------------------------------------


def test_help_lists_every_command() -> None:
    public = {s.name for s in COMMANDS if not s.admin}  # admin commands are never listed
    assert set(HELP_ORDER) == public, "every command has a line in help, and only commands do"
    assert {"stats", "catalog status"} <= set(ALIASES) - set(HELP_ORDER)
    assert len(HELP_ORDER) == len(set(HELP_ORDER))
    r = render_help(T, prefix="!")
    positions = []
    for name in HELP_ORDER:
        entry = T(f"help.cmd.{name}")
        assert entry != f"help.cmd.{name}", f"help.cmd.{name} is missing"
        assert entry.startswith(name + " "), "each entry starts with the command it describes"
        assert entry in r.body
        positions.append(r.body.index(entry))
        usage = entry.partition(" - ")[0]
        assert f"<code>{html.escape(usage)}</code>" in r.html
    assert positions == sorted(positions), "in HELP_ORDER"
    assert "!" in r.body  # the group prefix is explained
    assert r.html.count("<li>") == len(HELP_ORDER)


@pytest.mark.parametrize("topic", sorted(HELP_ORDER))
def test_help_for_each_command(topic: str) -> None:
    r = render_help(T, prefix="!", topic=topic)
    assert T(f"help.cmd.{topic}") in r.body
    for alias in ALIASES[topic]:
        if alias != topic:
            assert alias in r.body
    assert_html_is_escaped_body(r)


def test_help_for_an_unknown_topic_is_escaped() -> None:
    r = render_help(T, prefix="!", topic="<b>bold</b>")
    assert "<b>bold</b>" in r.body
    assert "&lt;b&gt;bold&lt;/b&gt;" in r.html
    assert_html_is_escaped_body(r)


# --- lists -------------------------------------------------------------------------------------


def test_empty_list() -> None:
    r = render_list(T, [], carrier=carrier_id, today=TODAY, lang="en", tz="UTC", count=0, page=1, pages=1)
    assert r.body == T("reply.list_empty")


def test_list_shows_each_line_with_its_expiry_days_left_and_next_ping() -> None:
    a = line(1, label="Work", provider="axis", expiry=date(2026, 5, 12))
    b = line(2, label="", provider="xl", expiry=date(2026, 5, 10))
    due = int(datetime(2026, 5, 11, 2, 0, tzinfo=UTC).timestamp() * 1000)  # 09:00 in Jakarta
    r = render_list(T, [(b, None), (a, due)], carrier=carrier_id, today=TODAY, lang="en", tz="Asia/Jakarta", count=2,
                    page=1, pages=1)
    rows = r.body.split("\n")
    assert rows[0] == "Your lines (2):"
    assert rows[1].startswith("⚠️ 2. xl - expires 10 May 2026 (expires today)")  # urgent: marked
    assert rows[1].endswith("next reminder: none")
    assert rows[2].startswith("⚠️ 1. Work · axis - expires 12 May 2026 (2 days left)")
    assert rows[2].endswith(f"next reminder: {format_date(date(2026, 5, 11), 'en', weekday=True)} 09:00")
    assert len(rows) == 3  # one page: no page footer
    assert r.html.count("<li>") == 2 and "<table" not in r.html and "next reminder: none" in r.html
    assert r.html.index("<li>⚠️ ") < r.html.index("xl") < r.html.index("Work")


def test_list_pages_and_room_header() -> None:
    rows = [(line(n), None) for n in (1, 2)]
    first = render_list(T, rows, carrier=carrier_id, today=TODAY, lang="en", tz="UTC", count=5, page=1, pages=3,
                        room=True)
    assert first.body.startswith("This room's lines (5):")
    assert first.body.endswith('Page 1 of 3. Send "list 2" for more.')
    last = render_list(T, rows, carrier=carrier_id, today=TODAY, lang="en", tz="UTC", count=5, page=3, pages=3)
    assert last.body.endswith("Page 3 of 3.")


def test_when_text_is_in_the_owners_zone() -> None:
    due = int(datetime(2026, 3, 8, 7, 30, tzinfo=UTC).timestamp() * 1000)
    assert when_text(due, "America/New_York", "en", T) == f"{format_date(date(2026, 3, 8), 'en', weekday=True)} 03:30"
    assert when_text(due, "Asia/Tokyo", "en", T) == f"{format_date(date(2026, 3, 8), 'en', weekday=True)} 16:30"
    assert when_text(None, "UTC", "en", T) == "none"


# --- pings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expiry", "phrase"),
    [
        (date(2026, 5, 17), "7 days left"),
        (date(2026, 5, 11), "1 day left"),
        (date(2026, 5, 10), "TODAY"),
        (date(2026, 5, 9), "expired yesterday"),
        (date(2026, 5, 3), "expired 7 days ago"),
    ],
)
def test_ping_mentions_the_line_the_expiry_and_how_to_mark_it_renewed(expiry: date, phrase: str) -> None:
    ln = line(3, label="Mum", provider="telkomsel", expiry=expiry)
    r = render_ping(T, ln, today=TODAY, lang="en", carrier=lambda _: "Telkomsel")
    assert "line 3" in r.body.lower()
    assert format_date(expiry, "en") in r.body
    assert phrase in r.body
    assert "renewed 3" in r.body
    assert "Telkomsel" in r.body  # official channels of the provider
    assert_html_is_escaped_body(r)


def test_ping_with_steps_uses_them_instead_of_the_generic_advice() -> None:
    steps = Reply("Open the <MyAXIS> app", "Open the &lt;MyAXIS&gt; app")
    r = render_ping(T, line(), today=TODAY, lang="en", carrier=lambda _: "AXIS", steps=steps)
    assert "Open the <MyAXIS> app" in r.body
    assert T("ping.renew", provider="AXIS") not in r.body
    assert "renewed 1" in r.body


# --- days_text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        (-3, "expired 3 days ago"),
        (-2, "expired 2 days ago"),
        (-1, "expired yesterday"),
        (0, "expires today"),
        (1, "1 day left"),
        (2, "2 days left"),
        (3, "3 days left"),
    ],
)
def test_days_text(left: int, expected: str) -> None:
    assert days_text(T, left) == expected


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_days_text_always_has_a_translation(left: int) -> None:
    s = days_text(T, left)
    assert "days." not in s and "{" not in s
    if abs(left) > 1:
        assert str(abs(left)) in s


# --- the English catalog covers every msgid the code uses ----------------------------------------

_MSGID = re.compile(r"^[a-z_]+(\.[a-zA-Z0-9_]+)+$")
# Calls whose first string argument (t, CommandError, Translator(x)) or second (fill, gettext,
# render_error, render_line_state) is a msgid.
_FIRST = {"t", "CommandError", "_t"}
_SECOND = {"fill", "render_error", "render_line_state", "_line_state", "gettext"}
_THIRD = {"error_reply"}
# Msgids built with f-strings, and every value each placeholder takes.
_DYNAMIC = {
    "help.cmd.{}": list(HELP_ORDER) + list(ALIASES),
    "error.date_{}": ["bad", "past", "far"],
    "reply.order.{}": ["DMY", "YMD", "MDY"],
}
# Parts owned and checked elsewhere, or not user-facing.
_SKIP_DIRS = {"catalog", "dev"}
_SKIP_FILES: set[str] = set()


def _callee(node: ast.Call) -> str | None:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    if isinstance(f, ast.Call) and isinstance(f.func, ast.Name) and f.func.id == "Translator":
        return "t"
    return None


def _used_msgids() -> tuple[set[str], set[str]]:
    literal: set[str] = set()
    dynamic: set[str] = set()
    root = Path(bot.__file__).parent
    for path in root.rglob("*.py"):
        if path.name in _SKIP_FILES or _SKIP_DIRS & set(path.relative_to(root).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            index = 0 if name in _FIRST else 1 if name in _SECOND else 2 if name in _THIRD else None
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _MSGID.match(arg.value):
                literal.add(arg.value)
            elif isinstance(arg, ast.JoinedStr):
                dynamic.add("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in arg.values))
            # Conditional msgids: "a" if x else "b"
            elif isinstance(arg, ast.IfExp):
                for branch in (arg.body, arg.orelse):
                    if isinstance(branch, ast.Constant) and isinstance(branch.value, str):
                        literal.add(branch.value)
    return literal, dynamic


def test_every_msgid_the_code_uses_exists_in_english() -> None:
    literal, dynamic = _used_msgids()
    assert len(literal) > 50, "the scan found the msgids"
    assert {"reply.added", "error.no_line", "error.internal", "days.ago"} <= literal  # all kinds of call
    en = catalog("en")
    used = literal | {pattern.format(v) for pattern in dynamic & set(_DYNAMIC) for v in _DYNAMIC[pattern]}
    missing = sorted(m for m in used if m not in en)
    assert not missing, f"msgids used in code but missing from locales/en: {missing}"
    # An f-string msgid whose values this test does not know (e.g. "kind.{}", owned by the catalog
    # code) must at least name a family of messages that exists.
    for pattern in dynamic - set(_DYNAMIC):
        family = re.compile(re.escape(pattern).replace(r"\{\}", r"[A-Za-z0-9_]+") + "$")
        assert any(family.match(m) for m in en), f"no English message matches {pattern!r}"


def test_every_english_message_formats_with_its_own_placeholders() -> None:
    for msgid, msg in catalog("en").items():
        names = set(re.findall(r"{(\w+)}", msg))
        formatted = msg.format(**{n: "X" for n in names})
        assert "{" not in formatted, msgid


@pytest.mark.parametrize("topic", ["stats", "statistics"])
def test_help_does_not_explain_admin_commands(topic: str) -> None:
    r = render_help(T, prefix="!", topic=topic)
    assert r.body == render_help(T, prefix="!", topic="nosuch").body.replace("nosuch", topic)


def test_a_separator_with_newlines_breaks_lines_in_html_too() -> None:
    """A grouped ping joins each line's block with a blank line: in HTML a bare newline is a
    space, and the heading and every line's steps ran together in one paragraph."""
    r = join([text("Reminder for 2 lines:"), text("line 1 <x>"), text("line 2")], sep="\n\n")
    assert r.body == "Reminder for 2 lines:\n\nline 1 <x>\n\nline 2"
    assert r.html == "Reminder for 2 lines:<br><br>line 1 &lt;x&gt;<br><br>line 2"
    assert join([text("a"), text("b")]).html == "a<br>b"
    assert join([text("a"), text("b")], sep=" & ").html == "a &amp; b"
