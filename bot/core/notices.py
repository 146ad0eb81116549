"""Reading a carrier's own notice (SMS, USSD answer, app screen) pasted or forwarded into a DM.

"Masa aktif kartu Anda s.d. 31-12-2026", "有效期至2026年12月31日", "Your validity is until
31/12/2026": people get their expiry date from the carrier and should not have to retype it. A
reading is only an *offer*: the caller shows what was read and stores nothing until the owner
confirms, and never offers a text that the scam guard flags.

Two kinds of pattern find the date:
- per-provider formats from the catalog (each with its source), tried first: they also name the
  provider, unless the text names another one;
- generic "active until <date>" phrases in the five languages, for carriers whose format the
  catalog does not hold yet; the provider then comes from a brand name in the text.
A text with a date but no validity wording (a balance-only message, a promotion "until 31 Dec")
is not read as an expiry, nor is a generic phrase in a clause about a promotion, a package or pass, a
one-time code or points ("Offer valid until 31/12/2026", "優惠有效期至…"). Pure: no I/O.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.core.dates import DateError, parse_date

#: A date as carriers print it: 31-12-2026, 31/12/26, 2026-12-31, 2026.12.31, 31 Dec 2026, 31st (of)
#: December 2026, 31hb Disember 2026, 31 Dec '26, Dec 31, 2026, 2026年12月31日, 20261231, 31DEC2026,
#: with a two-digit year after a month name, 18Aug13 and 18-AUG-14 (Indonesian USSD answers), and
#: Taiwan's Minguo years (115年12月31日, 115/12/31). Thai Buddhist years (31/12/2569) are turned
#: into the common era by `_parse`. A month name is only a candidate: the date parser decides.
DATE = (
    r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号號]"
    r"|(?<!\d)1[0-4]\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号號]"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|(?<!\d)1[0-4]\d/\d{1,2}/\d{1,2}(?!\d)"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th|hb)?(?:\s+of)?[-\s]+(?:[A-Za-z]{3,10})\.?[-\s,]*(?:\d{4}|'\d{2}(?!\d))"
    r"|[A-Za-z]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,\s*|\s+)\d{4}"
    r"|\d{1,2}[-\s]?[A-Za-z]{3}[-\s]?(?:\d{4}|\d{2})(?!\d)"
    r"|(?<!\d)20\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d))"
)
_SHORT_YEAR = re.compile(r"^(\d{1,2})[-\s]?([A-Za-z]{3})[-\s]?(\d{2})$")
_GLUED_YEAR = re.compile(r"^(\d{1,2})[-\s]?([A-Za-z]{3})[-\s]?(\d{4})$")
_APOSTROPHE_YEAR = re.compile(r"'(\d{2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MINGUO = re.compile(r"^(1[0-4]\d)(\s*年|/)")
_BUDDHIST = re.compile(r"(?<!\d)(2[5-6]\d{2})(?!\d)")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2,4})$")

#: What may stand between a validity word and its date: no digits, except a brand with digits in its
#: name ("IM3", "3HK"), a duration ("bertambah 30 hari s.d.", "valid for 1 year, until") and a phone
#: number, whole or masked, starting with 0 or + ("Masa aktif nomor 0812xxxx7890 s.d. …"; a date's
#: day never has three digits after a leading 0).
_GAP = (r"(?:[^0-9\n]|\b[A-Za-z]+\d+[A-Za-z0-9]*\b"
        r"|\b\d{1,3}\s*(?:hari|days?|months?|bulan|years?|tahun)\b"
        r"|(?<![\d/.-])(?:\+\d{1,3}[\s-]?|0)\d{2,4}(?:[\s-]?[\dx*•]{2,8}){1,3}(?![\d/.]))")

#: Generic validity phrases; ``{D}`` is where the date stands; ``{G}`` a gap (`_GAP`). They read wordings no source shows
#: verbatim yet (see README: most carriers' exact words are unpublished), so they are broad on purpose;
#: `_OFF_TOPIC` keeps them off a promotion's, a package's or a code's end date.
_GENERIC = [
    # Indonesian USSD balance answer: "Pulsa Rp 1234 s.d. 01-01-2022" (the balance, then the date
    # the card is active until). Verbatim from a user's *888#-style answer quoted in
    # github.com/mueller-ma/PrepaidBalance/issues/11#issuecomment-977514814 (carrier not named there,
    # so it stays generic); the amount may carry thousands dots: "Rp 12.500".
    r"\bpulsa\s*:?\s*rp\.?\s*[0-9][0-9.,]*\s*,?\s*(?:s\.\s?d\.?|s/d|sd)\s*{D}",
    # ... and its variants: "Sisa pulsa (Anda) Rp5.000 berlaku sampai/hingga <date>", "Pulsa: Rp5000
    # Aktif: <date>"
    r"\bpulsa(?:\s+(?:anda|kamu|sisa))?\s*:?\s*rp\.?\s*[0-9][0-9.,]*\.?\s*,?\s*(?:berlaku|aktif)\s*(?:s\.?\s?d\.?|s/d|sd|sampai(?:\s+dengan)?|hingga|:)\s*{D}",
    # Indonesian: "masa aktif (kartu Anda) s.d./sampai (dengan)/hingga/berakhir pada/: <date>", also
    # with no word before the date ("Masa aktif 31-12-2026") and "masa berlaku" (Telkomsel's word).
    r"\bmasa\s*(?:aktif|berlaku){G}{0,40}?(?:s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|smp|hingga|sd|berakhir(?:\s+pada)?|menjadi|berlaku(?:\s+(?:s\.?\s?d\.?|sampai|hingga))?|:)?\s*(?:tgl\.?|tanggal)?\s*{D}",
    r"\baktif(?:\s+(?:s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|hingga)|\s*:)\s*(?:tgl\.?|tanggal)?\s*{D}",
    # "Kartu/Nomor Anda berlaku sampai (dengan) (tanggal) <date>": the line itself is the subject
    # ("Nomor antrean Anda berlaku ..." is a queue number's: only the card or number named as such)
    r"\b(?:kartu(?:\s+(?:sim|perdana|prabayar))?|nomor(?:\s+(?:hp|ponsel|seluler|telepon|prabayar))?)\s+(?:anda|kamu)\s+"
    r"berlaku\s+(?:s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|hingga)\s*(?:tgl\.?|tanggal)?\s*{D}",
    r"\b(?:tgl\.?\s*|tanggal\s+)?(?:kadaluarsa|kedaluwarsa|kadaluwarsa|expired)\s*(?:pada|tgl\.?|tanggal)?\s*:?\s*{D}",
    # Malay: "sah sehingga", "tempoh sah (akaun): / hingga", "kesahan", "aktif sehingga",
    # "tamat tempoh (pada)", "tarikh luput/tamat (akaun):", "(akan) tamat/luput pada"
    r"(?:tempoh\s+)?\b(?:sah|aktif)\s+(?:sehingga|hingga|sampai)\s*(?:tarikh\s*)?{D}",
    r"\b(?:tempoh\s+(?:sah|aktif)|kesahan){G}{0,40}?(?:sehingga|hingga|sampai|:)\s*(?:tarikh\s*)?{D}",
    r"\btamat\s+tempoh(?:\s+sah)?(?:\s+(?:pada|pd))?\s*(?:tarikh\s*)?:?\s*{D}",
    r"\btarikh\s+(?:luput|tamat(?:\s+tempoh)?|akhir){G}{0,25}?:?\s*{D}",
    r"\b(?:tamat|luput)\s+(?:pada|pd)\s*(?:tarikh\s*)?:?\s*{D}",
    r"\b(?:tamat|luput)\s*:\s*{D}",
    # English: "valid until/till/to/up to", "validity (date)(:)", "active until", "expire(s) on",
    # "expiry date:", "exp date:"
    r"\b(?:valid(?:ity)?|active|account\s+validity){G}{0,30}?(?:until|till|til|to|up\s*to|thru|through|is|from|:"
    r"|(?:will\s+)?end(?:s|ing)?(?:\s+on)?)\s*{D}",
    r"\bvalidity(?:\s+date)?\s*:?\s*{D}",
    r"\bexpir(?:e|es|ed|y|ing|ation)(?:\s+date)?\s*(?:on|is|:|-|–)?\s*(?:the\s+)?{D}",
    # "... will expire in 29 days on 31/12/2026"
    r"\bexpir\w*\s+in\s+\d{1,3}\s*days?,?\s+(?:on\s+)?{D}",
    # the date first: "31/12/2026 is your account's expiry date"
    r"{D}\s+is\s+(?:your\s+)?(?:(?:account|sim|line|number|card)(?:'s)?\s+)?(?:expiry|expiration|validity)\s+date",
    r"\bexp\.?\s*(?:date\s*)?:?\s*{D}",
    # "... in 3 days (09/12/2026)", "tamat tempoh dalam 3 hari (09/12/2026)", "tinggal 3 hari (s.d. <date>)"
    r"\b(?:tamat\s+tempoh|expir\w*|berakhir|habis|tinggal)\s+(?:dalam\s+|in\s+)?\d{1,3}\s*(?:hari|days?)\s*(?:lagi\s*)?\(\s*(?:s\.?\s?d\.?|s/d|on)?\s*{D}",
    # Thai: "ใช้ได้ถึง(วันที่)", "ใช้งานได้ถึง", "วันหมดอายุ", "หมดอายุ(วันที่)", "วันใช้งานถึง" (a date in
    # Buddhist-era years is turned into the common era by `_parse`).
    r"(?:ใช้(?:งาน)?ได้(?:จน)?ถึง|วัน(?:ที่)?หมดอายุ|หมดอายุ|วันใช้งาน(?:ถึง)?|อายุ(?:การ)?ใช้งาน(?:ถึง)?)"
    r"\s*(?:วันที่|ในวันที่)?\s*:?\s*{D}",
    # Vietnamese (with or without diacritics): "HSD: 31/12/2026" (hạn sử dụng), "hạn sử dụng đến",
    # "ngày hết hạn", "hết hạn (vào) ngày", "hiệu lực đến (ngày)"
    r"(?:\bHSD\b|\bh[aạ]n\s+s[uử]\s+d[uụ]ng|\bth[oờ]i\s+h[aạ]n(?:\s+s[uử]\s+d[uụ]ng)?|\bng[aà]y\s+h[eế]t\s+h[aạ]n"
    r"|\bh[eế]t\s+h[aạ]n(?:\s+v[aà]o)?|\bhi[eệ]u\s+l[uự]c)\s*:?\s*(?:[đd][eế]n|l[aà])?\s*(?:ng[aà]y)?\s*:?\s*{D}",
    # Chinese: "有效期至", "有效期至：", "有效期：至", "有效期到", "有效期截至/截止到", "有效期去到" (Cantonese), "有效期為", "有效日期：", "有效期限至", "儲值期(限)至",
    # "使用期限至", "有效期已延長至", "(門號)效期(延長)至" (Taiwan), "到期日：", "到期日期為", "屆滿日期：",
    # "<date> 到期/屆滿/失效/過期", "<date>前有效"
    r"有效(?:期|日期|期限)(?:即日起)?\s*[:：]?\s*已?(?:(?:自動|自动)?(?:延長|延长|延))?"
    r"(?:截止到|截止至|截止|截至|去到|至|到|为|為|是|止|由|從|从|自)?\s*[:：]?\s*{D}",
    r"(?:使用期|服務期|服务期|儲值期|储值期|效期)限?已?(?:延長|延长|延)?(?:至|到|為|为)?\s*[:：]?\s*{D}",
    r"(?:到期|屆滿|届满|失效|過期|过期)(?:(?:日|日期|時間|时间)\s*(?:為|为|是)?\s*[:：]?|\s*[:：])\s*{D}",
    r"{D}\s*(?:到期|屆滿|届满|前有效|止|失效|過期|过期)",
]

#: Words that make a generic phrase's date something else's end: a promotion (also one that only
#: says "free", "50%", "unlimited", "register", "送…"), a one-time code, points, a card, a grace period. Looked for in the phrase and in the clause before it (back to the last sentence or
#: clause break), never after: "Masa aktif s.d. 31-12-2026. Promo kuota ..." is still the line's date.
#: Catalog formats are exact wordings and are not checked.
_OFF_TOPIC = re.compile(
    r"\b(?:offer|promo(?:tion|si)?|discount|diskon|diskaun|deal|sale|bonus|voucher|baucar|coupon|kupon"
    r"|cashback|hadiah|tawaran|otp|code|kode|kod|password|sandi|pin|points?|poin|rewards?|ganjaran"
    r"|credit\s+card|kartu\s+kredit|kad\s+kredit|undian|contest|peraduan|membership|keanggotaan"
    r"|keahlian|free|percuma|gratis|unlimited|register|daftar)\b|\d\s*%"
    r"|優惠|优惠|推廣|推广|活動|活动|折扣|禮券|礼券|驗證碼|验证码|密碼|密码|積分|积分"
    r"|獎賞|奖赏|贈送|赠送|抽獎|抽奖|信用卡|優惠券|优惠券|會員|会员|授權碼|授权码|累計|累计|\d\s*分(?![钟鐘])"
    r"|免費|免费|[買买]一送一|送(?:[\d一二兩两三五十]|話費|话费)"
    # a grace period's end is not the active period's: "Masa aktif habis, masa tenggang s/d <date>"
    r"|\b(?:tenggang|grace|tangguh)\b|宽限|寬限"
    r"|\b(?:tickets?|tiket|khuy[eế]n\s+m[aã]i|[uư]u\s+[đd][aã]i|[đd]i[eể]m|m[aã]\s+(?:otp|x[aá]c\s+nh[aậ]n)|KM\d*)\b"
    r"|門票|门票|โปร(?:โมชั่น)?|ส่วนลด|คูปอง|คะแนน|พอยท์|รหัส|ระยะเวลาผ่อนผัน",
    re.IGNORECASE,
)
#: A package, pass, subscription or another service (broadband): its end is not the line's ("Masa aktif paket s.d. …", "Your data
#: pass is valid until …", "流量包有效期至…"), unless the same clause names the line itself ("Masa aktif
#: kartu dan kuota s.d. …", "Your SIM and data are valid until …", "數據卡有效期至…": a data SIM).
_PACKAGE = re.compile(
    r"\b(?:pass|pas|package|paket|pakej|bundle|add-?on|data|quota|kuota|langganan|subscription|plan"
    r"|broadband|fibre|fiber|indihome|internet|g[oó]i(?:\s+c[uư][oớ]c)?|dung\s+l[uư][oợ]ng)\b|\d\s*[GM]B\b"
    r"|套餐|數據|数据|流量|用量|計劃|计划|宽带|寬頻|寬帶|宽频|光纖|光纤|แพ็[กค]เกจ|เน็ต|อินเทอร์เน็ต",
    re.IGNORECASE,
)
_THE_LINE = re.compile(
    r"\b(?:kartu|nomor|nomer|sim|akaun|account|line|talian|nombor|number|card)\b"
    r"|儲值卡|储值卡|儲值咭|預付卡|预付卡|號碼|号码|門號|门号|[數数]據卡|SIM卡|電話卡|电话卡|上網卡|上网卡|เบอร์|ซิม|หมายเลข"
    r"|\b(?:thu[eê]\s+bao|s[oố]\s+thu[eê]\s+bao|TKC|TK\s+ch[ií]nh|t[aà]i\s+kho[aả]n\s+(?:g[oố]c|ch[ií]nh))\b",
    re.IGNORECASE,
)
#: A clause break: . ! ? ; , followed by a space or the end (not the dots of "s.d." or "Rp.5600"),
#: CJK punctuation, a line break.
_CLAUSE_BREAK = re.compile(r"[.!?;,](?=\s|$|[^\x00-\x7f])|[。！？；，\n|]")
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s|$|[^\x00-\x7f])|[。！？\n]")
#: A start date, not an end: "masa aktif ... (berlaku sejak 9 November 2024)", "effective from ...".
_SINCE = re.compile(r"\b(?:sejak|mulai|dari|since|from|effective|starting|berkuat\s*kuasa)\b|(?:由|從|从|自)(?=\s*\d)", re.IGNORECASE)
#: The end of a range that starts at such a date: "dari 01-12-2026 s.d. 31-12-2026", "from ... to ...".
_RANGE_END = re.compile(
    r"\s*起?\s*(?:s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|hingga|menjadi|until|till|to|-|–|~|至|到)\s*"
    f"(?P<date>{DATE})",
    re.IGNORECASE,
)
#: Phrases that are about the line by themselves (Indonesian "masa aktif" is the card's; "pulsa" its credit).
_OF_THE_LINE = re.compile(r"(?:masa\s*aktif|(?:sisa\s+)?pulsa)\b", re.IGNORECASE)


def _off_topic(text: str, m: re.Match[str]) -> bool:
    """Whether the phrase matched at ``m`` is about a promotion, package, code or grace period.

    A bare clause ("Tamat tempoh: 06/01/2027") takes its subject from the sentence before:
    "Internet Pass RM35 telah diaktifkan. Tamat tempoh: …" is the pass's end.
    """
    breaks = [b.end() for b in _CLAUSE_BREAK.finditer(text, 0, m.start())]
    start = breaks[-1] if breaks else 0
    clause = text[start:m.start("date")]
    if _OFF_TOPIC.search(clause):
        return True
    if _PACKAGE.search(clause):
        return _THE_LINE.search(clause) is None
    if _THE_LINE.search(clause) or _OF_THE_LINE.match(m.group(0)):
        return False
    sentences = [b.end() for b in _SENTENCE_BREAK.finditer(text, 0, start)]
    before = text[sentences[-2] if len(sentences) >= 2 else 0:start]
    return bool(_OFF_TOPIC.search(before) or (_PACKAGE.search(before) and not _THE_LINE.search(before)))


@dataclass(frozen=True, slots=True)
class NoticeFormat:
    """One carrier's notice wording, from the catalog: a regex with a ``date`` group."""

    provider: str
    pattern: str  # may use {D} for the date group
    source: str
    example: str = ""
    lang: str | None = None  # the language the carrier sends it in
    order: str | None = None  # "MDY" when the carrier prints numeric dates month first

    def compiled(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


@dataclass(frozen=True, slots=True)
class NoticeReading:
    provider: str | None  # catalog id: the format's carrier, else a brand the text names
    expiry: date
    date_text: str
    by_format: bool  # True: a catalog format matched (the provider is certain); False: a generic phrase
    source: str | None = None  # where the matching format's wording was published


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("{D}", f"(?P<date>{DATE})"), re.IGNORECASE)


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A catalog format compiled once (they are tried on every pasted notice)."""
    return _compile(pattern)


_GENERIC_RE = [_compile(p.replace("{G}", _GAP)) for p in _GENERIC]

#: A date without a year ("valid until 15 Mar", "tamat pada 12/03", "將於12/20到期"): many notices
#: print none. Only tried in the generic phrases, after every dated reading failed; the year is the
#: one that puts the date nearest ahead of the reading day (up to two months back: a notice pasted late).
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "mac": 3, "apr": 4, "may": 5, "mei": 5, "jun": 6, "jul": 7,
    "aug": 8, "agu": 8, "agt": 8, "ags": 8, "ogo": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11,
    "dec": 12, "des": 12, "dis": 12,
}
_MONTH_WORD = (r"(?:jan(?:uari|uary)?|feb(?:ruari|ruary)?|mar(?:ch|et)?|mac|apr(?:il)?|may|mei|jun[ei]?"
               r"|jul(?:y|i|ai)?|aug(?:ust)?|agu(?:stus)?|agt|ogos|sep(?:t(?:ember)?)?|o[ck]t(?:ober)?"
               r"|nov(?:ember)?|de[cs](?:ember)?|dis(?:ember)?)")
YEARLESS = (
    r"(?:\d{1,2}\s*月\s*\d{1,2}\s*[日号號]"
    rf"|\d{{1,2}}(?:st|nd|rd|th|hb)?\s+{_MONTH_WORD}\.?"
    rf"|{_MONTH_WORD}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
    r"|(?<![\d/.-])\d{1,2}/\d{1,2})"
    r"(?![\w/.-]*\d)(?!\s*,?\s*'?\d)"  # no year after it: that is a full date, read above
)
#: ... and only right after the validity words (no gap but spaces: "masa aktifnya sampai 4 Juli" in a chat is
#: not read) and in a text that says nothing of a package before it (see `read_notice`).
_YEARLESS_RE = [re.compile(p.replace("{G}", r"[\s:]").replace("{D}", f"(?P<date>{YEARLESS})"), re.IGNORECASE)
                for p in _GENERIC]
_YL_CJK = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})")
_YL_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th|hb)?\s+([a-z]{3})", re.IGNORECASE)
_YL_MONTH_DAY = re.compile(r"([a-z]{3})[a-z]*\.?\s+(\d{1,2})", re.IGNORECASE)
_YL_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _parse_yearless(date_text: str, today: date, month_first: bool) -> date | None:
    """A day and month without a year, in the year that puts it nearest ahead of ``today``.

    Numeric "12/03" is day first (12 March), as in the rest of the reader, except in a Chinese
    text, where "12/20" is month first (Taiwan's and the mainland's order)."""
    text = date_text.strip()
    pairs: list[tuple[int, int]] = []  # (month, day) candidates, preferred first
    if m := _YL_CJK.match(text):
        pairs = [(int(m.group(1)), int(m.group(2)))]
    elif m := _YL_NUMERIC.match(text):
        a, b = int(m.group(1)), int(m.group(2))
        pairs = [(a, b), (b, a)] if month_first else [(b, a), (a, b)]
    elif (m := _YL_DAY_MONTH.match(text)) and m.group(2).lower() in _MONTHS:
        pairs = [(_MONTHS[m.group(2).lower()], int(m.group(1)))]
    elif (m := _YL_MONTH_DAY.match(text)) and m.group(1).lower() in _MONTHS:
        pairs = [(_MONTHS[m.group(1).lower()], int(m.group(2)))]
    for month, day in pairs:
        for year in (today.year - 1, today.year, today.year + 1):
            try:
                d = date(year, month, day)
            except ValueError:
                continue
            if -61 <= (d - today).days <= 305:
                return d
    return None
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
#: A clock time ("23:59", "11:59PM", "23:59:59 WIB"): never part of the date, and it would stand
#: between a validity word and its date ("valid until 23:59 31/12/2026").
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[ap]\.?m\.?|hrs?|WIB|WITA|WIT|MYT|SGT|HKT))?(?![\d:])",
                    re.IGNORECASE)
#: A weekday just before a date ("valid until Thu, 31 Dec 2026", "s.d. Kamis, 31-12-2026").
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?,?\s+(?=\d)"
    r"|\b(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|isnin|khamis|jumaat|ahad)\s*,?\s+(?=\d)",
    re.IGNORECASE,
)
#: Thai month names, full and abbreviated, to the English ones the date parser reads.
_THAI_MONTHS = {
    "มกราคม": "Jan", "กุมภาพันธ์": "Feb", "มีนาคม": "Mar", "เมษายน": "Apr", "พฤษภาคม": "May", "มิถุนายน": "Jun",
    "กรกฎาคม": "Jul", "สิงหาคม": "Aug", "กันยายน": "Sep", "ตุลาคม": "Oct", "พฤศจิกายน": "Nov", "ธันวาคม": "Dec",
    "ม.ค.": "Jan", "ก.พ.": "Feb", "มี.ค.": "Mar", "เม.ย.": "Apr", "พ.ค.": "May", "มิ.ย.": "Jun",
    "ก.ค.": "Jul", "ส.ค.": "Aug", "ก.ย.": "Sep", "ต.ค.": "Oct", "พ.ย.": "Nov", "ธ.ค.": "Dec",
}
_THAI_MONTH = re.compile(r"(\d{1,2})\s*(" + "|".join(re.escape(m) for m in _THAI_MONTHS) + r")\s*(?:พ\.ศ\.\s*)?(\d{4})")
#: Vietnamese "(ngày) 31 tháng 12 (năm) 2026".
_VI_DATE = re.compile(r"(\d{1,2})\s+th[aá]ng\s+(\d{1,2})\s*(?:,\s*)?(?:n[aă]m\s+)?(\d{4})", re.IGNORECASE)


def _normalise(text: str) -> str:
    """Widths and spaces folded; clock times and weekdays before a date dropped; Thai month names
    and Vietnamese "31 tháng 12 năm 2026" written as dates the parser reads."""
    out = _SPACES.sub(" ", unicodedata.normalize("NFKC", text))
    out = _CLOCK.sub("", out)
    out = _WEEKDAY.sub("", out)
    out = _THAI_MONTH.sub(lambda m: f"{m.group(1)} {_THAI_MONTHS[m.group(2)]} {m.group(3)}", out)
    out = _VI_DATE.sub(lambda m: f"{m.group(1)}/{m.group(2)}/{m.group(3)}", out)
    return _SPACES.sub(" ", out)


def _parse(date_text: str, today: date, order: str | None = None) -> date | None:
    """A notice's date. A numeric date with the year last is read day first in every script
    (31/12/2026 in Jakarta, Kuala Lumpur and Hong Kong alike: a Chinese character elsewhere in the
    text must not turn 02-12-2026 into 12 February); month first when the carrier's format says so
    (``order = "MDY"``), or when day first is impossible (12/31/2026). A two-digit year after a
    month name is this century's (18Aug13 is 18 Aug 2013); a Minguo year (115/12/31) and a Buddhist
    era year (2569) are turned into the common era first."""
    text = date_text.strip()
    short = _SHORT_YEAR.match(text)
    if short:
        text = f"{short.group(1)} {short.group(2)} 20{short.group(3)}"
    glued = _GLUED_YEAR.match(text)
    if glued:
        text = f"{glued.group(1)} {glued.group(2)} {glued.group(3)}"
    text = _APOSTROPHE_YEAR.sub(lambda m: f"20{m.group(1)}", text)
    compact = _COMPACT.match(text)
    if compact:
        text = "-".join(compact.groups())
    minguo = _MINGUO.match(text)  # Taiwan: Minguo year 115 is 2026
    if minguo:
        text = str(int(minguo.group(1)) + 1911) + text[len(minguo.group(1)):]
    text = _BUDDHIST.sub(lambda m: str(int(m.group(1)) - 543), text)  # Thai: 2569 BE is 2026
    numeric = _NUMERIC.match(text)
    if numeric and order == "MDY":
        a, sep, b, y = numeric.groups()
        text = f"{b}{sep}{a}{sep}{y}"
    for order_of in ("en",) if order else ("en", "zh-Hans"):  # day first, then month first
        try:
            return parse_date(text, today=today, lang=order_of, allow_past=True)
        except DateError:
            continue
    return None


#: Brand names that are also everyday words or numbers ("Reply YES to stop", "three days", "*1010#"):
#: they name a provider only where a sender's name stands, at the start of a line or in brackets, or
#: before a colon.
_EVERYDAY = frozenset({"yes", "three", "sf", "1010"})
_SENDER_BEFORE = re.compile(r"(?:^|\n)[\s\[【(<#]*$")
_SENDER_AFTER = re.compile(r"^\s*[:：\]】)>]")


def find_brand(text: str, brands: Mapping[str, str]) -> str | None:
    """The provider a notice names: a brand where a sender's name stands (at the start, in brackets,
    before a colon) first, else the longest brand or alias found as a whole word."""
    low = text.casefold()
    best: tuple[bool, int, str] | None = None
    for name, provider in brands.items():
        if len(name) < 2:
            continue
        key = name.casefold()
        for m in re.finditer(re.escape(key), low):
            before = low[m.start() - 1] if m.start() else " "
            after = low[m.end()] if m.end() < len(low) else " "
            if (before.isalnum() and before.isascii()) or (after.isalnum() and after.isascii()):
                continue
            sender = bool(_SENDER_BEFORE.search(low, 0, m.start()) or _SENDER_AFTER.match(low[m.end():]))
            if key in _EVERYDAY and not sender:
                continue
            if best is None or (sender, len(name)) > best[:2]:
                best = (sender, len(name), provider)
            if sender:
                break
    return best[2] if best else None


def read_notice(
    text: str,
    *,
    today: date,
    formats: Sequence[NoticeFormat] = (),
    brands: Mapping[str, str] | None = None,
    max_chars: int = 1000,
    check_range: bool = True,
) -> NoticeReading | None:
    """What a carrier notice says about the line's expiry, or ``None``.

    A date that would be more than ~2 years in the past or ahead is refused (a misread, or an
    unrelated date such as a date of birth); ``check_range=False`` only for ``catalog check``,
    whose examples keep the date their source printed.
    """
    if not text or len(text) > max_chars:
        return None
    norm = _normalise(text)
    named = find_brand(norm, brands or {})
    for fmt in formats:
        if named is not None and named != fmt.provider:
            continue  # "Telkomsel: Pulsa 5000 s/d ..." is not XL's answer because it is worded like one
        m = fmt.compiled().search(norm)
        if m:
            d = _parse(m.group("date"), today, fmt.order)
            if d is not None and (_plausible(d, today) or not check_range):
                return NoticeReading(fmt.provider, d, m.group("date"), True, fmt.source)
    for rx in _GENERIC_RE:
        for m in rx.finditer(norm):
            if _off_topic(norm, m):
                continue
            date_text = m.group("date")
            if _SINCE.search(norm[m.start():m.start("date") + 1]):  # + 1: "自2026..." looks at the digit
                # A start date ("berlaku sejak 9 November 2024"): only the end of its range is the line's.
                end = _RANGE_END.match(norm, m.end())
                if end is None:
                    continue
                date_text = end.group("date")
            d = _parse(date_text, today)
            if d is not None and (_plausible(d, today) or not check_range):
                return NoticeReading(named, d, date_text, False)
    month_first = bool(_HAN.search(norm))
    for rx in _YEARLESS_RE:
        for m in rx.finditer(norm):
            if _off_topic(norm, m) or _SINCE.search(norm[m.start():m.start("date") + 1]):
                continue
            if _PACKAGE.search(norm, 0, m.start("date")) or _OFF_TOPIC.search(norm, 0, m.start("date")):
                continue  # "剩餘數據1GB,有效期至12月31日": without a year, any package before it wins
            d = _parse_yearless(m.group("date"), today, month_first)
            if d is not None:
                return NoticeReading(named, d, m.group("date"), False)
    return None


def _plausible(d: date, today: date) -> bool:
    return -400 <= (d - today).days <= 800


def brands_from(entries: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """``{name or alias: provider id}`` from ``(provider id, names)`` pairs (the catalog's)."""
    out: dict[str, str] = {}
    for provider, names in entries:
        for n in names:
            out.setdefault(n.strip(), provider)
    return out
