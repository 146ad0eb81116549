"""Turning results into text: a plain ``body`` and an HTML ``formatted_body``, in the owner's language.

HTML is built only with :mod:`bot.html` templates and :meth:`Translator.html`, which escape
every value that is not already HTML.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from bot.core.args import zone_label
from bot.core.commands import COMMANDS, spec
from bot.core.dates import format_date
from bot.core.model import Line
from bot.html import Html, esc
from bot.i18n import Translator


@dataclass(frozen=True, slots=True)
class FileOut:
    """A file sent after a reply (``export``): the Matrix adapter uploads it as ``m.file``."""

    name: str
    mimetype: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """One message: ``body`` for every client, ``html`` for those that render it."""

    body: str
    html: str  # always a plain str: concatenating it never escapes it again
    file: FileOut | None = None
    #: Holds a secret (a calendar URL): its stored copy is wiped once it is sent.
    secret: bool = False

    def __post_init__(self) -> None:
        if type(self.html) is not str:
            object.__setattr__(self, "html", str(self.html))

    def __add__(self, other: Reply) -> Reply:
        return Reply(self.body + "\n" + other.body, self.html + "<br>" + other.html, self.file or other.file,
                     self.secret or other.secret)


def text(s: str) -> Reply:
    """A reply made only of our own (already localized) text."""
    return Reply(s, esc(s))


def join(parts: Sequence[Reply], sep: str = "\n") -> Reply:
    """Replies one after another; each newline of ``sep`` is a ``<br>`` in HTML (a bare newline
    there renders as a space: a grouped ping's lines ran together)."""
    html_sep = Html("<br>").join(esc(piece) for piece in sep.split("\n"))
    return Reply(sep.join(p.body for p in parts), html_sep.join(Html(p.html) for p in parts))


def fill(t: Translator, msgid: str, **params: object) -> Reply:
    """A localized message whose params may be user text: escaped in HTML, plain in body."""
    return Reply(t(msgid, **params), t.html(msgid, **params))


#: A line's carrier as the reader calls it (``中國移動香港``, ``Singtel Prepaid (hi!Card)``). The
#: service builds it from the catalog in the reply's language (:func:`bot.core.howto.carrier_names`),
#: so nothing here needs the catalog; an id shows only for a provider the catalog no longer knows.
CarrierName = Callable[[Line], str]


def carrier_id(line: Line) -> str:
    """The provider id as the name: only where no catalog is at hand (tests, tools)."""
    return line.provider


#: Between a line's label and its carrier: names carry their own parentheses (``中国联通（香港）``,
#: ``Singtel Prepaid (hi!Card)``), and the templates wrap the whole in parentheses, so brackets here
#: would double up. A middle dot reads as a separator in every language we write.
LABEL_SEP = " · "


def line_name(line: Line, carrier: CarrierName) -> str:
    """``Work · Singtel Prepaid (hi!Card)``, or the carrier alone for a line without a label."""
    return labelled(line.label, carrier(line))


def labelled(label: str, carrier_name: str) -> str:
    """A label (isolated, it may be right-to-left) and a carrier's name, as :func:`line_name`."""
    return f"{isolate(label)}{LABEL_SEP}{carrier_name}" if label else carrier_name


def isolate(label: str) -> str:
    """A label with right-to-left letters inside a first-strong isolate (U+2068 ... U+2069), so
    that a Hebrew or Arabic label does not turn the rest of its line around."""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in label):
        return f"\u2068{label}\u2069"
    return label


def days_text(t: Translator, left: int) -> str:
    if left > 1:
        return t("days.left", n=left)
    if left == 1:
        return t("days.left_one")
    if left == 0:
        return t("days.today")
    if left == -1:
        return t("days.ago_one")
    return t("days.ago", n=-left)


def when_text(due_ms: int | None, tz: str, lang: str, t: Translator) -> str:
    if due_ms is None:
        return t("reply.next_none")
    local = datetime.fromtimestamp(due_ms / 1000, ZoneInfo(tz))
    return f"{format_date(local.date(), lang, weekday=True)} {local:%H:%M}"


