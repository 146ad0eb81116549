"""Does a message look like a top-up or renewal scam? A pure, fast judgement with reasons.

The patterns come from /work/shared/carrier-facts.md: top-ups through a Telegram or WhatsApp
"agent", discounted or "slow" top-ups (代充, 慢充, pulsa murah), requests for an OTP or PIN,
threats of blocking, and links that are not the carrier's own (shorteners, punycode, look-alike
names, ``.apk``). Each finding adds a weight; a message is a likely scam at :data:`THRESHOLD`.

Legitimate messages talk about the same things: carriers say "never share your OTP", people warn
each other about "cheap top-ups on Telegram". So a finding is dropped when a negation or warning
("never", "jangan", "切勿", "scam") comes before it in the same clause, and a message that warns
about scams without giving any contact channel counts half.

Input is NFKC-normalised, lower-cased, stripped of invisible characters and mapped from
traditional to simplified Chinese for the characters the patterns use. Only the first
:data:`MAX_CHARS` characters are examined, so the time spent is bounded whatever the input.
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.core.links import (
    ODD_TLDS, Link, find_links, is_messenger, is_punycode_or_idn, is_shortener, tld_of, within,
)

#: Characters of (normalised) text examined; the rest of a very long message is ignored.
MAX_CHARS = 4000
_RAW_CAP = 4 * MAX_CHARS
#: Score at or above which a message is judged a likely scam.
THRESHOLD = 1.0

#: Reason codes, in the order they are reported, and what each adds to the score.
WEIGHTS: dict[str, float] = {
    "messenger_contact": 1.0,  # a Telegram/WhatsApp/WeChat contact offering top-ups or renewals
    "asks_code": 1.0,          # asks the reader to hand over an OTP, PIN or verification code
    "cheap_topup": 0.7,        # discounted, "slow" or middleman top-ups (代充, 慢充, pulsa murah)
    "lookalike": 0.8,          # a domain that imitates a carrier (telkomsel-promo.xyz, l0086.cc)
    "punycode": 0.8,           # xn-- or non-ASCII letters in a host name
    "apk": 0.7,                # an app to install from outside the app stores
    "prize_fee": 0.6,          # a prize that needs a fee or tax first
    "shortener": 0.6,          # a shortened link (0.3 more next to renewal words)
    "threat": 0.5,             # the line will be blocked / suspended / registration failed
    "unofficial_link": 0.5,    # a link outside the official domains next to renewal words
    "points_expiry": 0.5,      # "your points expire today, redeem now"
    "contact_me": 0.4,         # "DM me", "私聊", "japri" next to renewal words
    "phone_contact": 0.5,      # a personal phone number next to renewal words (a call-back channel)
    "odd_tld": 0.3,            # .xyz, .top, .cc ... or a bare IP address
    "urgency": 0.2,            # "now", "segera", "立即"
}
_SHORTENER_TOPIC_BONUS = 0.3
_CONCRETE = {"messenger_contact", "unofficial_link", "shortener", "punycode", "lookalike", "apk",
             "phone_contact"}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgement: ``is_scam`` at ``score >= THRESHOLD``; ``reasons`` are stable codes."""

    is_scam: bool
    score: float
    reasons: tuple[str, ...]


# ----------------------------------------------------------------------------- normalisation

_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
_DOT_WORDS = re.compile(r"\s?(?:\[\s?\.\s?\]|\(\s?\.\s?\)|\[dot\]|\(dot\)|\{dot\})\s?")
_CJK_DOT = re.compile(r"(?<=[a-z0-9])[。｡](?=[a-z0-9])")

