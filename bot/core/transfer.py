"""Export and import of an owner's data: lines, renewal history and settings, as CSV or JSON.

The export is the import's format, so export-then-import into a fresh account gives the same
``list`` and ``settings``. CSV is what people open in a spreadsheet; JSON is for programs.

CSV layout: optional comment rows first (``# renewal-bot export 1``, then one
``# setting,<key>,<value>`` row per setting), then a header and one row per line. ``history`` holds
the line's renewals as ``old>new@when`` separated by ``;``. A plain ``provider,expiry,label`` file
(with or without that header) imports too.

Parsing is all or nothing: every bad row is reported with its row number and a reason code (an
i18n message id), and the caller stores nothing unless there are none. Pure: provider names and
dates are checked through callables the caller passes.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bot.core.args import clean_label
from bot.core.model import Line, Renewal

FORMAT_VERSION = 1
COLUMNS = ("number", "provider", "label", "expiry", "lead_days", "reminders", "mention", "history", "plan")
SIMPLE_COLUMNS = ("provider", "expiry", "label")
#: Settings that travel with an export (owner settings the user chose).
SETTING_KEYS = ("timezone", "time", "lead_days", "language", "digest")


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export holds."""

    lines: Sequence[Line]
    renewals: dict[int, list[Renewal]] = field(default_factory=dict)  # line id -> oldest first
    settings: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ImportedLine:
    row: int  # 1-based row number in the file, as a spreadsheet shows it
    provider: str  # a catalog provider id
    expiry: date
    label: str = ""
    number: int | None = None
    lead_days: tuple[int, ...] | None = None
    reminders_off: bool = False
    mention: str | None = None
    history: tuple[tuple[date, date, datetime], ...] = ()


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    code: str  # i18n message id: import.err.*
    value: str = ""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    lines: tuple[ImportedLine, ...]
    settings: dict[str, str]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(ValueError):
    """The file as a whole cannot be read (not CSV/JSON, too big, empty)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- export ------------------------------------------------------------------------------------

def _days(d: tuple[int, ...] | None) -> str:
    return " ".join(str(x) for x in d) if d is not None else ""


def _history(renewals: Sequence[Renewal]) -> str:
    return ";".join(
        f"{r.old_expiry.isoformat()}>{r.new_expiry.isoformat()}@{r.at.astimezone(UTC).isoformat()}"
        for r in renewals
    )


#: What a spreadsheet reads as the start of a formula (CSV injection, OWASP): a cell starting with
#: one of these is written with a ``'`` before it, which spreadsheets show as text and import drops
#: (a cell that starts with ``'`` itself gets one too, so that it reads back as it was).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = (*_FORMULA_START, "'")


def _cell(value: str) -> str:
    """A free-text cell (label, mention) that a spreadsheet will not run as a formula: a label such
    as ``=HYPERLINK("http://…")`` is someone's text, never a link or a calculation."""
    return "'" + value if value.startswith(_QUOTED) else value


