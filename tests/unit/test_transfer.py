"""Export and import: what is exported reads back identically; bad rows are named, not guessed."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.args import clean_label
from bot.core.model import Line, Renewal
from bot.core.transfer import (
    Exported,
    ImportRefused,
    export_csv,
    export_json,
    parse_import,
    plan_changes,
)

PROVIDERS = {"axis": "axis", "telkomsel": "telkomsel", "tsel": "telkomsel", "yes": "yes"}


def resolve(name: str) -> str | None:
    return PROVIDERS.get(name.strip().lower())


def parse(text: str) -> date:
    return date.fromisoformat(text)


def read(data: bytes, **kw: object):
    opts = dict(resolve_provider=resolve, parse_expiry=parse, max_rows=50, max_label=80)
    opts.update(kw)
    return parse_import(data, **opts)  # type: ignore[arg-type]


def mk(n: int, provider: str = "axis", label: str = "", expiry: date = date(2026, 12, 31), **kw: object) -> Line:
    return Line(id=n * 10, owner_id="@a:x", number=n, provider=provider, label=label, expiry=expiry, **kw)  # type: ignore[arg-type]


# Labels as the store holds them: cleaned when typed (and when imported).
labels = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).map(clean_label)
lines_st = st.lists(
    st.builds(
        lambda n, p, lab, e, lead, off, men: (n, p, lab, e, lead, off, men),
        st.integers(1, 500), st.sampled_from(["axis", "telkomsel", "yes"]), labels,
        st.dates(date(2026, 1, 1), date(2028, 12, 31)),
        st.one_of(st.none(), st.lists(st.integers(0, 60), min_size=1, max_size=4, unique=True)
                  .map(lambda xs: tuple(sorted(xs, reverse=True)))),
        st.booleans(), st.one_of(st.none(), st.just("@mum:example.org")),
    ),
    max_size=12, unique_by=lambda x: x[0],
)


@settings(max_examples=150, deadline=None)
@given(rows=lines_st, as_json=st.booleans())
def test_export_then_import_gives_the_same_lines(rows: list, as_json: bool) -> None:
    lines = [mk(n, p, lab, e, lead_days=lead, reminders_off=off, mention=men)
             for n, p, lab, e, lead, off, men in rows]
    renewals = {lines[0].id: [Renewal(lines[0].id, date(2026, 1, 1), lines[0].expiry,
                                      datetime(2026, 1, 2, 3, 4, tzinfo=UTC))]} if lines else {}
    data = Exported(lines, renewals, {"timezone": "Asia/Jakarta", "time": "08:30", "language": "zh-Hant"})
    plan = read(export_json(data) if as_json else export_csv(data))
    assert plan.ok, plan.errors
    assert plan.settings == {"timezone": "Asia/Jakarta", "time": "08:30", "language": "zh-Hant"}
    got = sorted(plan.lines, key=lambda x: x.number or 0)
    want = sorted(lines, key=lambda x: x.number)
    assert [(g.number, g.provider, g.label, g.expiry, g.lead_days, g.reminders_off, g.mention) for g in got] == \
        [(w.number, w.provider, w.label, w.expiry, w.lead_days, w.reminders_off, w.mention) for w in want]
    if lines:
        first = next(g for g in got if g.number == lines[0].number)
        assert first.history == ((date(2026, 1, 1), lines[0].expiry, datetime(2026, 1, 2, 3, 4, tzinfo=UTC)),)


def test_a_simple_three_column_file_imports_with_or_without_header() -> None:
    for text in ("provider,expiry,label\nAXIS,2026-12-31,Mum\ntsel,2027-01-05,\n",
                 "axis,2026-12-31,Mum\nTSEL,2027-01-05\n"):
        plan = read(text.encode())
        assert plan.ok
        assert [(x.provider, x.expiry, x.label) for x in plan.lines] == [
            ("axis", date(2026, 12, 31), "Mum"), ("telkomsel", date(2027, 1, 5), "")]


def test_bad_rows_are_each_named_by_row_number_and_reason() -> None:
    text = ("provider,expiry,label\n"
            "axis,2026-12-31,ok\n"
            "nokia,2026-12-31,x\n"        # row 3: unknown provider
            "axis,31st of never,x\n"      # row 4: bad date
            ",2026-12-31,x\n"             # row 5: no provider
            f"axis,2026-12-31,{'y' * 81}\n")  # row 6: label too long
    plan = read(text.encode())
    assert not plan.ok
    assert [(e.row, e.code) for e in plan.errors] == [
        (3, "import.err.provider"), (4, "import.err.expiry"), (5, "import.err.no_provider"),
        (6, "import.err.label")]
    assert plan.errors[0].value == "nokia"


def test_limits_and_unreadable_files() -> None:
    many = "\n".join(f"axis,2026-12-{d:02d}" for d in range(1, 11)).encode()
    plan = read(many, max_rows=5)
    assert [e.code for e in plan.errors] == ["import.err.too_many"]
    with pytest.raises(ImportRefused) as e:
        read(b"x" * 2000, max_bytes=1000)
    assert e.value.code == "import.err.too_big"
    with pytest.raises(ImportRefused):
        read(b"\xff\xfe\x00garbage")
    with pytest.raises(ImportRefused):
        read(b"  \n ")
    with pytest.raises(ImportRefused):
        read(b"{not json")


def test_csv_export_opens_in_spreadsheets_and_keeps_chinese_labels() -> None:
    raw = export_csv(Exported([mk(1, label="妈妈的卡, 备用")], {}, {}))
    assert raw.startswith("\ufeff".encode())
    assert "妈妈的卡, 备用" in raw.decode("utf-8-sig")
    doc = json.loads(export_json(Exported([mk(1, label="妈妈")], {}, {})))
    assert doc["lines"][0]["label"] == "妈妈" and doc["version"] == 1


def test_plan_changes_matches_by_provider_and_label() -> None:
    existing = [mk(1, "axis", "Mum", date(2026, 12, 1)), mk(2, "yes", "Dad", date(2026, 12, 5))]
    plan = read(b"provider,expiry,label\naxis,2027-01-01,mum\nyes,2026-12-05,Dad\naxis,2027-02-02,New\n")
    changes = plan_changes(plan, existing)
    assert [(old.number, new.expiry) for old, new in changes.updated] == [(1, date(2027, 1, 1))]
    assert [x.number for x in changes.unchanged] == [2]
    assert [x.label for x in changes.added] == ["New"]


def test_imported_labels_are_cleaned_like_typed_ones() -> None:
    """A right-to-left override in an imported label would make "gnp.exe" read "exe.png"."""
    plan = read("provider,expiry,label\naxis,2026-12-31,my \u202egnp.exe\n".encode())
    assert plan.ok and plan.lines[0].label == "my gnp.exe"


@pytest.mark.parametrize("label", ['=HYPERLINK("http://evil.example/x","Mum")', "+62 812 Work", "-Dad", "@room",
                                   "'=already quoted", "'plain quote"])
def test_a_label_a_spreadsheet_would_run_is_exported_as_text_and_reads_back(label: str) -> None:
    """QA: ``add axis +30d =HYPERLINK(...)`` was exported as a live formula (CSV injection)."""
    line = mk(1, label=label, mention="@mum:example.org")
    data = export_csv(Exported(lines=[line], renewals={}, settings={}))
    import csv as csvmod
    import io

    rows = [r for r in csvmod.reader(io.StringIO(data.decode("utf-8-sig"))) if r and not r[0].startswith("#")]
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["label"].startswith("'") and cells["mention"] == "'@mum:example.org"
    back = read(data)
    assert not back.errors
    assert (back.lines[0].label, back.lines[0].mention) == (label, "@mum:example.org")


@pytest.mark.parametrize(("name", "data"), [
    ("semicolons (a spreadsheet where the comma is the decimal sign)",
     b"provider;expiry;label\r\naxis;2027-01-15;\"Mum; and Dad\"\r\ntsel;2027-02-01;Work, phone\r\n"),
    ("tabs", b"provider\texpiry\tlabel\naxis\t2027-01-15\tMum; and Dad\ntsel\t2027-02-01\tWork, phone\n"),
    ("UTF-16 'Unicode text'", "provider\texpiry\tlabel\naxis\t2027-01-15\tMum; and Dad\ntsel\t2027-02-01\tWork, phone\n"
     .encode("utf-16")),
])
def test_a_spreadsheets_own_csv_flavours_import(name: str, data: bytes) -> None:
    """QA: a file saved by a spreadsheet in Indonesian (``;``) or as "Unicode text" (UTF-16, tabs)
    failed on every row ("Unknown provider 'provider;expiry;label'", "not UTF-8")."""
    plan = read(data)
    assert not plan.errors, (name, plan.errors)
    assert [(x.provider, x.expiry, x.label) for x in plan.lines] == [
        ("axis", date(2027, 1, 15), "Mum; and Dad"), ("telkomsel", date(2027, 2, 1), "Work, phone")]


def test_commas_still_win_over_semicolons_in_a_label() -> None:
    plan = read(b"axis,2027-01-15,Kerja;Rumah\n")
    assert not plan.errors and plan.lines[0].label == "Kerja;Rumah"