# Traditional -> simplified for every character the Chinese patterns use (and a few neighbours).
_T2S = str.maketrans(
    "話費賬帳優價內時驗證碼動態簡訊確認發給訴報覆復輸寫轉圖唸讀將會機號銷凍結暫務關則實記敗異違規"
    "獎運續稅郵啟匯積兌換過馬盡趕緊別請萬從絕決謹詐騙釣魚飛紙電錢聯繫係戶餘額儲預擔們這個開達"
    "洩處裡裏門專買賣貴點擊連鏈網頁載裝應員為與廣東國華問題無還後間樣讓進麼麽說資銀註冊斷線歡"
    "觀紅禮幣團隊臉書龍壓賺錯誤齊對據區體辦們話惠嗎麼鐘頭當幫並準備碼達送選擇於屬嚴復",
    "话费账账优价内时验证码动态简讯确认发给诉报复复输写转图念读将会机号销冻结暂务关则实记败异违规"
    "奖运续税邮启汇积兑换过马尽赶紧别请万从绝决谨诈骗钓鱼飞纸电钱联系系户余额储预担们这个开达"
    "泄处里里门专买卖贵点击连链网页载装应员为与广东国华问题无还后间样让进么么说资银注册断线欢"
    "观红礼币团队脸书龙压赚错误齐对据区体办们话惠吗么钟头当帮并准备码达送选择于属严复",
)


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, never ending in the middle of a word or link."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if not text[limit].isspace() and not head[-1].isspace():
        space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
        if space > 0:
            head = head[:space]
    return head


def normalize(text: str) -> str:
    """The form every pattern sees: entities decoded, NFKC, no invisible characters, lower case,
    simplified Chinese, ``t[.]me``-style dots restored, and at most ``MAX_CHARS`` characters."""
    text = html.unescape(_cut(text, _RAW_CAP))  # "&quot;" is a quote, not a clause end
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).casefold().translate(_T2S)
    text = _DOT_WORDS.sub(".", text)
    text = _CJK_DOT.sub(".", text)
    return _cut(text, MAX_CHARS)


# ----------------------------------------------------------------------------- vocabulary

def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


_TOPIC = _rx(
    r"\b(?:renew\w*|top[ -]?ups?|topping up|topped up|reload\w*|recharg\w*|prepaid|pre-paid|"
    r"sim(?: ?cards?)?|e-?sims?|data (?:plan|pack\w*|pass\w*|bundle\w*)|validity|active period|"
    r"grace period|expir\w*|airtime|credit|quota|pulsa|kuota|isi ulang|perpanjang\w*|masa aktif|"
    r"masa tenggang|hangus|kartu perdana|kartu sim|prabayar|voucher|tambah nilai|topup|kredit|"
    r"talian|tamat tempoh|tempoh sah|sah laku|pelan|langganan|paket (?:data|internet|nelpon))\b",
    r"充值|充话费|话费|续费|续期|流量|套餐|有效期|到期|过期|储值|增值|延期|预付|电话卡|手机卡|sim卡|"
    r"余额|保号|代充|慢充|停机|(?:你|您)的(?:手机)?号码",
    r"\b(?:your (?:phone )?(?:number|line|account)|nomor (?:anda|kamu|hp)|nombor (?:anda|telefon))\b",
)
_BRAND = _rx(
    r"\b(?:telkomsel|tsel|simpati|indosat|im3|smartfren|xl|axis|by\.?u|maxis|hotlink|celcom\w*|"
    r"digi|u ?mobile|unifi|yes ?[45]g|china mobile|cmhk|csl|smartone|airalo|operator|provider|"
    r"carrier|telco|operator seluler)\b",
    r"中国移动|中移动|移动公司|联通|电信|运营商|营运商|电讯",
)
_CS = _rx(
    r"\b(?:customer (?:service|care)|cs|agent|agen|ejen|admin|official|resmi|rasmi|support)\b",
    r"客服|官方|代理|人工|专员",
)
_CHEAP = _rx(
    r"代充|慢充|折扣(?:话费|充值|流量)|(?:话费|充值|流量)\s?\d?(?:\.\d)?折|[1-9一二三四五六七八九](?:\.\d)?折(?:话费|充值|充)?"
    r"|低价(?:话费|充值|流量)|(?:话费|充值)低价|充\s?\d{1,7}\s?到账\s?\d{1,7}|\d{1,7}\s?小时(?:内)?到账|内部渠道|特价话费",
    r"\b(?:pulsa|kuota|isi ulang|top ?up|topup|reload|tambah nilai|kredit) (?:\w+ )?murah\b",
    r"\b(?:diskon|diskaun|potongan) (?:pulsa|kuota|top ?up|topup|reload|tambah nilai|kredit)\b",
    r"\b(?:pulsa|kuota|top ?up|topup|reload|tambah nilai) (?:diskon|diskaun) ?\d*",
    r"\bcheap (?:top[ -]?ups?|reloads?|recharges?|credit|airtime|data|renewals?)\b",
    r"\bdiscount(?:ed)? (?:top[ -]?ups?|reloads?|recharges?|airtime|credit|renewals?)\b",
    r"\b(?:top[ -]?ups?|reloads?|recharges?|renew\w*)\b[^.!?\n]{0,40}?\b\d{1,2} ?% ?(?:off|discount|lebih murah|murah)",
    r"\b(?:at )?half price\b",
    r"\bslow[ -](?:top[ -]?ups?|recharges?|reloads?)\b",
    r"\bpay (?:only )?\d{1,7},? (?:and )?(?:get|receive) \d{1,7}\b",
    r"\bbelow face value\b",
    r"\b\d{1,2} ?% (?:off|discount|lebih murah) (?:on )?(?:all |any )?(?:top[ -]?ups?|reloads?|pulsa|credit)",
    r"\b(?:\d{1,2} ?% )?lebih murah\b",
    r"\bmurah gila\b",
    r"\bpulsa transfer murah\b",
)
_MSG_APP = (r"(?:telegram|tele|tg|whatsapp|whats app|watsap|wasap|wassap|wa|w\.a|ws|wechat|微信|威信|"
            r"薇信|vx|v信|wx|signal|飞机|纸飞机|小飞机|电报|扣扣|qq)")
