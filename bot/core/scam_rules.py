"""The explainable half of the scam guard: what the rules find in one message, and their score.

Each finding adds a weight (:data:`WEIGHTS`). A finding is dropped when a negation or warning comes
before it in the same clause (:mod:`bot.core.scam_message`), and a message that warns about scams
without giving anyone to contact counts half. :func:`bot.core.scam.combine` joins the rules' score
with the model's.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from bot.core import scam_offers as o
from bot.core import scam_vocab as v
from bot.core.scam_domains import MESSENGER, OFFICIAL, SUSPICIOUS, domains_for, link_reasons
from bot.core.scam_message import MessageText
from bot.core.scam_model import prepare

#: Reason codes, in the order they are reported, and what each adds to the score.
WEIGHTS: dict[str, float] = {
    "messenger_contact": 1.0,  # a Telegram/WhatsApp/WeChat contact offering top-ups or renewals
    "asks_code": 1.0,          # asks the reader to hand over an OTP, PIN or verification code
    "cheap_topup": 0.8,        # discounted, "slow" or middleman top-ups (代充, 慢充, pulsa murah)
    "lookalike": 0.8,          # a domain that imitates a carrier (telkomsel-promo.xyz, l0086.cc)
    "punycode": 0.8,           # xn-- or non-ASCII letters in a host name
    "apk": 1.0,                # an app to install from outside the app stores
    "prize_fee": 0.6,          # a prize that needs a fee or tax first
    "shortener": 0.6,          # a shortened link (0.3 more next to renewal words)
    "threat": 0.5,             # the line will be blocked / suspended / registration failed
    "unofficial_link": 0.5,    # a suspicious link (not official, see scam_domains) next to renewal words
    "points_expiry": 0.5,      # "your points expire today, redeem now"
    "contact_me": 0.4,         # "DM me", "私聊", "japri" next to renewal words
    "phone_contact": 0.5,      # a personal phone number next to renewal words (a call-back channel)
    "odd_tld": 0.3,            # .xyz, .top, .cc ... or a bare IP address
    "urgency": 0.2,            # "now", "segera", "立即"
    "authority": 0.9,          # police, court or regulator says your number or account is in trouble
    "search_id": 0.5,          # "search this ID" on a messenger, instead of a link or handle
    "prize": 0.6,              # a prize or lucky draw to claim
    "asks_personal": 0.6,      # asks for an ID card number, bank card number or the like
    "impersonation": 0.9,      # "it's mum, new number": a relative or friend asking for money or credit
    "private_channel": 0.3,    # moves the talk to a private messenger contact, whatever the topic
    "easy_money": 0.6,         # job or task bait, quick loans, sure profits, buying SIM cards or bank accounts
    "parcel_fee": 0.6,         # a parcel held or undeliverable, with a fee to pay or a link to follow
    "pay_first": 0.4,          # pay (a deposit) first, the goods come after
    "model": 0.0,              # the wording resembles scams in the corpus (weight: the model's share)
}
_SHORTENER_TOPIC_BONUS = 0.3
#: Offers out of nowhere (money, prizes, a parcel to release) that weigh more with someone to answer.
_OFFERS = {"easy_money", "prize", "prize_fee", "parcel_fee", "pay_first"}
_OFFER_CHANNEL_BONUS = 0.4
_ANY_NUMBER = re.compile(r"\d[\d -]{6,}\d")  # a phone or account number, however written
#: Findings that give the reader someone to contact: a warning that has one may be a scam's cover.
_CHANNELS = {"messenger_contact", "phone_contact", "search_id", "contact_me"}


def _phone(t: MessageText) -> bool:
    for m in v.PHONE.finditer(t.words):
        digits = sum(c.isdigit() for c in m.group(0))
        if 8 <= digits <= 15 and not v.DATE.search(m.group(0)) and not t.negated(m.start(), m.end()):
            return True
    return False


def _amount(digits: str) -> int:
    return int(re.sub(r"[.,]", "", digits))


_GETS = re.compile(r"get|dapat|到账|到帐|得|充")


def _two_prices(t: MessageText) -> bool:
    """Two prices side by side, the second 3-70% off the first ("100rb jadi 85rb"), or 'pay A, get B'
    with B above A ("充100到账120"); not a price going up ("pulsa 10rb jadi 12rb" at a kiosk)."""
    for m in v.TWO_PRICES.finditer(t.words):
        a, b = _amount(m.group(1)), _amount(m.group(2))
        if not (a and b and 0.3 <= min(a, b) / max(a, b) <= 0.97) or t.negated(m.start(), m.end()):
            continue
        if (b > a) == bool(_GETS.search(t.words, m.end(1), m.start(2))):
            return True
    return False


def _asks_code(t: MessageText, unofficial_links: bool) -> bool:
    """What :data:`v.ASK` finds, found from each code word outwards (much faster on long text)."""
    words = t.words
    if not v.may_match(v.CODE_RX, words):
        return False
    for code in v.CODE_RX.finditer(words):
        spans = []
        lo = max(0, code.start() - 60)
        give = v.GIVE_BEFORE.search(words, lo, code.start())
        if give:
            spans.append((give.start(), code.end()))
        for rx in v.AFTER_CODE:
            after = rx.match(words, code.end(), code.end() + 160)
            if after:
                spans.append((code.start(), after.end()))
        for start, end in spans:
            if t.negated(start, end) or v.VOUCHER.search(words, start, end):
                continue
            if v.ANYONE_AFTER.search(words[end:end + 60]):
                continue  # "... share it with anyone" is the carrier's own warning
            if v.TO_SHORT_CODE.search(words[end:end + 60]):
                continue  # "send RELOAD and the card's PIN to 2888": the carrier's own keyword service
            return True
    m = v.MISTAKE.search(t.words)  # "I sent a code to your number by mistake"
    if m and not t.negated(m.start(), m.end()):
        return True
    if unofficial_links:  # "enter your OTP here: <link>"
        for m in v.ENTER_CODE.finditer(t.words):
            if not t.negated(m.start(), m.end()) and not v.VOUCHER.search(m.group(0)):
                return True
    return False


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the rules found and the text the model reads; :func:`combine` makes the verdict."""

    found: frozenset[str]
    rule_score: float
    model_text: str
    #: no finding, no link, no number and nothing asked of the reader, about a line or a carrier
    #: ("Your prepaid account expires on 31 Dec"): the model alone must be surer to call it a scam.
    asks_nothing: bool = False