def _uncell(value: str) -> str:
    """The text :func:`_cell` protected, as it was."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_QUOTED) else value


def export_csv(data: Exported) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f"# renewal-bot export {FORMAT_VERSION}"])
    for key in SETTING_KEYS:
        if key in data.settings:
            w.writerow(["# setting", key, data.settings[key]])
    w.writerow(COLUMNS)
    for line in sorted(data.lines, key=lambda x: x.number):
        w.writerow([
            line.number, line.provider, _cell(line.label), line.expiry.isoformat(), _days(line.lead_days),
            "off" if line.reminders_off else "on", _cell(line.mention or ""),
            _history(data.renewals.get(line.id, [])), line.variant or "",
        ])
    # UTF-8 with a BOM: spreadsheets then read Chinese labels correctly.
    return buf.getvalue().encode("utf-8-sig")


def export_json(data: Exported) -> bytes:
    doc = {
        "format": "renewal-bot export",
        "version": FORMAT_VERSION,
        "settings": {k: data.settings[k] for k in SETTING_KEYS if k in data.settings},
        "lines": [
            {
                "number": line.number,
                "provider": line.provider,
                "label": line.label,
                "expiry": line.expiry.isoformat(),
                "lead_days": list(line.lead_days) if line.lead_days is not None else None,
                "reminders": not line.reminders_off,
                "mention": line.mention,
                "plan": line.variant,
                "history": [
                    {"old": r.old_expiry.isoformat(), "new": r.new_expiry.isoformat(),
                     "at": r.at.astimezone(UTC).isoformat()}
                    for r in data.renewals.get(line.id, [])
                ],
            }
            for line in sorted(data.lines, key=lambda x: x.number)
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


# --- import ------------------------------------------------------------------------------------

ResolveProvider = Callable[[str], str | None]
ParseExpiry = Callable[[str], date]  # raises ValueError (or a subclass) with a reason


@dataclass
class _Rules:
    resolve_provider: ResolveProvider
    parse_expiry: ParseExpiry
    max_label: int
    valid_mention: Callable[[str], bool]


def parse_import(
    data: bytes,
    *,
    resolve_provider: ResolveProvider,
    parse_expiry: ParseExpiry,
    max_rows: int,
    max_label: int,
    max_bytes: int = 256 * 1024,
    valid_mention: Callable[[str], bool] = lambda s: s.startswith("@") and ":" in s,
) -> ImportPlan:
    """Read a CSV or JSON file into an :class:`ImportPlan`; never raises for a bad row."""
    if len(data) > max_bytes:
        raise ImportRefused("import.err.too_big")
    try:
        # Excel's "Unicode text" is UTF-16 with a byte order mark; everything else is UTF-8.
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("import.err.encoding") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and not re.search(r"[,;\t\n]", text):
        raise ImportRefused("import.err.encoding")  # any bytes "decode" as UTF-16: a table has separators
    if not text.strip():
        raise ImportRefused("import.err.empty")
    rules = _Rules(resolve_provider, parse_expiry, max_label, valid_mention)
    if text.lstrip().startswith("{"):
        plan = _parse_json(text, rules)
    else:
        plan = _parse_csv(text, rules)
    if len(plan.lines) > max_rows:
        return ImportPlan(plan.lines, plan.settings,
                          plan.errors + (RowError(0, "import.err.too_many", str(max_rows)),))
    return plan


def _delimiter(text: str) -> str:
    """``,`` unless the first row that is not a comment splits more on ``;`` or a tab: a
    spreadsheet saves CSV with ``;`` where the comma is the decimal sign (Indonesia, most of
    Europe), and "Unicode text" with tabs. Quoted parts do not count."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        bare = re.sub(r'"[^"]*"', "", line)
        counts = {d: bare.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: (counts[d], d == ","))
        return best if counts[best] else ","
    return ","


def _parse_csv(text: str, rules: _Rules) -> ImportPlan:
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    except csv.Error:
        raise ImportRefused("import.err.not_csv") from None
    settings: dict[str, str] = {}
    errors: list[RowError] = []
    lines: list[ImportedLine] = []
    header: tuple[str, ...] | None = None
    for index, raw in enumerate(rows, start=1):
        cells = [_uncell(c.strip()) for c in raw]
        if not any(cells):
            continue
        if cells[0].startswith("#"):
            if cells[0].lower() == "# setting" and len(cells) >= 3:
                key, value = cells[1].lower(), cells[2]
                if key in SETTING_KEYS:
                    settings[key] = value
                else:
                    errors.append(RowError(index, "import.err.setting", key))
            continue
        lowered = tuple(c.lower() for c in cells)
        if header is None and ("provider" in lowered and "expiry" in lowered):
            header = lowered
            continue
        fields = dict(zip(header or SIMPLE_COLUMNS, cells, strict=False))
        _take(index, fields, rules, lines, errors)
    return ImportPlan(tuple(lines), settings, tuple(errors))


def _parse_json(text: str, rules: _Rules) -> ImportPlan:
    try:
        doc = json.loads(text)
    except ValueError:
        raise ImportRefused("import.err.not_json") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("lines", []), list):
        raise ImportRefused("import.err.not_json")
    errors: list[RowError] = []
    settings = {
        str(k): str(v) for k, v in (doc.get("settings") or {}).items() if k in SETTING_KEYS
    } if isinstance(doc.get("settings"), dict) else {}
    lines: list[ImportedLine] = []
    for index, item in enumerate(doc.get("lines", []), start=1):
        if not isinstance(item, dict):
            errors.append(RowError(index, "import.err.row"))
            continue
        fields = {k: _json_cell(v) for k, v in item.items()}
        if isinstance(item.get("reminders"), bool):
            fields["reminders"] = "on" if item["reminders"] else "off"
        if isinstance(item.get("history"), list):
            try:
                fields["history"] = ";".join(f"{h['old']}>{h['new']}@{h['at']}" for h in item["history"])
            except (KeyError, TypeError):
                errors.append(RowError(index, "import.err.history"))
                continue
        _take(index, fields, rules, lines, errors)
    return ImportPlan(tuple(lines), settings, tuple(errors))


