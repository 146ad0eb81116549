"""``renewal-bot catalog check``: find every problem in the provider catalog before users do.

Errors (exit status 1): a file that is not valid TOML or does not fit the schema (which includes a
fact without a source, a date or an H/M confidence), duplicate ids or aliases, a link outside the
provider's own official domains, any shortener or messenger link (``t.me``, ``wa.me`` ...), a
message id that does not exist or does not format, a check date in the future, a grace period on a
travel eSIM, an ``applies_to`` naming no variant of the provider, a country without a scam-report
channel, a fact without a ``quote`` (unless ``--allow-missing-quotes``), a fact value that is an
English phrase while its message is translated, and an **unquoted claim**: a number in a fact (a
USSD code, phone number, grace or validity length, an amount or a date), whether in its value or
in the words of its message, that its quote does not show, or a renewal rule's ``days`` /
``months``/``cap_days`` missing from its quote. A number the source does not state is not shown to users.
Warnings (exit status 0): a fact whose check date is older than ``--max-age-days``.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.catalog import build_catalog, normalize_key
from bot.catalog.problems import Problem, Severity
from bot.core.links import find_email_domains, find_links, is_messenger, is_shortener, within
from bot.core.provider import CatalogFile, Country, Fact, Provider
from bot.i18n import catalog as messages

DEFAULT_MAX_AGE_DAYS = 365
#: A date every ``{on}`` placeholder can be formatted with when checking templates.
_SAMPLE_DAY = date(2024, 11, 9)
#: A fact without a quote is an error (``--allow-missing-quotes`` while a catalog is being written).
QUOTE_SEVERITY: Severity = "error"
_DATE_IN_VALUE = re.compile(
    r"\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b", re.IGNORECASE)


def check_catalog(
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    today: date | None = None,
    *,
    path: Path | None = None,
    require_quotes: bool = True,
) -> list[Problem]:
    """Every problem in the catalog at ``path`` (default: the packaged one), errors first."""
    today = today or date.today()
    problems: list[Problem] = []
    docs: dict[str, dict[str, Any]] = {}
    directory = path or Path(__file__).parent / "providers"
    files = sorted(directory.glob("*.toml"))
    if not files:
        return [Problem("error", directory.name, "files", "no *.toml catalog files found")]
    for file in files:
        try:
            docs.update(read_catalog_files_one(file))
        except tomllib.TOMLDecodeError as exc:
            problems.append(Problem("error", file.name, "toml", str(exc)))
    problems.extend(check_documents(docs, max_age_days=max_age_days, today=today, require_quotes=require_quotes))
    return sorted(problems, key=lambda p: (p.severity != "error",))


def read_catalog_files_one(file: Path) -> dict[str, dict[str, Any]]:
    return {file.name: tomllib.loads(file.read_text(encoding="utf-8"))}


def check_documents(
    docs: Mapping[str, Mapping[str, Any]],
    *,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    today: date | None = None,
    require_quotes: bool = True,
) -> list[Problem]:
    """Check parsed TOML documents (file name -> table). Pure; used by tests to build bad catalogs."""
    today = today or date.today()
    problems: list[Problem] = []
    valid: list[CatalogFile] = []
    for name, doc in docs.items():
        try:
            valid.append(CatalogFile.model_validate(doc))
        except ValidationError as exc:
            problems.extend(_schema_problems(name, doc, exc))
    problems.extend(_check_countries(valid))
    problems.extend(_check_keys(valid))
    catalog = build_catalog(valid)
    if catalog.get("other") is None:
        problems.append(Problem("error", "other", "id", "the catalog needs an 'other' entry"))
    for p in catalog.providers:
        problems.extend(_check_provider(p, catalog.countries.get(p.country), max_age_days, today))
    for c in catalog.countries.values():
        problems.extend(_check_country(c, max_age_days, today))
    if not require_quotes:
        problems = [p for p in problems if not p.message.startswith(_NO_QUOTE)]
    return problems


_NO_QUOTE = "no quote"


def _schema_problems(file: str, doc: Mapping[str, Any], exc: ValidationError) -> Iterable[Problem]:
    for err in exc.errors():
        loc = list(err["loc"])
        owner = file
        if len(loc) >= 2 and loc[0] == "providers" and isinstance(loc[1], int):
            raw = (doc.get("providers") or [])[loc[1]] if isinstance(doc.get("providers"), list) else {}
            owner = str(raw.get("id") or f"{file}:providers[{loc[1]}]") if isinstance(raw, dict) else file
            loc = loc[2:]
        elif loc and loc[0] == "country":
            raw = doc.get("country")
            owner = str(raw.get("code")) if isinstance(raw, dict) and raw.get("code") else f"{file}:country"
            loc = loc[1:]
        field = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc).lstrip(".") or "-"
        what = "missing" if err["type"] == "missing" else err["msg"]
        yield Problem("error", owner, field, f"{what} (schema)")


def _check_countries(files: Sequence[CatalogFile]) -> Iterable[Problem]:
    seen: dict[str, str] = {}
    known = set()
    for f in files:
        if f.country is None:
            continue
        c = f.country
        if c.code in known:
            yield Problem("error", c.code, "code", "country defined twice")
        known.add(c.code)
        for raw in (c.code, c.name, *c.names):
            key = normalize_key(raw)
            if key in seen and seen[key] != c.code:
                yield Problem("error", c.code, "names", f"{raw!r} also names country {seen[key]!r}")
            seen.setdefault(key, c.code)
    for f in files:
        for p in f.providers:
            if p.country not in known:
                yield Problem("error", p.id, "country", f"unknown country {p.country!r}")


def _check_keys(files: Sequence[CatalogFile]) -> Iterable[Problem]:
    """Ids, names and aliases must each lead to one provider only."""
    owner: dict[str, str] = {}
    ids: set[str] = set()
    for f in files:
        for p in f.providers:
            if p.id in ids:
                yield Problem("error", p.id, "id", "duplicate id")
                continue
            ids.add(p.id)
            keys = [("id", p.id), ("name", p.name), *(("aliases", a) for a in p.aliases)]
            keys += [("local_names", n) for n in dict.fromkeys(p.local_names.values())]
            keys += [(f"variants.{v.id}.aliases", a) for v in p.variants for a in v.aliases]
            for field, raw in keys:
                key = normalize_key(raw)
                other = owner.get(key)
                if other is not None and other != p.id:
                    yield Problem("error", p.id, field, f"{raw!r} is already used by {other!r}")
                owner.setdefault(key, p.id)


def _check_provider(p: Provider, country: Country | None, max_age: int, today: date) -> Iterable[Problem]:
    allowed = p.official_domains() | (country.official_domains() if country else frozenset())
    variants = {v.id for v in p.variants}
    for field, fact in p.all_facts():
        yield from _check_fact(p.id, field, fact, allowed, max_age, today)
        for vid in fact.applies_to:
            if vid not in variants:
                yield Problem("error", p.id, f"{field}[{fact.value}]", f"applies_to names unknown variant {vid!r}")
    for i, notice in enumerate(p.notices):
        yield from _check_notice(p.id, f"notices[{i}]", notice, today)
    for i, rule in enumerate(p.renewal):
        where = f"renewal[{i}]"
        stated = (rule.days, rule.months, rule.cap_days)
        missing = [str(n) for n in stated if n is not None and str(n) not in _numbers(rule.quote)]
        if rule.quote is not None and missing:
            yield Problem("error", p.id, where, f"unquoted claim: {', '.join(missing)} not in the quote")
        for vid in rule.applies_to:
            if vid not in variants:
                yield Problem("error", p.id, where, f"applies_to names unknown variant {vid!r}")
        if rule.mode == "fixed_period" and (rule.days is None) == (rule.months is None):
            yield Problem("error", p.id, where, "a fixed_period renewal needs 'days' or 'months' (one of them)")
        elif rule.mode != "fixed_period" and rule.months is not None:
            yield Problem("error", p.id, where, "'months' is for fixed_period renewals only")
        if rule.cap_days is not None and rule.days is not None and rule.days > rule.cap_days:
            yield Problem("error", p.id, where, "days is larger than cap_days")
        if rule.quote is None:
            yield Problem(QUOTE_SEVERITY, p.id, where, f"{_NO_QUOTE}: add a short quote from {rule.source}")
        age = (today - rule.checked).days
        if age < 0:
            yield Problem("error", p.id, where, f"checked date {rule.checked} is in the future")
        elif age > max_age:
            yield Problem("warning", p.id, where, f"checked {age} days ago (older than {max_age}); check it again")
        for link in find_links(rule.source.lower()):
            if is_messenger(link.host) or is_shortener(link.host):
                yield Problem("error", p.id, where, f"source {rule.source} is a messenger or shortener link")
    if p.kind == "esim" and p.grace:
        yield Problem("error", p.id, "grace", "a travel eSIM is a package with a validity end, not a grace period")
    if p.is_other and p.has_facts():
        yield Problem("error", p.id, "-", "'other' must have no facts: it sends users to their own provider")


def _check_country(c: Country, max_age: int, today: date) -> Iterable[Problem]:
    allowed = c.official_domains()
    if c.code != "intl" and not c.report:
        yield Problem("error", c.code, "report", "every country needs at least one scam-report channel")
    for field, facts in (("domains", c.domains), ("report", c.report), ("notes", c.notes)):
        for fact in facts:
            yield from _check_fact(c.code, field, fact, allowed, max_age, today)


def _check_fact(
    owner: str, field: str, fact: Fact, allowed: frozenset[str], max_age: int, today: date,
) -> Iterable[Problem]:
    where = f"{field}[{fact.value}]"
    if fact.quote is None:
        yield Problem(QUOTE_SEVERITY, owner, where, f"{_NO_QUOTE}: add a short quote from {fact.source}")
    if _DATE_IN_VALUE.search(fact.value):
        yield Problem("error", owner, where, "a date inside a value is not translated; set 'on' and use {on}")
    age = (today - fact.checked).days
    if age < 0:
        yield Problem("error", owner, where, f"checked date {fact.checked} is in the future")
    elif age > max_age:
        yield Problem("warning", owner, where, f"checked {age} days ago (older than {max_age}); check it again")
    for link in find_links(fact.source.lower()):
        if is_messenger(link.host) or is_shortener(link.host):
            yield Problem("error", owner, where, f"source {fact.source} is a messenger or shortener link")
    if field == "domains":
        yield from _check_domain_value(owner, where, fact.value)
        return
    hosts = [link.host for link in find_links(fact.value.lower())]
    hosts += list(find_email_domains(fact.value))
    for host in hosts:
        if is_messenger(host):
            yield Problem("error", owner, where, f"{host} is a messenger link; carriers renew in their own app")
        elif is_shortener(host):
            yield Problem("error", owner, where, f"{host} is a link shortener; link the real address")
        elif not within(host, allowed):
            yield Problem("error", owner, where, f"{host} is outside the official domains {sorted(allowed)}")
    if fact.quote is not None:
        missing = unquoted_numbers(field, fact, messages("en").get(fact.text) if fact.text else None)
        if missing:
            yield Problem("error", owner, where, f"unquoted claim: {', '.join(missing)} not in the quote; quote the "
                          "source's words that state it, or drop the number")
    if fact.text is not None:
        template = messages("en").get(fact.text)
        if template is None:
            yield Problem("error", owner, where, f"message id {fact.text!r} is not in locales/en/catalog.po")
        else:
            try:
                template.format(value=fact.value, name=owner, on=_SAMPLE_DAY)
            except (KeyError, IndexError, ValueError) as exc:
                yield Problem("error", owner, where, f"message {fact.text!r} does not format: {exc}")
            if "{on}" in template and fact.on is None:
                yield Problem("error", owner, where, f"message {fact.text!r} uses {{on}}: set the fact's 'on' date")
            if field not in ("apps", "websites", "domains") and _is_english_phrase(fact.value):
                yield Problem("error", owner, where, "the value is an English phrase; put the words in the "
                              "message (translated) and keep only names, codes, numbers or URLs in the value")


_NUMBER = re.compile(r"\d+")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
#: Fields whose values are names or addresses, not claims (a digit in ``m1.com.sg`` proves nothing).
_NAME_FIELDS = frozenset({"domains", "websites", "apps"})


#: Number words a source may use instead of digits ("extend six months").
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_WORD = re.compile(r"[a-z]+")


def _numbers(text: str | None) -> set[str]:
    """The numbers a text states: its digit runs (NFKC first, so full-width digits count:
    ``*122*1#`` -> 122, 1) and English number words up to twelve (``six months`` -> 6)."""
    norm = unicodedata.normalize("NFKC", text or "")
    words = {_NUMBER_WORDS[w] for w in _WORD.findall(norm.lower()) if w in _NUMBER_WORDS}
    return set(_NUMBER.findall(norm)) | words


def unquoted_numbers(field: str, fact: Fact, template: str | None) -> list[str]:
    """Numbers a fact states that its quote does not show: those of its value (a USSD code, a
    hotline, a number of days) unless it is a name or an address, those written into the words
    of its English message, and the day and year of its ``on`` date. Each must appear as a whole
    number (or an English number word) in the quote."""
    quoted = _numbers(fact.quote)
    stated: list[str] = []
    if field not in _NAME_FIELDS and not find_links(fact.value):
        stated += _NUMBER.findall(unicodedata.normalize("NFKC", fact.value))
    if template:
        stated += _NUMBER.findall(_PLACEHOLDER.sub(" ", template))
    if fact.on is not None:  # a date shown via {on}: its day must be quoted, and its year too
        stated.append(str(fact.on.day))  # unless the source is a news article dated that year
        if str(fact.on.year) not in fact.source:
            stated.append(str(fact.on.year))
    return list(dict.fromkeys(n for n in stated if n not in quoted))


_PHRASE_WORDS = frozenset(
    "a an the at of in on to is are for from with and or by first end start day days validity connection "
    "since before after when".split()
)


def _is_english_phrase(value: str) -> bool:
    """``validity end``, ``first connection``: common English words that a reader of another
    language would see untranslated. Names (``Indosat Ooredoo Hutchison``) and codes pass."""
    words = [w for w in value.replace(",", " ").split() if w.isalpha()]
    return any(w.lower() in _PHRASE_WORDS and w.islower() for w in words)


def _check_domain_value(owner: str, where: str, value: str) -> Iterable[Problem]:
    links = find_links(value)
    if value != value.lower() or len(links) != 1 or links[0].text != value:
        yield Problem("error", owner, where, "a domain must be a bare lower-case host name like 'example.com'")
    elif is_messenger(value) or is_shortener(value):
        yield Problem("error", owner, where, f"{value} is a messenger or shortener domain")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``renewal-bot catalog check`` (the CLI tree in :mod:`bot.cli` calls this)."""
    parser.add_argument("--max-age-days", type=int, default=DEFAULT_MAX_AGE_DAYS,
                        help="warn about facts checked longer ago than this (default: %(default)s)")
    parser.add_argument("--path", type=Path, default=None, help="a catalog directory other than the packaged one")
    parser.add_argument("--allow-missing-quotes", action="store_true",
                        help="do not count facts without a 'quote' as errors (for a catalog being written)")
    parser.add_argument("--online", action="store_true",
                        help="also fetch every source and report facts whose quote is gone or whose page "
                             "moved (maintainers only; needs internet, not run in CI)")
    parser.add_argument("--only", action="append", default=None, metavar="ID",
                        help="with --online: check only this provider or country code (repeatable)")
    parser.add_argument("--timeout", type=float, default=20.0, help="with --online: seconds per page")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)


def catalog_check_main(argv: list[str]) -> int:
    """``renewal-bot catalog check`` with its own argv (tests, ``python -m``)."""
    parser = argparse.ArgumentParser(prog="renewal-bot catalog check", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Print the catalog's problems; 1 on any error, else 0 (2 for a misused ``--only``)."""
    if getattr(args, "only", None) and not getattr(args, "online", False):
        print("catalog check: --only applies to --online checks only", file=sys.stderr)
        return 2
    problems = check_catalog(args.max_age_days, args.today, path=args.path,
                             require_quotes=not args.allow_missing_quotes)
    if getattr(args, "online", False) and not any(p.severity == "error" for p in problems):
        problems += _online(args)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"catalog check: {errors} error(s), {warnings} warning(s)", file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def _online(args: argparse.Namespace) -> list[Problem]:
    import asyncio

    from bot.catalog import parse_files, read_catalog_files
    from bot.catalog.online import check_online  # aiohttp: imported only when asked for

    catalog = build_catalog(parse_files(read_catalog_files(args.path)))
    only = set(args.only) if args.only else None
    unknown = sorted((only or set()) - {p.id for p in catalog.providers} - {p.country for p in catalog.providers})
    if unknown:  # a typo must not look like a pass
        return [Problem("error", "catalog", "--only", f"unknown provider or country: {', '.join(unknown)}")]
    return asyncio.run(check_online(catalog, only=only, timeout=args.timeout))


def _check_notice(pid: str, where: str, notice: Any, today: date) -> Iterator[Problem]:
    """A carrier notice format must read its own example (a date, this provider) and be sourced."""
    from bot.core.notices import NoticeFormat, read_notice

    fmt = NoticeFormat(pid, notice.pattern, source=notice.source, example=notice.example, lang=notice.lang,
                       order=notice.order)
    # The example keeps the date its source printed, however old: only the reading is checked.
    got = read_notice(notice.example, today=today, formats=[fmt], brands={}, check_range=False)
    if got is None or not got.by_format or got.provider != pid:
        yield Problem("error", pid, where, "the pattern does not read its own example")
    if notice.checked > today:
        yield Problem("error", pid, where, f"checked date {notice.checked} is in the future")


if __name__ == "__main__":  # python -m bot.catalog.checks
    raise SystemExit(catalog_check_main(sys.argv[1:]))