# --- replies ------------------------------------------------------------------------------


def render_help(t: Translator, *, prefix: str, topic: str | None = None, hint: str = "") -> Reply:
    """The command list (``prefix``: the configured prefix, named in the text), or one command's
    help; ``hint`` is what a command typed here needs in front (empty in a DM)."""
    if topic is not None:
        try:
            cmd = spec(topic)
        except KeyError:
            return fill(t, "help.unknown_topic", topic=topic[:40], prefix=hint)
        if cmd.admin:  # not listed, not explained
            return fill(t, "help.unknown_topic", topic=topic[:40], prefix=hint)
        aliases = ", ".join(a for a in cmd.aliases if a != topic)
        parts = [text(t(cmd.help))]
        if aliases:
            parts.append(text(t("help.aliases", aliases=aliases)))
        return join(parts)
    return _command_list(t.lang, prefix)


@cache
def _command_list(lang: str, prefix: str) -> Reply:
    """The full command list: the same for every reader of one language and prefix, so built once
    (a reply of 26 escaped templates cost about 1 ms each time; bench/REPORT.md section 10)."""
    t = Translator(lang)
    lines = [t(s.help) for s in COMMANDS if not s.admin]
    body = "\n".join([t("help.intro"), "", t("help.commands"), *("• " + x for x in lines), "",
                      t("help.dates"), t("help.more", prefix=prefix)])
    html = Html("<p>{}</p><p><b>{}</b></p><ul>{}</ul><p>{}<br>{}</p>").format(
        t("help.intro"), t("help.commands"), Html().join(Html("<li>{}</li>").format(_help_item_html(x)) for x in lines),
        t("help.dates"), t("help.more", prefix=prefix),
    )
    return Reply(body, html)


def _help_item_html(line: str) -> Html:
    usage, sep, desc = line.partition(" - ")
    return Html("<code>{}</code>{}{}").format(usage, sep, desc) if sep else esc(line)


def render_line_state(
    t: Translator, msgid: str, line: Line, *, carrier: CarrierName, today: date, lang: str, next_due_ms: int | None,
    tz: str, **extra: object,
) -> Reply:
    """Added / edited / renewed: the line's state and when the next reminder comes."""
    head = fill(
        t, msgid, number=line.number, name=line_name(line, carrier), expiry=format_date(line.expiry, lang),
        left=days_text(t, (line.expiry - today).days), **extra,
    )
    if next_due_ms is None:
        return head + text(t("reply.no_ping"))
    return head + text(t("reply.next_ping", when=when_text(next_due_ms, tz, lang, t)))


#: Lines this close to expiry (or past it) stand out in lists.
URGENT_DAYS = 3
URGENT_MARK = "⚠️ "
URGENT_COLOUR = "#d1242f"


def render_list(
    t: Translator,
    lines: Sequence[tuple[Line, int | None]],
    *,
    carrier: CarrierName,
    today: date,
    lang: str,
    tz: str,
    count: int,
    page: int,
    pages: int,
    room: bool = False,
    header: bool = True,
    prefix: str = "",
) -> Reply:
    """Lines as readable text, and as an HTML list where urgent lines stand out.

    A list, not a table: Element X strips ``<table>`` (element-x-android #1551), and a list reads
    well in every client and on a narrow phone. Only tags from the spec's HTML subset.
    """
    if count == 0:
        # A room's empty list shows the prefix: in a group room "add ..." without it is ignored.
        return text(t("reply.list_empty_room", prefix=prefix) if room else t("reply.list_empty"))
    body_rows: list[str] = []
    html_rows: list[Html] = []
    for line, due in lines:
        left = (line.expiry - today).days
        urgent = left <= URGENT_DAYS
        cells = dict(
            number=line.number, name=line_name(line, carrier), expiry=format_date(line.expiry, lang),
            left=days_text(t, left), next=when_text(due, tz, lang, t),
        )
        body_rows.append((URGENT_MARK if urgent else "") + t("reply.list_line", **cells))
        item = t.html("reply.list_line", **cells)
        if urgent:
            item = Html('{}<strong><span data-mx-color="{}">{}</span></strong>').format(URGENT_MARK, URGENT_COLOUR, item)
        html_rows.append(Html("<li>{}</li>").format(item))
    table = Html("<ul>{}</ul>").format(Html().join(html_rows))
    head = t("reply.list_header_room" if room else "reply.list_header", count=count)
    footer = ""
    if pages > 1:
        footer = (t("reply.list_page", page=page, pages=pages, next=page + 1, prefix=prefix) if page < pages
                  else t("reply.list_page_last", page=page, pages=pages))
    body = "\n".join(([head] if header else []) + body_rows + ([footer] if footer else []))
    html = (Html("<p><strong>{}</strong></p>").format(head) if header else Html()) + table + (
        Html("<p>{}</p>").format(footer) if footer else Html())
    return Reply(body, html)


