"""Which links are official, which imitate a brand, and which are merely unknown.

Official: a domain the catalog names anywhere (carriers' domains, websites, apps, top-up and support
links, regulators and reporting bodies: :func:`catalog_domains`) or one of
:data:`WELL_KNOWN_OFFICIAL` (app stores, government second-level domains), or a host under one; and
a known brand's own name under an ordinary ending (``maxis.com.my``, ``10086.cn``), which only the
brand can register. A look-alike imitates a known brand: the brand with extra words
(``telkomsel-promo.xyz``), in disguise (``te1komsel.com``), or as someone else's subdomain
(``telkomsel.com.renew.xyz``). Every other link is *plain* when nothing about it is suspicious: a
domain is not a sign of a scam just because the catalog does not know it (a real operator's site,
``3hk.com``); only *suspicious* links (look-alike, punycode, an unusual ending, a bare IP address,
an ``.apk``, lure words in the name or path) count against a message.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Protocol

from bot.core.links import (
    MESSENGER_DOMAINS,
    ODD_TLDS,
    SHORTENER_DOMAINS,
    Link,
    find_links,
    is_messenger,
    is_punycode_or_idn,
    is_shortener,
    tld_of,
)
from bot.core.provider import Country, Provider

#: Official app stores and regulators, official whatever the catalog says; government
#: second-level domains are registry-controlled, so every host under them is official too.
WELL_KNOWN_OFFICIAL: frozenset[str] = frozenset({
    "play.google.com", "apps.apple.com", "itunes.apple.com", "appgallery.huawei.com",
    "appgallery.cloud.huawei.com", "galaxystore.samsung.com", "apps.samsung.com", "app.mi.com",
    "sj.qq.com", "microsoft.com",
    "go.id", "gov.my", "gov.hk", "gov.sg", "gov.tw", "gov.cn", "gov.mo", "gov.ph", "go.th", "gov.vn",
    "cyberdefender.hk", "scamshield.gov.sg", "ojk.go.id", "komdigi.go.id", "kominfo.go.id",
    "aduankonten.id", "cekrekening.id", "indonesiabaik.id", "mcmc.gov.my", "bnm.gov.my",
    "ofca.gov.hk", "adcc.gov.hk", "police.gov.hk", "165.npa.gov.tw", "ncc.gov.tw", "12321.cn",
})

#: Carriers' and operators' names (as in their domains) that only they register under an ordinary
#: ending; the catalog's own domains add theirs. Names shorter than 5 characters only count exactly.
CARRIER_NAMES: frozenset[str] = frozenset({
    "telkomsel", "mytelkomsel", "indosat", "indosatooredoo", "im3", "myim3", "ioh", "tri", "smartfren",
    "xl", "myxl", "xlaxiata", "axis", "axisnet", "byu", "hotlink", "maxis", "celcom", "digi", "celcomdigi",
    "umobile", "unifi", "tm", "yes", "redone", "redonemobile", "xox", "onexox", "tunetalk", "yoodo",
    "chinamobile", "10086", "10010", "12580", "189", "chinaunicom", "chinatelecom", "cmhk", "hkt", "csl", "hkcsl",
    "1010", "smartone", "3hk", "three", "hutchison", "pccw", "hkbn", "chunghwa", "cht", "fetnet", "taiwanmobile",
    "tstartel", "aptg", "gt", "ctm", "singtel", "starhub", "m1", "simba", "giga", "myrepublic", "circles",
    "globe", "smart", "dito", "ais", "dtac", "truemove", "viettel", "mobifone", "vinaphone",
})

#: Link kinds, as :meth:`Domains.kind` names them.
OFFICIAL, MESSENGER, SHORTENER, SUSPICIOUS, PLAIN = "official", "messenger", "shortener", "suspicious", "plain"


class CatalogLike(Protocol):
    """What :func:`catalog_domains` reads of a catalog (``bot.catalog.Catalog``)."""

    @property
    def providers(self) -> Iterable[Provider]: ...

    @property
    def countries(self) -> Mapping[str, Country]: ...

    def official_domains(self) -> set[str]: ...


def catalog_domains(catalog: CatalogLike) -> frozenset[str]:
    """Every domain the catalog names: its ``domains`` facts plus the host of every link in any fact
    (websites, apps, top-up and support pages, regulators' and reporting bodies' pages). The facts'
    ``source`` pages are not included: a source may be a news site."""
    out = {d.lower().strip(".") for d in catalog.official_domains()}
    values: list[str] = []
    for provider in catalog.providers:
        for _field, fact in provider.all_facts():
            values.append(fact.value)
            values.extend(fact.local_values.values())
    for country in catalog.countries.values():
        for fact in (*country.domains, *country.report, *country.notes):
            values.append(fact.value)
            values.extend(fact.local_values.values())
    for value in values:
        for link in find_links(value.casefold()):
            host = link.host.split(":")[0].removeprefix("www.")
            if not is_messenger(host) and not is_shortener(host) and not is_punycode_or_idn(host):
                out.add(host)
    return frozenset(out)


class Domains:
    """The official domains in a form that answers fast: a set of suffixes and the brand names."""

    def __init__(self, official: frozenset[str]) -> None:
        self.official = frozenset(d.lower().strip(".") for d in official) | WELL_KNOWN_OFFICIAL
        self.brands = _brands(official)
        self.brand_names = frozenset(_brand_names(official))
        #: exact registrable names of the brands (``maxis``, ``3hk``), for :meth:`is_brand_own`.
        self.own_names = self.brand_names | CARRIER_NAMES | frozenset(_registrable_labels(official))
        self._cache: dict[str, tuple[str, frozenset[str]]] = {}

    def is_official(self, host: str) -> bool:
        """``host`` is an official domain or under one (``my.telkomsel.com``, ``x.gov.my``)."""
        labels = host.lower().strip(".").split(".")
        return any(".".join(labels[i:]) in self.official for i in range(len(labels)))

    def is_brand_own(self, host: str) -> bool:
        """``host`` is (under) a known brand's own name with an ordinary ending: ``maxis.com.my``,
        ``www.10086.cn``, ``my.3hk.com``. Nobody else can register exactly that name there."""
        label, suffix = _registrable(host.lower().strip(".").removeprefix("www."))
        return bool(label) and suffix in _COMMON_SUFFIXES and label in self.own_names

    def kind(self, link: Link) -> str:
        """:data:`OFFICIAL`, :data:`MESSENGER`, :data:`SHORTENER`, :data:`SUSPICIOUS` or :data:`PLAIN`."""
        return self.judge_link(link)[0]

    def judge_link(self, link: Link) -> tuple[str, frozenset[str]]:
        """The link's kind and what the link itself shows (reasons, without ``unofficial_link``);
        remembered per link text (a bounded cache: the same links come back in a spam wave)."""
        found = self._cache.get(link.text)
        if found is None:
            if len(self._cache) >= 4096:
                self._cache.clear()
            found = self._cache[link.text] = self._judge_link(link)
        return found

    def _judge_link(self, link: Link) -> tuple[str, frozenset[str]]:
        host = link.host.split(":")[0].lower()
        if self.is_official(host):
            return OFFICIAL, frozenset()
        if _under(host, MESSENGER_DOMAINS):
            return MESSENGER, frozenset()
        reasons = frozenset(_reasons(link, host, self))
        suspicious = bool(reasons - {"shortener"}) or _lure(link, host)
        if self.is_brand_own(host) and not suspicious:
            return OFFICIAL, frozenset()
        if "shortener" in reasons:
            return SHORTENER, reasons
        return (SUSPICIOUS if suspicious else PLAIN), reasons


_DOMAINS_CACHE: dict[frozenset[str], Domains] = {}


def domains_for(official: Collection[str]) -> Domains:
    key = official if isinstance(official, frozenset) else frozenset(official)
    found = _DOMAINS_CACHE.get(key)
    if found is None:
        if len(_DOMAINS_CACHE) > 8:
            _DOMAINS_CACHE.clear()
        found = _DOMAINS_CACHE[key] = Domains(key)
    return found



def _brands(official_domains: Iterable[str]) -> list[str]:
    """Skeletons of the names worth imitating, longest first."""
    return sorted({skeleton(n) for n in _brand_names(official_domains)}, key=len, reverse=True)


def _brand_names(official_domains: Iterable[str]) -> set[str]:
    """Names worth imitating: the distinctive labels of official domains plus carrier names."""
    names = {"telkomsel", "mytelkomsel", "indosat", "smartfren", "hotlink", "maxis", "celcom",
             "celcomdigi", "umobile", "unifi", "chinamobile", "xlaxiata", "myxl", "axisnet",
             "axis", "10086", "10010", "12580", "byu", "myim3"}
    generic = {"mobile", "online", "official", "global", "store", "apple", "google", "telecom",
               "digital", "service", "services", "group", "asia"}
    for domain in official_domains:
        labels = domain.lower().split(".")
        for label in labels[:-1]:
            if len(label) >= 5 and label not in generic and not label.startswith("xn--"):
                names.add(label)
    return names


_SKELETON = str.maketrans("0134578", "oleastb")
_COMMON_SUFFIXES = ("com", "net", "org", "co", "id", "my", "hk", "tw", "cn", "sg", "mo", "ph", "th", "vn",
                    "com.my", "com.hk", "com.tw", "com.cn", "com.sg", "co.id", "net.id", "or.id", "web.id",
                    "net.my", "net.hk", "com.mo", "com.ph", "co.th")


def _registrable(host: str) -> tuple[str, str]:
    """The label just before the ending and the ending: ``("maxis", "com.my")`` for ``www.maxis.com.my``."""
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _COMMON_SUFFIXES:
        return labels[-3], ".".join(labels[-2:])
    if len(labels) >= 2:
        return labels[-2], labels[-1]
    return "", ""


def _registrable_labels(official: Iterable[str]) -> Iterable[str]:
    for domain in official:
        label, _ = _registrable(domain.lower().strip("."))
        if label and not label.startswith("xn--"):
            yield label


# Words in a link's path that lure: a claim, a login, a verification, a prize.
_PATH_LURE = re.compile(r"claim|klaim|redeem|verif|login|signin|sign-in|hadiah|prize|reward|bonus|gift|undian|"
                        r"menang|winner|lucky|kyc|unblock|reactivat|\.apk\b", re.IGNORECASE)


def _lure(link: Link, host: str) -> bool:
    """Lure words in the name of the domain (``hadiah-pulsa.com``) or in the link's path (``/claim``)."""
    label, _ = _registrable(host.removeprefix("www."))
    if _SCAMMY_NAME.search(label):
        return True
    path = link.text.split(link.host, 1)[-1] if link.host in link.text else ""
    return bool(_PATH_LURE.search(path))