_MESSENGER = _rx(
    _MSG_APP + r"[^@\n]{0,20}?@ ?[a-z0-9_]{3,32}",
    _MSG_APP + r"(?: ?(?:id|号|号码|number|no\.?|nombor|nomor))?\s?[:=：]?\s?\(?\+?\d[\d ()-]{6,16}\d",
    r"(?:微信|威信|薇信|vx|v信|wx|wechat|qq|扣扣|line id|飞机|纸飞机|电报|\btg)\s?(?:号)?\s?[:：]\s?[a-z][a-z0-9_-]{4,30}",
    r"加\s?(?:v|微|vx|微信|tg|飞机|我微信)\s?[:：]?\s?[a-z0-9_-]{4,30}",
    r"@[a-z0-9_]{0,30}(?:_cs|cs_|official|support|admin|agent|agen|topup|top_up|reload|pulsa|"
    r"recharge|kefu)[a-z0-9_]*",
    r"\bt\s?\.\s?me\s?/\s?[a-z0-9_+]{3,}",
    r"\bwa\s?\.\s?me\s?/\s?\+?\d{6,}",
)
_CODE = (r"(?:\botp\b|one[ -]?time[ -]?(?:password|pin|passcode|code)|\bpin\b|\btac\b|"
         r"verification code|security code|confirmation code|activation code|"
         r"\d[ -]?digit (?:code|number|pin)|magic link|"
         r"kode ?(?:otp|verifikasi|konfirmasi|rahasia|aktivasi|unik|keamanan)|kodenya|"
         r"kod ?(?:otp|tac|pengesahan|keselamatan|sah)|password|kata sandi|kata laluan|"
         r"验证码|校验码|动态码|短信码|确认码|认证码|密码|"
         r"\bcode (?:you|we|that|which)\b|\bkode yang (?:masuk|dikirim|diterima)|收到的码)")
