"""Which links are official and which imitate a brand.

Official: a domain of the catalog (carriers, regulators, reporting bodies) or of
:data:`WELL_KNOWN_OFFICIAL` (app stores, government second-level domains), or under one. A
look-alike imitates a known brand: the brand with extra words (``telkomsel-promo.xyz``), in disguise
(``te1komsel.com``), or as someone else's subdomain (``telkomsel.com.renew.xyz``).
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from bot.core.links import ODD_TLDS, Link, is_messenger, is_punycode_or_idn, is_shortener, tld_of

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



class Domains:
    """The official domains in a form that answers fast: a set of suffixes and the brand names."""

    def __init__(self, official: frozenset[str]) -> None:
        self.official = frozenset(d.lower().strip(".") for d in official) | WELL_KNOWN_OFFICIAL
        self.brands = _brands(official)
        self.brand_names = frozenset(_brand_names(official))

    def is_official(self, host: str) -> bool:
        """``host`` is an official domain or under one (``my.telkomsel.com``, ``x.gov.my``)."""
        labels = host.lower().strip(".").split(".")
        return any(".".join(labels[i:]) in self.official for i in range(len(labels)))


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


_SCAMMY = re.compile(r"promo|claim|klaim|redeem|verif|secure|safe|update|poin|point|hadiah|bonus|login|reward|gift|"
                     r"renew|service|\bcs\b|-cs|cs-|official|resmi|rasmi|app|online|\bid-|-id\b|\bmy-|-my\b|vip|mall|"
                     r"bayar|pay|topup|reload|pulsa|kuota|free|gratis|percuma|win|lucky|menang|undian|help|care|"
                     r"support|account|akun|akaun|member|event|daftar|register|activ|aktif|web|portal|\d{3,}")


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


def link_reasons(link: Link, domains: Domains, topic: bool) -> set[str]:
    host = link.host
    if is_messenger(host):
        return set()
    found: set[str] = set()
    if is_punycode_or_idn(host):
        found.add("punycode")
    if is_shortener(host):
        found.add("shortener")
    if link.text.rstrip("/").endswith(".apk") or ".apk?" in link.text or tld_of(host) == "apk":
        found.add("apk")
    if lookalike(host.split(":")[0], domains.brands, domains.brand_names):
        found.add("lookalike")
    if tld_of(host) in ODD_TLDS or re.fullmatch(r"[\d.]+", host):
        found.add("odd_tld")
    if topic:
        found.add("unofficial_link")
    return found