def _under(host: str, domains: frozenset[str]) -> bool:
    """``host`` is one of ``domains`` or under one (a set lookup per label, not a scan)."""
    labels = host.split(".")
    return any(".".join(labels[i:]) in domains for i in range(len(labels)))


_SCAMMY = re.compile(r"promo|claim|klaim|redeem|verif|secure|safe|update|poin|point|hadiah|bonus|login|reward|gift|"
                     r"renew|service|\bcs\b|-cs|cs-|official|resmi|rasmi|app|online|\bid-|-id\b|\bmy-|-my\b|vip|mall|"
                     r"bayar|pay|topup|reload|pulsa|kuota|free|gratis|percuma|win|lucky|menang|undian|help|care|"
                     r"support|account|akun|akaun|member|event|daftar|register|activ|aktif|web|portal|\d{3,}|"
                     # "globe-simreg-ph.com": SIM registration, a country code glued to the brand
                     r"sim|reg\b|regist|-(?:ph|sg|hk|tw|cn|th|vn|mo)\b|\b(?:ph|sg|hk|tw|cn|th|vn|mo)-")
# Lure words in the name of a domain that is not a brand's: "hadiah-pulsa.com", "klaim-poin.net".
_SCAMMY_NAME = re.compile(r"promo|claim|klaim|redeem|verif|secure|hadiah|bonus|login|reward|gift|poin|point|"
                          r"topup|top-up|reload|pulsa|kuota|murah|diskon|gratis|percuma|free|lucky|menang|undian|"
                          r"prize|winner|unblock|kyc|cs-|-cs\b|kefu")