_GIVE = (r"(?:\b(?:send|give|share|tell|forward|reply|provide|read|screenshot|ask(?:s|ed|ing)? for|"
         r"kirim\w*|berikan|beri(?:tahu|kan)?|kasih\w*|bagi\w*|sebut\w*|balas\w*|infokan|minta|meminta|"
         r"hantar\w*|kongsi\w*|maklum\w*)\b|发给|发我|发过来|发到这|告诉|提供|报给|回复|转发|截图|念给|读给|索取|要求|说出)")
_ENTER = r"(?:\b(?:enter|type|key in|fill in|masukkan|isikan|input)\b|输入|填写)"
_TO_ME = (r"(?:发给我|给我|发我|告诉我|报给我|\bto me\b|\bke (?:saya|sini|kami|aku)\b|"
          r"\bkepada (?:saya|kami)\b|\bkat saya\b|\bkpd saya\b|\bpada saya\b)")
_GAP = r"[^.!?。！？\n]{0,40}?"
_ASK = _rx(
    _GIVE + _GAP + _CODE,                                   # "send me the OTP", "请提供验证码"
    _CODE + r"[^.!?。！？\n]{0,25}?" + _TO_ME,               # "验证码发给我", "kodenya ke saya"
    _CODE + r"[^.!?。！？\n]{0,80}?" + _GIVE + r"[^.!?。！？\n]{0,15}?" + _TO_ME,  # "... send it to me"
)
_ENTER_CODE = re.compile(_ENTER + _GAP + _CODE)
_ANYONE_AFTER = re.compile(
    r"^[^.!?。！？\n]{0,40}?(?:\b(?:with|to|kepada|dengan|pada|kpd|kat|ke)\s+(?:anyone|anybody|no ?one|"
    r"siapa\s?(?:pun|saja)|sesiapa|orang lain)\b|任何人|他人|别人)")
_VOUCHER = re.compile(r"voucher|baucar|充值卡|储值卡")
_THREAT = _rx(
    r"\b(?:will|would|shall|is going to|are going to) (?:be )?(?:permanently |temporarily )?"
    r"(?:blocked|suspended|terminated|deactivated|disconnected|barred|cut off|closed|deleted|recycled|frozen)\b",
    r"\b(?:blocked|suspended|terminated|deactivated|disconnected) (?:within|in) \d{1,7} ?(?:hours?|hrs?|minutes?|mins?)\b",
    r"\bavoid (?:suspension|deactivation|termination|being (?:blocked|suspended))\b",
    r"\b(?:final|last) (?:notice|warning|reminder)\b",
    r"\bregistration (?:has )?(?:failed|is incomplete|was incomplete|not completed)\b",
    r"\bakan (?:segera )?(?:di)?(?:blokir|nonaktif\w*|matikan|putus\w*|tutup|hapus|hangus\w*|cabut|sekat|"
    r"gantung|tamatkan|batalkan|nyahaktif\w*)\b",
    r"\b(?:diblokir|dinonaktifkan|dimatikan|disekat|digantung|ditamatkan) dalam (?:masa )?\d{1,7}",
    r"\btalian anda (?:akan )?(?:disekat|digantung|ditamatkan)\b",
    r"\belak (?:talian )?(?:disekat|digantung|ditamatkan)\b",
    r"\bregistrasi (?:anda )?(?:gagal|tidak valid|belum)\b|\bdata registrasi tidak valid\b",
    r"(?:将|将会|即将|会被|将被|马上|会)(?:于[^，。,.]{0,10})?(?:被)?(?:停机|停用|封号|封停|注销|冻结|销号|暂停|关停|回收)",
    r"否则[^，。,.]{0,12}(?:停机|注销|冻结|封|暂停|回收)",
    r"实名(?:认证|登记|制)?[^，。,.]{0,6}(?:失败|未完成|不通过|异常)|未(?:完成|进行)实名",
    r"号码(?:异常|违规)|涉嫌违规",
)
_PRIZE = _rx(
    r"\b(?:you(?:'ve| have)? won|(?:is|are) (?:the )?winners?|lucky draw|prizes?|hadiah|pemenang|"
    r"memenangkan|memenangi|undian|cabutan bertuah|tahniah|congratulations?)\b",
    r"中奖|获奖|奖品|奖金|大奖|幸运用户|恭喜",
)
_FEE = _rx(
    r"\b(?:fee|tax|processing|shipping|pajak|biaya|ongkos|ongkir|cukai|yuran|caj|bayaran|bayar)\b",
    r"手续费|税|保证金|邮费|运费|激活费|转账|汇款|支付",
)
_POINTS = _rx(
    r"积分[^，。,.]{0,6}(?:清零|兑换|过期|到期|失效)",
    r"\b(?:poin|points?|mata ganjaran)\b[^.!?\n]{0,25}?\b(?:hangus|kedaluwarsa|expir\w*|luput|tamat|habis)\b",
    r"\b(?:redeem (?:your |them |it )?(?:points?|now)|tukar\w* (?:poin|sekarang)|tebus)\b",
)
_CONTACT_ME = _rx(
    r"\b(?:dm|pm|inbox|message|msg|text|whatsapp|wa)\s(?:me|us)\b|\bprivate message\b",
    r"\bjapri\b|\b(?:pm|dm|chat|wa|inbox|pc) (?:saya|aku|kami|sy|ak|admin)\b|\bhubungi (?:saya|kami|admin|aku)\b",
    r"\bcontact (?:me|us|our agent|admin)\b",
    r"私聊|私信|私我|私讯|加我|联系我|找我|滴滴我",
)
_PHONE = re.compile(r"(?<![\w*#+])\+?\(?\d[\d ()-]{6,17}\d(?![\w#*])")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b")
_URGENT = _rx(
    r"\b(?:urgent\w*|immediately|right now|act now|asap|today only|last chance|before it'?s too late|"
    r"segera|secepatnya|sekarang juga|hari ini juga|sebelum terlambat|dengan segera)\b",
    r"立即|马上|立刻|尽快|赶紧|速速|限时|最后机会|请即",
)
_APK_WORD = re.compile(r"\bapk\b")
_INSTALL = _rx(r"\b(?:download|install|unduh|pasang|muat turun|update|kemas kini)\b", r"下载|安装|更新")

