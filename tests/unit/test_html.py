"""The escaped-template helper (bot/html.py): its fast path for plain templates gives exactly what
markupsafe's formatter gives, escaping included, for any text and values."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from bot.html import Html

#: Text rich in what HTML escaping changes, and anything else.
_TEXT = st.one_of(st.text(alphabet=st.sampled_from(list("ab <>&'\"é漢")), max_size=20), st.text(max_size=20))
_LITERAL = st.text(alphabet=st.sampled_from(list("ab <>&'\"é漢")), max_size=12)
_FIELD = st.sampled_from(["{a}", "{b}", "{0}", "{1}"])
_VALUES = st.one_of(
    _TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
    _TEXT.map(Html), st.just(date(2026, 12, 31)), _TEXT.map(lambda s: Markup("<b>{}</b>").format(s)),
)


@given(st.lists(st.tuples(_LITERAL, _FIELD), max_size=5), _LITERAL, st.lists(_VALUES, min_size=2, max_size=2),
       _VALUES, _VALUES)
def test_a_plain_template_fills_as_markupsafe_does(parts: list[tuple[str, str]], tail: str, args: list[object],
                                                    a: object, b: object) -> None:
    template = Html("".join(lit + field for lit, field in parts) + tail)
    fast = template.format(*args, a=a, b=b)
    assert fast == Markup.format(template, *args, a=a, b=b)
    assert type(fast) is Html


@pytest.mark.parametrize("template", ["{a!r}", "{a:>6}", "{a.real}", "{a[0]}", "<i>{0!s}</i>"])
def test_other_templates_go_through_markupsafe(template: str) -> None:
    value = "<x>"
    assert Html(template).format(value, a=value if "[" in template else 5) == Markup.format(
        Html(template), value, a=value if "[" in template else 5)


def test_user_text_is_escaped_and_html_is_not() -> None:
    out = Html("<p>{who} said {what}</p>").format(who="<script>alert(1)</script>", what=Html("<b>hi</b>"))
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt; said <b>hi</b></p>"
    assert Html("{}").format("a'b\"c&") == "a&#x27;b&quot;c&amp;"


def test_a_missing_value_raises_as_before() -> None:
    with pytest.raises(KeyError):
        Html("{nope}").format(a=1)
    with pytest.raises(IndexError):
        Html("{} {}").format("one")