def _json_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return " ".join(str(x) for x in v)
    return str(v)


def _take(index: int, fields: dict[str, str], rules: _Rules, lines: list[ImportedLine], errors: list[RowError]) -> None:
    """One data row (CSV or JSON alike): its line, or the reason it is refused."""
    line, err = _row(index, fields, rules)
    if err:
        errors.append(err)
    elif line:
        lines.append(line)


def _row(index: int, f: dict[str, str], rules: _Rules) -> tuple[ImportedLine | None, RowError | None]:
    provider_text = f.get("provider", "")
    if not provider_text:
        return None, RowError(index, "import.err.no_provider")
    if f.get("plan"):  # the provider's plan or brand variant (hotlink + starter -> hotlink/starter)
        provider_text = f"{provider_text.partition('/')[0]}/{f['plan']}"
    provider = rules.resolve_provider(provider_text)
    if provider is None:
        return None, RowError(index, "import.err.provider", provider_text)
    expiry_text = f.get("expiry", "")
    if not expiry_text:
        return None, RowError(index, "import.err.no_expiry")
    try:
        expiry = rules.parse_expiry(expiry_text)
    except ValueError:
        return None, RowError(index, "import.err.expiry", expiry_text)
    label = clean_label(f.get("label", ""))  # as a typed label: no control or bidi override characters
    if len(label) > rules.max_label:
        return None, RowError(index, "import.err.label", str(rules.max_label))
    number: int | None = None
    if f.get("number"):
        try:
            number = int(f["number"])
        except ValueError:
            return None, RowError(index, "import.err.number", f["number"])
        if not 1 <= number <= 100_000:
            return None, RowError(index, "import.err.number", f["number"])
    lead: tuple[int, ...] | None = None
    if f.get("lead_days"):
        try:
            lead = tuple(sorted({int(x) for x in f["lead_days"].replace(",", " ").split()}, reverse=True))
        except ValueError:
            return None, RowError(index, "import.err.lead_days", f["lead_days"])
        if any(not 0 <= d <= 60 for d in lead):
            return None, RowError(index, "import.err.lead_days", f["lead_days"])
    reminders = f.get("reminders", "on").lower() or "on"
    if reminders not in ("on", "off"):
        return None, RowError(index, "import.err.reminders", f["reminders"])
    mention = f.get("mention") or None
    if mention is not None and not rules.valid_mention(mention):
        return None, RowError(index, "import.err.mention", mention)
    history: list[tuple[date, date, datetime]] = []
    for part in filter(None, (f.get("history") or "").split(";")):
        try:
            span, at = part.split("@", 1)
            old, new = span.split(">", 1)
            when = datetime.fromisoformat(at)
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            history.append((date.fromisoformat(old), date.fromisoformat(new), when))
        except ValueError:
            return None, RowError(index, "import.err.history", part)
    return ImportedLine(
        row=index, provider=provider, expiry=expiry, label=label, number=number, lead_days=lead,
        reminders_off=reminders == "off", mention=mention, history=tuple(history),
    ), None


# --- what an import changes ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ImportChanges:
    added: tuple[ImportedLine, ...]
    updated: tuple[tuple[Line, ImportedLine], ...]  # (existing line, its new values)
    unchanged: tuple[Line, ...]


def plan_changes(plan: ImportPlan, existing: Sequence[Line]) -> ImportChanges:
    """Match imported lines to the owner's: by (provider, label) when a label is given, else by
    number; a match with a different expiry or setting is an update, anything else an addition."""
    by_key = {(x.provider, x.label.casefold()): x for x in existing if x.label}
    by_number = {x.number: x for x in existing}
    added: list[ImportedLine] = []
    updated: list[tuple[Line, ImportedLine]] = []
    unchanged: list[Line] = []
    taken: set[int] = set()
    for item in plan.lines:
        match = by_key.get((item.provider, item.label.casefold())) if item.label else None
        if match is None and not item.label and item.number is not None:
            cand = by_number.get(item.number)
            if cand is not None and cand.provider == item.provider and not cand.label:
                match = cand
        if match is None or match.id in taken:
            added.append(item)
            continue
        taken.add(match.id)
        same = (
            match.expiry == item.expiry
            and (item.lead_days is None or match.lead_days == item.lead_days)
            and match.reminders_off == item.reminders_off
            and (match.mention or None) == item.mention
        )
        if same:
            unchanged.append(match)
        else:
            updated.append((match, item))
    return ImportChanges(tuple(added), tuple(updated), tuple(unchanged))