def analyse(text: str, official_domains: Collection[str]) -> Analysis:
    """The rules' findings for one message (only the first ``MAX_CHARS`` characters count)."""
    domains = domains_for(official_domains)
    t = MessageText(text, domains)
    words = t.words
    topic = bool(v.TOPIC.search(words) or v.BRAND.search(words))
    context = topic or (v.may_match(v.CS, words) and bool(v.CS.search(words)))
    found: set[str] = set()
    live = [(link, s, e) for (link, s, e, kind), warned in zip(t.links, t.warned, strict=True)
            if kind != OFFICIAL and not warned]
    messenger_link = any(kind == MESSENGER and not warned for (_l, _s, _e, kind), warned in zip(t.links, t.warned, strict=True))
    suspicious = {id(link) for link, _, _, kind in t.links if kind == SUSPICIOUS}

    # Messenger contacts: links (t.me, wa.me ...) and handles or numbers given for a messenger.
    if context and (messenger_link or t.first(v.MESSENGER)):
        found.add("messenger_contact")
    if t.first(v.SEARCH_ID) and ("messenger_contact" in found or re.search(v.MSG_APP, words)):
        found.add("messenger_contact" if context else "search_id")
    if t.first(v.CHEAP) or (topic and (t.first(v.CHEAP_GENERIC) or _two_prices(t))):
        found.add("cheap_topup")
    if _asks_code(t, bool(live)):
        found.add("asks_code")
    m = t.first(v.ASK_PERSONAL)
    if m and not v.VOUCHER.search(words[t.clause_start(m.start()):m.end() + 40]):
        found.add("asks_personal")  # not "enter the 10-digit number of the voucher card"
    if t.first(v.THREAT):
        found.add("threat")
    if v.PRIZE.search(words):
        if t.first(v.FEE):
            found.add("prize_fee")
        if t.first(v.CLAIM) or live:
            found.add("prize")
    if t.first(v.POINTS):
        found.add("points_expiry")
    if topic and t.first(v.CONTACT_ME):
        found.add("contact_me")
    if (topic or "prize" in found or t.first(v.CALL_BACK)) and "messenger_contact" not in found and _phone(t):
        found.add("phone_contact")
    if "messenger_contact" not in found and (
        messenger_link or t.first(v.MESSENGER) or t.first(v.ADD_ME)
    ):
        found.add("private_channel")
    if t.first(v.URGENT):
        found.add("urgency")
    if t.first(v.AUTHORITY_WHO) and t.first(v.AUTHORITY_WHAT):
        found.add("authority")
    if t.first(v.APK_WORD) and not v.STORE.search(words) and (
        (t.first(v.INSTALL) and (live or "messenger_contact" in found)) or t.first(v.OPEN)
    ):
        found.add("apk")  # "download the APK here: <link>", "open the wedding invitation APK"
    if t.first(v.LURE) and t.first(v.LURE_ACT) and not v.STORE.search(words):
        found.add("apk")  # "our wedding invitation is an app, please install it"
    if t.first(v.NEW_NUMBER) and t.first(v.MONEY_ASK):
        found.add("impersonation")
    if any(t.first(part) for part in o.EASY_MONEY):
        found.add("easy_money")
    if t.first(o.PARCEL) and t.first(o.PARCEL_PROBLEM) and (live or t.first(v.FEE)):
        found.add("parcel_fee")
    if t.first(o.PAY_FIRST) and not (topic and "contact_me" in found):
        found.add("pay_first")  # (with renewal words, contact_me already counts "bayar dulu")
    for link, _, _ in live:  # a plain link (an unknown but unremarkable domain) is no sign by itself
        found |= link_reasons(link, domains, context and id(link) in suspicious)

    score = sum(WEIGHTS[r] for r in found)
    if found & _OFFERS and (found & (_CHANNELS | {"private_channel"}) or t.first(o.REPLY_TO)):
        score += _OFFER_CHANNEL_BONUS  # an offer out of nowhere and someone to answer: the scam's whole shape
    if "shortener" in found and topic:
        score += _SHORTENER_TOPIC_BONUS
    if t.cautionary and not found & _CHANNELS:
        score /= 2  # a warning about scams (even one that quotes a link or a file) with nobody to contact
    model_text = prepare(t.model_words)
    quiet = (not found and not t.links and topic and not _ANY_NUMBER.search(words)
             and not o.ASKS.search(t.model_words))
    return Analysis(frozenset(found), round(score, 3), model_text, quiet)