def render_removed(t: Translator, line: Line, *, carrier: CarrierName) -> Reply:
    return fill(t, "reply.removed", number=line.number, name=line_name(line, carrier))


def render_ask_renewal_date(t: Translator, line: Line, *, carrier: CarrierName, prefix: str = "") -> Reply:
    """Ask for the new expiry; the examples carry the prefix the bot needs where it asks."""
    return fill(t, "reply.renewed_ask", number=line.number, name=line_name(line, carrier), prefix=prefix)


def render_settings(
    t: Translator,
    *,
    tz: str,
    at: str,
    lead_days: Sequence[int] | None,
    after_days: Sequence[int],
    language: str,
    order: str,
    example: str,
    count: int,
    max_lines: int,
    tz_source: str = "set",
) -> Reply:
    """The owner's settings; the time zone says where it came from (command, profile, default)."""
    days = ", ".join(str(d) for d in lead_days) if lead_days else t("reply.settings.off")
    rows = [
        t("reply.settings.timezone", tz=zone_label(tz)) + " " + t(f"reply.settings.tz_from.{tz_source}"),
        t("reply.settings.time", time=at),
        t("reply.settings.lead_days", days=days),
        t("reply.settings.after_days", days=", ".join(str(d) for d in after_days),
          n=after_days[0] if len(after_days) == 1 else 2),
        t("reply.settings.language", language=language),
        t("reply.settings.date_order", order=order, example=example),
        t("reply.settings.lines", count=count, max=max_lines),
    ]
    body = t("reply.settings") + "\n" + "\n".join("• " + r for r in rows)
    html = Html("<b>{}</b><ul>{}</ul>").format(t("reply.settings"), Html().join(Html("<li>{}</li>").format(r) for r in rows))
    return Reply(body, html)


def render_error(t: Translator, msgid: str, params: dict[str, object]) -> Reply:
    usage = params.get("usage")
    if isinstance(usage, str) and usage.startswith("usage."):
        # A command's syntax, with its words in the reader's language (``删除 <编号>``).
        params = {**params, "usage": t(usage)}
    return fill(t, msgid, **params)


def render_ping(
    t: Translator,
    line: Line,
    *,
    today: date,
    lang: str,
    carrier: CarrierName,
    steps: Reply | None = None,
    esim: bool = False,
    prefix: str = "",
) -> Reply:
    """The reminder itself: which line, when, and how to renew through official channels only.

    A travel eSIM is a package with a validity end, not a number with a grace period: once it has
    ended, the ping says so instead of warning about recycled numbers.
    """
    left = (line.expiry - today).days
    common = dict(number=line.number, name=line_name(line, carrier), expiry=format_date(line.expiry, lang, weekday=True))
    if left > 0:
        head = fill(t, "ping.before", left=days_text(t, left), **common)
    elif left == 0:
        head = fill(t, "ping.today", **common)
    else:
        head = fill(t, "ping.after_esim" if esim else "ping.after", left=days_text(t, left), **common)
    parts = [head]
    if steps is not None:
        parts.append(steps)
    else:
        parts.append(fill(t, "ping.renew", provider=carrier(line)))
    parts.append(fill(t, "ping.done", number=line.number, prefix=prefix))
    parts.append(text(t("ping.react")))
    return join(parts)