# Negations and warnings that, before a finding in the same clause, mean "do not do this".
_NEG = _rx(
    r"\b(?:never|don'?t|do not|does not|doesn'?t|will not|won'?t|not to|avoid|beware|careful|"
    r"warning|ignore|refuse|report|scam\w*|fraud\w*|fake|phishing|hoax)\b",
    r"\b(?:jangan|jgn|tidak (?:pernah|akan)|tak (?:pernah|akan)|takkan|bukan|hindari|waspada|"
    r"hati-hati|awas|penipu\w*|tipu\w*|modus|palsu|hoaks|abaikan|laporkan|usah|elak\w*|berwaspada|amaran)\b",
    r"不要|别|勿|切勿|请勿|千万别|千万不要|从不|从未|绝不|决不|不会|不得|谨防|提防|小心|警惕|当心|诈骗|"
    r"骗局|骗子|假冒|冒充|钓鱼|防骗|反诈|忽略|举报",
)
# Phrases that look like negations but push the reader on ("don't miss", "jangan sampai").
_NOT_NEG = _rx(
    r"\b(?:don'?t|do not|jangan|jgn|usah)\s(?:worry|panic|wait|delay|miss|forget|let|hesitate|"
    r"khawatir|takut|ragu\w*|panik|cemas|risau|bimbang|tunggu|lupa|lewatkan|sampai|ketinggalan|tertinggal)\b",
    r"\bnever mind\b|\bno worries\b",
    r"(?:别|不要|千万别|千万不要)(?:担心|急|慌|怕|犹豫|错过|等)|不用担心|不必担心|无需担心",
)
# "Not a scam" and friends: a seller's reassurance, not a warning.
_REASSURE = _rx(
    r"\b(?:bukan (?:penipu\w*|tipu\w*|hoaks|hoax)|anti (?:penipu\w*|tipu\w*)|not (?:a )?scam\w*|"
    r"no scam\w*|100% (?:amanah|trusted|legit|safe|aman)|amanah|trusted|legit)\b",
    r"不是骗子|非骗子|绝不骗人|不骗人|非诈骗",
)
_IF_BEFORE = re.compile(r"(?:\b(?:if|unless|jika|kalau|kalo|bila|apabila|sekiranya)\b[^.!?\n]{0,8}|如果|如|若|要是)$")
_CLAUSE_END = re.compile(r"[.!?](?=\s|$)|[。！？;；\n]")