def skeleton(s: str) -> str:
    """Fold look-alike characters: ``te1k0msel`` and ``telkomsel`` share a skeleton."""
    return s.lower().replace("rn", "m").replace("vv", "w").translate(_SKELETON)


def lookalike(host: str, brands: list[str], names: frozenset[str]) -> bool:
    """A host that imitates a brand: the brand with extra words (``telkomsel-promo.xyz``), in
    disguise (``te1komsel.com``), or as a subdomain of someone else's site
    (``telkomsel.com.renew.xyz``). A brand's own name under an ordinary ending
    (``telkomsel.co.id``, ``smartone.com.hk``) is the brand's, not an imitation."""
    host = host.lower().removeprefix("www.")
    labels = host.split(".")
    for i in range(1, len(labels)):
        if ".".join(labels[i:]) in _COMMON_SUFFIXES and i == 1 and labels[0] in names:
            return False  # exactly the brand: its own domain in another country
    skel = skeleton(host)
    for brand in brands:
        if brand not in skel:
            continue
        for m in re.finditer(re.escape(brand), skel):
            whole = m.start() == 0 or skel[m.start() - 1] in ".-_"
            if not whole and len(brand) < 7:  # long names are distinctive even inside a word
                continue
            if host[m.start():m.end()] != brand.replace("m", "rn") and skeleton(host[m.start():m.end()]) == brand \
                    and host[m.start():m.end()] not in names:
                return True  # spelled in disguise: te1komsel, rnaxis
            rest = skel[:m.start()] + " " + skel[m.end():]
            registrable = ".".join(labels[-3:] if ".".join(labels[-2:]) in _COMMON_SUFFIXES else labels[-2:])
            if brand not in skeleton(registrable):
                return True  # the brand as someone else's subdomain: telkomsel.com.renew.xyz
            if _SCAMMY.search(rest) or tld_of(host) in ODD_TLDS:
                return True  # the brand plus a lure: telkomsel-promo, mytelkomsel-app, maxis.xyz
    return False


def _reasons(link: Link, host: str, domains: Domains) -> set[str]:
    found: set[str] = set()
    if is_punycode_or_idn(host):
        found.add("punycode")
    if _under(host, SHORTENER_DOMAINS):
        found.add("shortener")
    if link.text.rstrip("/").endswith(".apk") or ".apk?" in link.text or tld_of(host) == "apk":
        found.add("apk")
    if lookalike(host, domains.brands, domains.brand_names):
        found.add("lookalike")
    if tld_of(host) in ODD_TLDS or re.fullmatch(r"[\d.]+", host):
        found.add("odd_tld")
    return found


def link_reasons(link: Link, domains: Domains, topic: bool) -> set[str]:
    """What a link that is not official counts against a message; ``topic``: it sits next to renewal
    words and is suspicious, so it also counts as ``unofficial_link``."""
    kind, reasons = domains.judge_link(link)
    if kind in (OFFICIAL, MESSENGER):
        return set()
    return set(reasons) | ({"unofficial_link"} if topic else set())
