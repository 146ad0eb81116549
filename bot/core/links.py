"""Finding links in text and judging where they point.

Shared by the catalog checker (a fact may only link to its provider's own domains) and the scam
guard (a renewal offer outside the official domains is suspect). Pure: no DNS, no network. The
patterns are bounded so that hostile input cannot make them backtrack for long.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: URL shorteners: they hide where a link goes, so no fact may use one and a renewal offer with
#: one is suspect.
SHORTENER_DOMAINS: frozenset[str] = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "is.gd", "v.gd", "ow.ly", "buff.ly",
    "cutt.ly", "rb.gy", "rebrand.ly", "shorturl.at", "tiny.cc", "bit.do", "t.ly", "u.to", "s.id",
    "shorte.st", "adf.ly", "tiny.one", "short.io", "dwz.cn", "url.cn", "suo.im", "t.cn", "0rz.tw",
    "reurl.cc", "lihi.cc", "lihi1.cc", "lihi2.cc", "pse.is", "ppt.cc", "qr.net", "linktr.ee",
    "heylink.me", "msha.ke", "bio.link", "s.shopee.co.id", "shp.ee",
})

#: Messenger invitation and chat links: carriers do not sell renewals through these.
MESSENGER_DOMAINS: frozenset[str] = frozenset({
    "t.me", "telegram.me", "telegram.dog", "telegram.org", "wa.me", "whatsapp.com",
    "wa.link", "api.whatsapp.com", "chat.whatsapp.com", "line.me", "lin.ee", "m.me",
    "signal.me", "signal.group", "discord.gg", "discord.com", "u.wechat.com", "weixin.qq.com",
    "qm.qq.com", "invite.viber.com", "viber.me",
})

#: Top-level domains that scam sites favour (cheap or free to register).
ODD_TLDS: frozenset[str] = frozenset({
    "cc", "pw", "top", "xyz", "tk", "ml", "ga", "cf", "gq", "icu", "vip", "buzz", "click", "rest",
    "cyou", "sbs", "cfd", "monster", "loan", "work", "live", "online", "site", "shop", "fun",
    "club", "info", "link", "win", "bid", "men", "mom", "lol", "quest", "bond",
    # new generic endings that phishing kits use for carrier and bank look-alikes
    "support", "help", "services", "center", "cam", "beauty", "hair", "skin", "autos", "homes",
})

# Top-level domains recognised in a bare "example.com" without a scheme. Deliberately excludes
# common English words that are also TLDs ("is", "in", "it", "so", "be") to avoid false links.
_BARE_TLDS = sorted(ODD_TLDS | {
    "com", "net", "org", "biz", "io", "co", "me", "id", "my", "hk", "cn", "tw", "sg", "ph", "th",
    "vn", "asia", "mobi", "pro", "app", "dev", "tech", "today", "cloud", "store", "website",
    "space", "ly", "gl", "gd", "gy", "ee", "to", "im", "ru", "su", "ws", "la", "tv", "cx", "am",
    "fm", "gg", "ai", "us", "uk", "de", "au", "jp", "kr", "mo", "apk", "life",
    "digital", "network", "group", "world", "news", "global", "email", "media", "tools", "zone",
}, key=len, reverse=True)

# Letters that can form a host name, including Latin, Greek and Cyrillic look-alike letters,
# but not CJK (Chinese text runs straight into ASCII words without spaces).
_HOST_CHAR = r"a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_LABEL = rf"[{_HOST_CHAR}](?:[{_HOST_CHAR}-]{{0,62}}[{_HOST_CHAR}])?"
_PATH = r"(?:[/?#][^\s<>\"'`，。、）」』]{0,300})?"

_URL_RE = re.compile(
    rf"""(?:(?:https?|hxxps?|ftp)://[^\s<>"'`，。、）」』]{{1,400}})"""  # with a scheme
    rf"""|(?<![{_HOST_CHAR}.@/-])(?:www\.)?(?:{_LABEL}\.){{1,6}}(?:{'|'.join(_BARE_TLDS)})"""
    rf"""(?![{_HOST_CHAR}-]){_PATH}""",
    re.IGNORECASE,
)
_HOST_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#\s]*@)?([^/?#:\s]+)", re.IGNORECASE)
_COMMA_BEFORE_CJK = re.compile(r"[,;:!?.](?=[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef])")
_EMAIL_RE = re.compile(rf"[a-z0-9._%+-]{{1,64}}@((?:{_LABEL}\.){{1,6}}[a-z]{{2,24}})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in text: its text, its host (lower case) and where it sits."""

    text: str
    host: str
    start: int
    end: int


def host_of(url: str) -> str | None:
    """The host name of ``url`` (with or without a scheme), lower case, without a trailing dot."""
    m = _HOST_RE.match(url.strip())
    if not m:
        return None
    host = m.group(1).lower().strip(".").rstrip("。.,;:!?)]}'\"")
    return host or None


def find_links(text: str) -> list[Link]:
    """Every URL or bare domain in ``text`` (``https://x.y/...``, ``www.x.y``, ``x.co.id/abc``)."""
    links: list[Link] = []
    for m in _URL_RE.finditer(text):
        # "https://www.hsbc.com.hk,要用..." : an ASCII comma before Chinese text ends the link
        raw = _COMMA_BEFORE_CJK.split(m.group(0), maxsplit=1)[0].rstrip(".,;:!?)]}'\"")
        host = host_of(raw)
        if host and "." in host:
            links.append(Link(raw, host, m.start(), m.start() + len(raw)))
    return links


def find_email_domains(text: str) -> Iterator[str]:
    """The domain of every e-mail address in ``text``."""
    for m in _EMAIL_RE.finditer(text):
        yield m.group(1).lower()


def within(host: str, domains: Iterable[str]) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one (``my.telkomsel.com``)."""
    host = host.lower().strip(".")
    for d in domains:
        d = d.lower().strip(".")
        if host == d or host.endswith("." + d):
            return True
    return False


def is_shortener(host: str) -> bool:
    return within(host, SHORTENER_DOMAINS)


def is_messenger(host: str) -> bool:
    return within(host, MESSENGER_DOMAINS)


def is_punycode_or_idn(host: str) -> bool:
    """A host in punycode (``xn--``) or with non-ASCII letters: a classic look-alike trick."""
    return "xn--" in host or any(ord(c) > 127 for c in host)


def tld_of(host: str) -> str:
    return host.rsplit(".", 1)[-1]