# ----------------------------------------------------------------------------- the judgement

class _Text:
    """Normalised text with links blanked out, clause boundaries and negation positions."""

    def __init__(self, text: str) -> None:
        self.full = normalize(text)
        self.links = find_links(self.full)
        chars = list(self.full)
        for link in self.links:
            chars[link.start:link.end] = " " * (link.end - link.start)
        self.words = "".join(chars)
        self.clause_starts = [0] + [m.end() for m in _CLAUSE_END.finditer(self.words)]
        self.negations = self._negations()

    def _negations(self) -> list[int]:
        blank = self.words
        for rx in (_NOT_NEG, _REASSURE):
            blank = rx.sub(lambda m: " " * len(m.group(0)), blank)
        out = []
        for m in _NEG.finditer(blank):
            if _IF_BEFORE.search(blank[max(0, m.start() - 14):m.start()]):
                continue  # "if you don't renew ..." is a condition, not a warning
            out.append(m.start())
        return out

    def clause_start(self, pos: int) -> int:
        return self.clause_starts[bisect.bisect_right(self.clause_starts, pos) - 1]

    def negated(self, start: int, end: int) -> bool:
        """A negation or warning before (or inside) ``[start, end)`` in the same clause."""
        lo = max(self.clause_start(start), start - 60)
        i = bisect.bisect_left(self.negations, lo)
        return i < len(self.negations) and self.negations[i] < end

    def first(self, rx: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``rx`` that is not negated."""
        for m in rx.finditer(self.words):
            if not self.negated(m.start(), m.end()):
                return m
        return None


def _brands(official_domains: Iterable[str]) -> list[str]:
    """Names worth imitating: the distinctive labels of official domains plus carrier names."""
    names = {"telkomsel", "mytelkomsel", "indosat", "smartfren", "hotlink", "maxis", "celcom",
             "celcomdigi", "umobile", "unifi", "chinamobile", "xlaxiata", "myxl", "axisnet",
             "axis", "10086", "10010", "12580", "byu", "myim3"}
    for domain in official_domains:
        for label in domain.lower().split("."):
            if len(label) >= 5:
                names.add(label)
    return sorted({_skeleton(n) for n in names}, key=len, reverse=True)


_SKELETON = str.maketrans("0134578", "oleastb")


def _skeleton(s: str) -> str:
    """Fold look-alike characters: ``te1k0msel`` and ``telkomsel`` share a skeleton."""
    return s.lower().replace("rn", "m").replace("vv", "w").translate(_SKELETON)


def _lookalike(host: str, brands: list[str]) -> bool:
    skel = _skeleton(host)
    for brand in brands:
        for m in re.finditer(re.escape(brand), skel):
            if m.start() == 0 or skel[m.start() - 1] in ".-_":
                return True
            if len(brand) >= 7:  # long names are distinctive even inside a word (mytelkomsel-app)
                return True
    return False


def _link_reasons(link: Link, official: Collection[str], brands: list[str], topic: bool) -> set[str]:
    host = link.host
    if within(host, official) or is_messenger(host):
        return set()
    found: set[str] = set()
    if is_punycode_or_idn(host):
        found.add("punycode")
    if is_shortener(host):
        found.add("shortener")
    if link.text.rstrip("/").endswith(".apk") or ".apk?" in link.text or tld_of(host) == "apk":
        found.add("apk")
    if _lookalike(host.split(":")[0], brands):
        found.add("lookalike")
    if tld_of(host) in ODD_TLDS or re.fullmatch(r"[\d.]+", host):
        found.add("odd_tld")
    if topic:
        found.add("unofficial_link")
    return found


def _phone(t: _Text) -> bool:
    for m in _PHONE.finditer(t.words):
        digits = sum(c.isdigit() for c in m.group(0))
        if 8 <= digits <= 15 and not _DATE.search(m.group(0)) and not t.negated(m.start(), m.end()):
            return True
    return False


def judge(text: str, *, official_domains: frozenset[str] | set[str]) -> Verdict:
    """Judge one message. Pure and bounded: only the first ``MAX_CHARS`` characters count.

    ``official_domains`` are the carriers' and reporting bodies' own domains
    (``Catalog.official_domains()``); links within them never count against a message.
    """
    t = _Text(text)
    words = t.words
    topic = bool(_TOPIC.search(words) or _BRAND.search(words))
    context = topic or bool(_CS.search(words))
    found: set[str] = set()

    # Messenger contacts: links (t.me, wa.me ...) and handles or numbers given for a messenger.
    messenger_links = [link for link in t.links if is_messenger(link.host) and not within(link.host, official_domains)]
    if context and (any(not t.negated(link.start, link.end) for link in messenger_links) or t.first(_MESSENGER)):
        found.add("messenger_contact")
    if t.first(_CHEAP):
        found.add("cheap_topup")
    if _asks_code(t, official_domains):
        found.add("asks_code")
    if t.first(_THREAT):
        found.add("threat")
    if _PRIZE.search(words) and t.first(_FEE):
        found.add("prize_fee")
    if t.first(_POINTS):
        found.add("points_expiry")
    if topic and t.first(_CONTACT_ME):
        found.add("contact_me")
    if topic and "messenger_contact" not in found and _phone(t):
        found.add("phone_contact")
    if t.first(_URGENT):
        found.add("urgency")
    unofficial = [link for link in t.links if not within(link.host, official_domains)]
    if _APK_WORD.search(words) and t.first(_INSTALL) and (unofficial or "messenger_contact" in found):
        found.add("apk")  # "download the APK here: <link>"
    brands = _brands(official_domains)
    for link in t.links:
        found |= _link_reasons(link, official_domains, brands, topic or bool(_CS.search(words)))

    score = sum(WEIGHTS[r] for r in found)
    if "shortener" in found and topic:
        score += _SHORTENER_TOPIC_BONUS
    if not found & _CONCRETE and _is_cautionary(t):
        score /= 2  # a warning about scams with nothing to click or call
    score = round(score, 2)
    reasons = tuple(r for r in WEIGHTS if r in found)
    return Verdict(is_scam=score >= THRESHOLD, score=score, reasons=reasons)


def _asks_code(t: _Text, official_domains: Collection[str]) -> bool:
    for m in _ASK.finditer(t.words):
        if t.negated(m.start(), m.end()) or _VOUCHER.search(m.group(0)):
            continue
        if _ANYONE_AFTER.search(t.words[m.end():m.end() + 60]):
            continue  # "... share it with anyone" is the carrier's own warning
        return True
    if any(not within(link.host, official_domains) for link in t.links):  # "enter your OTP here: <link>"
        for m in _ENTER_CODE.finditer(t.words):
            if not t.negated(m.start(), m.end()) and not _VOUCHER.search(m.group(0)):
                return True
    return False


_CAUTION = _rx(
    r"\b(?:scam\w*|fraud\w*|phishing|hoax|fake|beware|careful|warning|alert|penipu\w*|tipu\w*|modus|"
    r"waspada|hati-hati|awas|palsu|hoaks|amaran|berwaspada)\b",
    r"诈骗|骗局|骗子|防骗|反诈|钓鱼|假冒|冒充|小心|谨防|提防|警惕|当心|提醒",
)


def _is_cautionary(t: _Text) -> bool:
    return bool(_CAUTION.search(_REASSURE.sub(" ", t.words)))
