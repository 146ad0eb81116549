"""``renewal-bot catalog check --online``: do the sources still say what the catalog quotes?

For maintainers only (CI has no internet): fetches every source address once, follows redirects,
and reports per fact
  * error   the page is gone (HTTP 4xx/5xx) or unreachable;
  * error   the fact's ``quote`` is no longer on the page (compared after Unicode NFKC, case
            folding, and with whitespace and punctuation ignored, so markup and full-width commas
            do not matter);
  * warning the page moved (redirected to another address): update ``source``.
A fact without a quote cannot be verified and is reported as such. Pages are fetched politely:
a few at a time, with a timeout, identified by a User-Agent naming the bot.
"""
from __future__ import annotations

import asyncio
import html
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from bot.catalog import Catalog
from bot.catalog.problems import Problem

USER_AGENT = "renewal-bot catalog check (maintainers verifying catalog sources)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_CONCURRENCY = 4
MAX_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class Page:
    """What fetching a source gave: the final address, the HTTP status, the text (or an error)."""

    url: str
    status: int
    text: str = ""
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Quoted:
    """One quote to look for: who and where (for the report) and the quote itself."""

    owner: str
    where: str
    source: str
    quote: str | None


Fetch = Callable[[str], Awaitable[Page]]


def collect(catalog: Catalog, only: set[str] | None = None) -> list[Quoted]:
    """Every fact and renewal rule with its source, for the providers (or countries) asked."""
    out: list[Quoted] = []
    for p in catalog.providers:
        if only and p.id not in only:
            continue
        for field, fact in p.all_facts():
            out.append(Quoted(p.id, f"{field}[{fact.value}]", fact.source, fact.quote))
        for i, rule in enumerate(p.renewal):
            out.append(Quoted(p.id, f"renewal[{i}]", rule.source, rule.quote))
    for c in catalog.countries.values():
        if only and c.code not in only:
            continue
        for field, facts in (("domains", c.domains), ("report", c.report), ("notes", c.notes)):
            for fact in facts:
                out.append(Quoted(c.code, f"{field}[{fact.value}]", fact.source, fact.quote))
    return out


_TAGS = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>", re.IGNORECASE | re.DOTALL)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def page_text(body: str) -> str:
    """The visible text of an HTML page (tags, scripts and comments removed, entities decoded)."""
    return html.unescape(_TAGS.sub(" ", body))


def normalize(text: str) -> str:
    """For comparing a quote with a page: NFKC, case-folded, whitespace and punctuation dropped."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", html.unescape(text)).casefold())


def _moved(asked: str, final: str) -> bool:
    a, b = urlsplit(asked), urlsplit(final)
    def host(h: str | None) -> str:
        return (h or "").lower().removeprefix("www.")

    return host(a.hostname) != host(b.hostname) or a.path.rstrip("/") != b.path.rstrip("/")


def judge(items: Iterable[Quoted], pages: dict[str, Page]) -> list[Problem]:
    """Pure: the problems of these facts given the fetched pages (errors first)."""
    problems: list[Problem] = []
    normalized: dict[str, str] = {}
    for item in items:
        page = pages[item.source]
        if page.error is not None:
            problems.append(Problem("error", item.owner, item.where, f"source unreachable: {page.error} ({item.source})"))
            continue
        if page.status >= 400:
            problems.append(Problem("error", item.owner, item.where, f"source gone: HTTP {page.status} ({item.source})"))
            continue
        if _moved(item.source, page.url):
            problems.append(Problem("warning", item.owner, item.where, f"source moved: {item.source} -> {page.url}"))
        if item.quote is None:
            problems.append(Problem("warning", item.owner, item.where, "no quote to verify; add one"))
            continue
        text = normalized.get(item.source)
        if text is None:
            text = normalized[item.source] = normalize(page_text(page.text))
        if normalize(item.quote) not in text:
            problems.append(Problem("error", item.owner, item.where, f"quote not found on {page.url}: {item.quote!r}"))
    return sorted(problems, key=lambda p: p.severity != "error")


async def fetch_all(urls: Iterable[str], fetch: Fetch, concurrency: int = DEFAULT_CONCURRENCY) -> dict[str, Page]:
    """Fetch each address once, a few at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(url: str) -> tuple[str, Page]:
        async with gate:
            return url, await fetch(url)

    return dict(await asyncio.gather(*(one(u) for u in dict.fromkeys(urls))))


def http_fetcher(session: aiohttp.ClientSession) -> Fetch:
    """A fetch function over an aiohttp session: follows redirects, caps the size, never raises."""

    async def fetch(url: str) -> Page:
        try:
            async with session.get(url, allow_redirects=True, max_redirects=10) as resp:
                raw = await resp.content.read(MAX_BYTES)
                charset = resp.charset or "utf-8"
                return Page(str(resp.url), resp.status, raw.decode(charset, errors="replace"))
        except (TimeoutError, aiohttp.ClientError, UnicodeError, LookupError) as exc:
            return Page(url, 0, error=type(exc).__name__ + (f": {exc}" if str(exc) else ""))

    return fetch


async def check_online(
    catalog: Catalog, *, only: set[str] | None = None, timeout: float = DEFAULT_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY, fetch: Fetch | None = None,
) -> list[Problem]:
    """Fetch every source of the catalog (or of ``only`` these providers/countries) and judge."""
    items = collect(catalog, only)
    if fetch is not None:
        pages = await fetch_all((i.source for i in items), fetch, concurrency)
        return judge(items, pages)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    headers = {"User-Agent": USER_AGENT, "Accept-Language": "en, id, ms, zh"}
    async with aiohttp.ClientSession(timeout=client_timeout, headers=headers) as session:
        pages = await fetch_all((i.source for i in items), http_fetcher(session), concurrency)
    return judge(items, pages)
