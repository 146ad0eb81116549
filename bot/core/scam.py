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
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.core.links import ODD_TLDS, Link, find_links, is_messenger, is_punycode_or_idn, is_shortener, tld_of
from bot.core.scam_model import (
    LINK_MESSENGER,
    LINK_OTHER,
    LINK_SHORTENER,
    QUOTE_MARK,
    Model,
    load_model,
    prepare,
)
from bot.core.scam_own import is_own_text
from bot.core.scam_text import MAX_CHARS, normalize, unmask

__all__ = ["MAX_CHARS", "THRESHOLD", "WEIGHTS", "WELL_KNOWN_OFFICIAL", "Analysis", "Verdict", "analyse",
           "combine", "judge", "normalize"]

#: Score at or above which a message is judged a likely scam.
THRESHOLD = 1.0

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
    "unofficial_link": 0.5,    # a link outside the official domains next to renewal words
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
    "model": 0.0,              # the wording resembles scams in the corpus (weight: the model's share)
}
_SHORTENER_TOPIC_BONUS = 0.3
#: Findings that give the reader someone to contact: a warning that has one may be a scam's cover.
_CHANNELS = {"messenger_contact", "phone_contact", "search_id", "contact_me"}
_CONCRETE = {"messenger_contact", "unofficial_link", "shortener", "punycode", "lookalike", "apk",
             "phone_contact", "search_id"}

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


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgement: ``is_scam`` at ``score >= THRESHOLD``; ``reasons`` are stable codes."""

    is_scam: bool
    score: float
    reasons: tuple[str, ...]


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
    r"\b(?:harga|pulsa|kuota|paket|top ?up|reload) (?:\w+ )?miring\b|\bmiring (?:pulsa|kuota|harga)\b",
    r"\b(?:harga|price) (?:gila|runtuh|borong|grosir)\b",
    r"(?:充值|储值|话费|点数|流量|top ?up)[^。！!\n]{0,8}?(?:[1-9]\d|[一二三四五六七八九][一二三四五六七八九五])折|"
    r"低于面值|打折充|折扣充|特惠充值|(?:充值|话费|流量)(?:特惠|优惠价|打折)|九折|八折|七折|五折",
)
_PRICE = (r"(?:rp\.? ?|rm ?|hk\$ ?|\$ ?|[¥￥] ?|nt\$ ?|s\$ ?)?(\d{1,3}(?:[.,]\d{3})+|\d{1,7})"
          r"(?: ?(?:rb|ribu|k|ringgit|元|块|港币|港元|蚊|hkd|myr|idr))?")
# A discount written as two prices: "100rb jadi 85rb", "RM10 -> RM8", "原价100 现价80", "充100付80".
_TWO_PRICES = re.compile(
    _PRICE + r"\s?(?:->|→|=>|➡|⇒|/|jadi|cuma|hanya|only|just|now|for|bayar|harga|dapat|get|"
    r"付|只需|只要|仅需?|现价|特价|到账|到帐|得)\s?:?\s?" + _PRICE
)
_MSG_APP = (r"(?:telegram|tele|tg|赖|\bline(?= ?(?:id)? ?[:：])|tl\.?gram|pesawat kertas|aplikasi biru|apk biru|aplikasi hijau|whatsapp|whats app|watsap|wasap|wassap|wa|w\.a|ws|wechat|微信|威信|"
            r"薇信|vx|v信|wx|signal|飞机|纸飞机|小飞机|电报|扣扣|qq)")
_MESSENGER = _rx(
    _MSG_APP + r"[^@\n]{0,20}?@ ?[a-z0-9_]{3,32}",
    _MSG_APP + r"(?: ?(?:id|号|号码|number|no\.?|nombor|nomor))?\s?[:=：]?\s?\(?\+?\d[\dx* ()-]{5,16}[\dx*]",
    r"(?:微信|威信|薇信|vx|v信|wx|wechat|qq|扣扣|line id|飞机|纸飞机|电报|\btg)\s?(?:号)?\s?[:：]\s?[a-z][a-z0-9_-]{4,30}",
    r"(?:加|添加|加一下)\s?(?:官方)?(?:客服|专员|好友)?(?:v|微|vx|微信|tg|飞机|我微信|qq)\s?(?:号)?[:：]?\s?[a-z0-9_-]{4,30}",
    r"@[a-z0-9_]{0,30}(?:_cs|cs_|official|support|admin|agent|agen|topup|top_up|reload|pulsa|"
    r"recharge|kefu)[a-z0-9_]*",
    r"\bt\s?\.\s?me\s?/\s?[a-z0-9_+]{3,}",
    _MSG_APP + r"[^\n]{0,25}?\b(?:id|username|user|akaun|akun)\s?[:：]\s?@?[a-z0-9_.]{4,32}",
    r"\bwa\s?\.\s?me\s?/\s?\+?\d{6,}",
)
_CODE = (r"(?:\botp\b|one[ -]?time[ -]?(?:password|pin|passcode|code)|\bpin\b|\btac\b|"
         r"verification code|security code|confirmation code|activation code|"
         r"\d[ -]?digit (?:code|number|pin)|magic link|"
         r"kode ?(?:otp|verifikasi|konfirmasi|rahasia|aktivasi|unik|keamanan)|kodenya|"
         r"kod ?(?:otp|tac|pengesahan|keselamatan|sah)|password|kata sandi|kata laluan|"
         r"验证码|校验码|动态码|短信码|确认码|认证码|密码|"
         r"\bcode (?:you|we|that|which)\b|\bkode yang (?:masuk|dikirim|diterima)|收到的码|"
         r"(?:个|嘅|条|啲|组|位数?字?)\s?(?:code|码|验证码)|\bsms code\b|\btac (?:number|no|code)\b|"
         r"\bcodes? on the back\b|\bgift card codes?\b|认证码|辅助认证|辅助验证|\bnombor (?:tac|pin|otp)\b|\bkod (?:6|enam) digit\b|\bkod[e]? (?:\d|enam|empat) ?digit|"
         r"\b\d ?digit (?:kode|kod|angka|nombor)|\bkod[e]? (?:yang|itu|tu|verify|verifikasi|sms)\b|"
         r"\bsms (?:berisi angka|kode|kod|code|bank)|\bnombor dalam sms|\bangka (?:di|dalam) sms|"
         r"mesej (?:yang|yg) (?:awak|kak|anda|kamu|encik|puan) (?:terima|dapat))")
_GIVE = (r"(?:\b(?:send|give|share|tell|forward|reply|provide|read|screenshot|ask(?:s|ed|ing)? for|"
         r"kirim\w*|berikan|beri(?:tahu|kan)?|kasih\w*|bagi\w*|sebut\w*|balas\w*|infokan|minta|meminta|"
         r"hantar\w*|kongsi\w*|maklum\w*)\b|发给|发我|发过来|发到这|告诉|提供|报给|回复|转发|截图|念给|读给|索取|要求|说出|回复我|回传|打在|传给|\b(?:bgtau|bagitau|bgtahu|bagitahu|bagi tau|dikirim balik|kirim balik|kirimin|bacakan|dibacakan|informasikan|sebutkan|kasih tau|kasih tahu|teruskan|hantar balik|hantar semula|bagi semula|bagi balik|screenshot\w*)\b|报一下|报下|念一下|说一下|读一下|发一下|填写|俾我|畀我|话我知|send俾|send畀|send 俾|send 畀|"
         r"\b(?:tolong|boleh) (?:bagi|beri|hantar|send|forward|share)\w*\b)")
_ENTER = r"(?:\b(?:enter|type|key in|fill in|masukkan|isikan|input)\b|输入|填写)"
_TO_ME = (r"(?:发给我|给我|发我|告诉我|报给我|\bto me\b|\bke (?:saya|sini|kami|aku)\b|"
          r"\bkepada (?:saya|kami|aku)\b|\bkat (?:saya|aku|sy)\b|\bkpd (?:saya|aku|sy)\b|\bpada (?:saya|aku)\b|"
          r"\bke ?sini\b|\bkat (?:sini|sy)\b|\bbalik\b|\bsemula\b|俾我|畀我|话我知)")
_GAP = r"[^.!?。！？\n]{0,40}?"
_MINE = (r"(?:untuk saya|milik saya|(?:sy|saya|aku) punya|punya (?:saya|aku|sy)|is mine|meant for me|for me|"
         r"是我的|系我嘅|我嘅)")
_ASK = _rx(
    _CODE + r"[^\n]{0,60}?" + _MINE,                        # "the TAC you got is mine"
    _GIVE + _GAP + _CODE,                                   # "send me the OTP", "请提供验证码"
    _CODE + r"[^.!?。！？\n]{0,25}?" + _TO_ME,               # "验证码发给我", "kodenya ke saya"
    _CODE + r"[^.!?。！？\n]{0,80}?" + _GIVE + r"[^.!?。！？\n]{0,15}?" + _TO_ME,  # "... send it to me"
)
# The same, found fast: every code word once, then the words just before and after it.
_CODE_RX = re.compile(_CODE)
_GIVE_BEFORE = re.compile(_GIVE + _GAP + r"\Z")
_AFTER_CODE = (
    re.compile(r"[^\n]{0,60}?" + _MINE),
    re.compile(r"[^.!?。！？\n]{0,25}?" + _TO_ME),
    re.compile(r"[^.!?。！？\n]{0,80}?" + _GIVE + r"[^.!?。！？\n]{0,15}?" + _TO_ME),
)
_PERSONAL = (r"(?:身份证号?|身份证件|银行卡号?|卡号|取款密码|支付密码|网银|\bnik\b|\bno\.? ?ktp\b|nomor ktp|"
             r"\bic number\b|nombor (?:ic|kad pengenalan|mykad)|\bmykad\b|\bcard (?:number|details)\b|\bcvv\b|"
             r"nomor (?:rekening|kartu)|nombor akaun|\bbank (?:account|card) (?:number|details)\b|"
             r"nama (?:ibu kandung|ibu)|mother'?s maiden name)")
_ASK_PERSONAL = _rx(_GIVE + _GAP + _PERSONAL, _ENTER + _GAP + _PERSONAL, _PERSONAL + r"[^.!?。！？\n]{0,12}?(?:报一下|发一下|发来|给我|核对)")
_MISTAKE = re.compile(
    r"(?:\bcode\b|\bkod[e]?\b|\btac\b|\botp\b|验证码)[^\n]{0,60}?\b(?:by mistake|wrongly|accidentally|tersalah|tersilap)\b|"
    r"(?:\b(?:salah (?:kirim|ketik|taip|daftar|masuk\w*|hantar)|tersalah|tersilap|by mistake|wrong number|"
    r"sent (?:it )?to you|ke nomor (?:kakak|kamu|anda))\b|发错|打错|填错)[^\n]{0,160}?"
    r"(?:\bsms\b|\bkod[e]?\b|\bcode\b|\btac\b|\botp\b|\bmesej\b|\bmessage\b|验证码|短信)")
_ENTER_CODE = re.compile(_ENTER + _GAP + _CODE)
_ANYONE_AFTER = re.compile(
    r"^[^.!?。！？\n]{0,40}?(?:\b(?:with|to|kepada|dengan|pada|kpd|kat|ke)\s+(?:anyone|anybody|no ?one|"
    r"siapa\s?(?:pun|saja)|sesiapa|orang lain)\b|任何人|他人|别人)")
_VOUCHER = re.compile(r"voucher|voucer|baucar|充值卡|储值卡|top-?up card|kad tambah nilai|kartu isi ulang|prepaid card")
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
    r"(?:要|就|后|会)(?:被)?(?:停机|停号|销号|封号)|限制(?:通讯|通话|通信|使用)|(?:停止|暂停)(?:服务|通话)",
    r"实名(?:认证|登记|制)?[^，。,.]{0,6}(?:失败|未完成|不通过|异常)|未(?:完成|进行)实名",
    r"号码(?:异常|违规)|涉嫌违规",
)
_PRIZE = _rx(
    r"\b(?:you(?:'ve| have)? won|(?:is|are) (?:the )?(?:lucky )?winners?|lucky draw|prizes?|hadiah|pemenang|"
    r"memenangkan|memenangi|undian|cabutan bertuah|tahniah|congratulations?|selamat! anda|"
    r"(?:you|anda|nombor anda|nomor anda) (?:have been |has been |telah )?(?:selected|terpilih)|"
    r"reward|ganjaran|baucar percuma|free gift|gift card|voucher gratis|cash prize|giveaway)\b",
    r"中奖|获奖|得奖|奖品|奖金|大奖|幸运用户|幸运儿|恭喜|抽奖|抽中|赢得|赠品|礼品卡|领奖",
)
_CLAIM = _rx(
    r"\b(?:claim|redeem|collect|klaim|tebus|ambil|tuntut|daftar|register|menuntut)\b",
    r"领取|兑奖|领奖|兑换|登记|申领",
)
# "Search this ID" on a messenger: the channel named without a link or handle to click.
_SEARCH_ID = _rx(
    r"\b(?:search|find|add|look up|cari|carian|tambah|add kan|addkan)\b[^.!?\n]{0,20}?\b(?:id|username|user ?name|"
    r"akaun|account|nama pengguna)\b",
    r"(?:搜索|搜寻|搜一下|搜|查找|加)[^，。,.!！\n]{0,8}?(?:id|账号|帐号|号码|用户名|群号)",
)
# Police, court or regulator scripts: "your number is linked to a crime", "press 1 for an officer".
_AUTHORITY_WHO = _rx(
    r"\b(?:police|polis|polisi|kepolisian|polri|pdrm|bukit aman|court|mahkamah|pengadilan|magistrate|"
    r"customs|kastam|bea cukai|mcmc|skmm|komdigi|kominfo|ojk|bnm|bank negara|lhdn|imigresen|immigration|"
    r"ofca|ncc|miit|regulator|officer|pegawai|inspector|inspektor|prosecutor|jaksa|kejaksaan|"
    r"interpol|narcotics|narkotik|anti-money laundering|amla|department|jabatan|jpj|ipk|nsrc|kementerian|"
    r"kemkomdigi|kemenkominfo|ditjen|bareskrim|siber|cyber ?crime|fraud department|security team|tim keamanan)\b",
    r"公安|警察|警方|警署|派出所|法院|检察院|检察官|海关|工信部|通管局|通信管理局|电讯管理局|"
    r"通讯局|金管局|银监|入境处|卫生署|卫健委|国安|刑警|调查局|国务院|公安部|网警|反诈中心|民警|刑侦|经侦",
)
_AUTHORITY_WHAT = _rx(
    r"\b(?:involved|linked|implicated|associated|used) (?:in|to|with|for) (?:a |an )?(?:crime|fraud|scam|money|"
    r"illegal|criminal|drug|case)|money laundering|arrest warrant|warrant of arrest|"
    r"\b(?:terlibat|dikaitkan|digunakan) (?:dalam|dengan|untuk) (?:kes|kasus|jenayah|penipuan|pengubahan|"
    r"pencucian|aktiviti|aktivitas|transaksi)|pengubahan wang haram|pencucian uang|waran tangkap|"
    r"\b(?:safe|secure|safety) account\b|akaun selamat|rekening aman|"
    r"\b(?:press|tekan) [0-9] (?:to|for|untuk|bagi)\b|\bsaman\b|tunggakan|tertunggak|outstanding (?:fine|summons|toll)|"
    r"\b(?:akan )?dibekukan\b|tindakan undang-undang|legal action|\bdidakwa\b|akaun keldai|mule account|"
    r"jangan putuskan talian|do not hang up|don'?t hang up|jangan beritahu sesiapa|rahsia rasmi|\bdiaudit\b|"
    r"pindahkan (?:wang|simpanan|duit)|transfer (?:your|the) (?:money|funds|savings)|terindikasi|"
    r"lesen (?:memandu )?(?:anda )?(?:telah )?digantung|"
    r"(?:will|akan) (?:be )?(?:di)?(?:tangkap|arrested|charged|didakwa|dituduh)",
    r"涉嫌|涉及[^，。]{0,6}(?:案|洗钱|诈骗)|洗钱|通缉|拘留|逮捕|安全账户|资金清查|配合调查|按\s?[0-9#*]\s?(?:键|号)?|"
    r"传票|立案|协查|不要挂断|保密|冻结|资金审查|清查",
)
# An app dressed up as an invitation, a ticket or a parcel receipt, to install or open as a file.
_LURE = _rx(
    r"\b(?:undangan|surat tilang|tilang|resi|foto paket|lihat foto|jemputan|kad kahwin|kad jemputan|saman|"
    r"invitation|wedding|parcel|traffic (?:ticket|fine)|e-?invite|summons|delivery)\b",
    r"请柬|请帖|喜帖|罚单|快递单|电子请柬|包裹|快递",
)
_LURE_ACT = _rx(
    r"\b(?:install\w*|diinstal\w*|instal\w*|pasang|file\w*|fail|aplikasi|app)\b",
    r"安装|下载|文件",
)
# A relative or friend "with a new number" who needs money, credit or a code right now.
_NEW_NUMBER = _rx(
    r"\b(?:(?:this is|it'?s) (?:mum|mom|dad|your (?:son|daughter|boss|friend))|"
    r"(?:ini|ni) (?:mamah|mama|mak|ibu|ayah|papa|bapak|abah|abang|along|kakak|adik|anakmu|bos)|"
    r"new number|nomor baru|nombor baru|ganti nomor|tukar nombor|guna nombor kawan|pinjam (?:hp|hape|fon) teman|"
    r"(?:hp|handphone|fon|phone|telefon)\s?(?:ku|saya|mak|mamah|aku|is|sedang)?\s?(?:rusak|rosak|broken|hilang|lost))\b",
    r"我是你(?:领导|老板|老同学|同学|朋友|表哥|表姐)|是我呀|换号了|新号码|手机坏了|手机丢了|语音坏了",
)
_MONEY_ASK = _rx(
    r"\b(?:transfer|tf|isi pulsa|isikan pulsa|kirim pulsa|topup|top up|reload|pinjam|hutang|send (?:me )?money|"
    r"lend me|bank in|bankin|ganti uangnya|bayar balik|biaya)\b",
    r"转账|转过来|转到|借|打款|汇款|充话费|充值",
)
_CALL_BACK = _rx(
    r"\b(?:call (?:back|us|me|this number)|ring|hubungi|telefon|dail|contact)\b",
    r"回拨|回電|回电|致电|致电|来电|联络|联系|打(?:这个|呢个)?电话",
)
_ADD_ME = _rx(
    r"\b(?:add|message|chat with|text|pm) (?:me|us|our \w+|my \w+) (?:on|via|in|di|kat) (?:whatsapp|telegram|line|wechat|signal|wa|tg)\b",
    r"\b(?:whatsapp|telegram|line|wechat) (?:me|us|saya|kami)\b|\bjoin (?:our |the )?(?:telegram|whatsapp|wa|line) (?:group|grup|channel)\b",
    r"(?:加|添加)(?:个|一下)?(?:我的?)?(?:line|赖|whatsapp|微信|qq|telegram|tg|飞机)|飞机上私讯|私讯我",
)
_STORE = _rx(r"\b(?:play ?store|app ?store|google play|appgallery|galaxy store)\b", r"应用商店|应用市场|官方商店")
_OPEN = _rx(r"\b(?:open|buka|klik|click|tap|lihat|view|see|check|semak|cek)\b", r"打开|点开|查看|点击")
# Quoted passages: in a warning, what sits between quotes is the scam being described.
_QUOTED = re.compile(r'"[^"\n]{3,600}"|(?<![a-z])\'[^\'\n]{8,600}\'(?![a-z])|“[^”\n]{3,600}”|「[^」]{1,600}」|『[^』]{1,600}』|«[^»\n]{3,600}»|‘[^’\n]{3,600}’')
_FEE = _rx(
    r"\b(?:fee|tax|processing|shipping|pajak|biaya|ongkos|ongkir|cukai|yuran|caj|bayaran|bayar)\b",
    r"手续费|税|保证金|邮费|运费|激活费|转账|汇款|支付",
)
_POINTS = _rx(
    r"积分[^。.!！\n]{0,24}?(?:清零|清空|兑换|兑现|过期|到期|失效|当钱花)",
    r"\b(?:poin|points?|mata ganjaran)\b[^.!?\n]{0,25}?\b(?:hangus|kedaluwarsa|expir\w*|luput|tamat|habis)\b",
    r"\b(?:redeem (?:your |them |it )?(?:points?|now)|tukar\w* (?:poin|sekarang)|tebus)\b",
)
_CONTACT_ME = _rx(
    r"\b(?:dm|pm|inbox|message|msg|text|whatsapp|wa)\s(?:me|us)\b|\bprivate message\b",
    r"\bjapri\b|\b(?:pm|dm|chat|wa|inbox|pc) (?:saya|aku|kami|sy|ak|admin)\b|\bhubungi (?:saya|kami|admin|aku)\b",
    r"\bcontact (?:me|us|our agent|admin)\b",
    r"私聊|私信|私我|私讯|加我|联系我|找我|滴滴我|进群|拉群",
    r"\bminat\b[^.!?\n]{0,12}\b(?:dm|pm|wa|chat|hubungi|kabari|inbox|japri)\b|\blanjut chat\b|\bkabari (?:aku|saya)\b|"
    r"\b(?:transfer|bayar|tf) (?:dulu|dimuka|di muka|dahulu)\b|\bbukti (?:tf|transfer)\b|先付款|先转账|先打款",
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
    r"\b(?:ditanggung|tanpa (?:biaya|dipungut|caj)|tidak dipungut|jangan|jgn|tidak (?:pernah|akan)|tak (?:pernah|akan)|takkan|bukan|hindari|waspada|"
    r"hati-hati|awas|penipu\w*|tipu\w*|modus|palsu|hoaks|abaikan|laporkan|usah|elak\w*|berwaspada|amaran)\b",
    r"不要|别|勿|切勿|请勿|千万别|千万不要|从不|从未|绝不|决不|不会|不得|谨防|提防|小心|警惕|当心|诈骗|"
    r"骗局|骗子|假冒|冒充|钓鱼|防骗|反诈|忽略|举报",
)
# Disbelief at the end of a clause: "any bot that asks for codes is not to be trusted".
_DISTRUST = _rx(
    r"\b(?:is|are) (?:not to be trusted|fake|a scam|scams)\b|\bjangan (?:dipercaya|percaya)\b|"
    r"\btidak (?:boleh )?dipercaya\b|\bjangan layan\b|\btak boleh dipercayai\b",
    r"都?不可信|都?不能信|别信|不要信|都是假的|都是骗子|都是诈骗|信唔过|唔好信",
)
# Phrases that look like negations but push the reader on ("don't miss", "jangan sampai").
_NOT_NEG = _rx(
    r"\b(?:don'?t|do not|jangan|jgn|usah)\s(?:worry|panic|wait|delay|miss|forget|let|hesitate|"
    r"khawatir|takut|ragu\w*|panik|cemas|risau|bimbang|tunggu|lupa|lewatkan|sampai|ketinggalan|tertinggal)\b",
    r"\bnever mind\b|\bno worries\b",
    r"\b(?:avoid|elak\w*|hindari)\s(?:\w+\s)?(?:suspension|deactivation|termination|disconnection|interruption|"
    r"being|having|losing|penalt\w*|disekat|digantung|ditamatkan|diblokir|pemblokiran|penonaktifan|dinonaktifkan|"
    r"hangus|kehilangan|gangguan|denda)\b",
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


# ----------------------------------------------------------------------------- speed

# Substrings of which every match of a pattern contains at least one: when none is in the text, the
# (slow, many-branched) pattern is not run at all. Checked by tests/unit/test_scam_guard.py.
_CODE_HINTS = ("otp", "one-time", "one time", "onetime", "pin", "tac", "code", "digit", "magic", "kod", "sandi",
               "laluan", "码", "sms", "mesej", "认证", "验证", "message", "短信", "password")
_HINTS: dict[re.Pattern[str], tuple[str, ...]] = {
    _ASK: _CODE_HINTS, _CODE_RX: _CODE_HINTS, _ENTER_CODE: _CODE_HINTS, _MISTAKE: _CODE_HINTS,
    _ASK_PERSONAL: ("身份证", "银行卡", "卡号", "密码", "网银", "nik", "ktp", "ic number", "nombor", "mykad", "card",
                    "cvv", "rekening", "kartu", "akaun", "bank", "ibu", "maiden"),
    _CHEAP: ("代充", "慢充", "折", "低价", "到账", "内部渠道", "特价", "murah", "diskon", "diskaun", "potongan", "cheap",
             "discount", "%", "half price", "slow", "pay", "face value", "miring", "harga", "price", "面值", "特惠",
             "优惠价"),
    _AUTHORITY_WHAT: ("involved", "linked", "implicated", "associated", "used", "laundering", "warrant", "terlibat",
                      "dikaitkan", "digunakan", "pengubahan", "pencucian", "waran", "account", "akaun selamat",
                      "rekening aman", "press", "tekan", "saman", "tunggak", "outstanding", "dibekukan", "tindakan",
                      "legal action", "didakwa", "keldai", "putuskan", "hang up", "beritahu sesiapa", "rahsia",
                      "diaudit", "pindahkan", "transfer", "terindikasi", "lesen", "tangkap", "arrested", "charged",
                      "dituduh", "涉嫌", "涉及", "洗钱", "通缉", "拘留", "逮捕", "安全账户", "清查", "配合调查", "按",
                      "传票", "立案", "协查", "挂断", "保密", "冻结", "审查"),
    _URGENT: ("urgent", "immediately", "right now", "act now", "asap", "today only", "last chance", "too late",
              "segera", "secepatnya", "sekarang juga", "hari ini juga", "terlambat", "立即", "马上", "立刻", "尽快",
              "赶紧", "速速", "限时", "最后机会", "请即"),
    _CS: ("customer", "cs", "agent", "agen", "ejen", "admin", "official", "resmi", "rasmi", "support", "客服", "官方",
          "代理", "人工", "专员"),
    _ADD_ME: ("add", "message", "chat", "text", "pm", "whatsapp", "telegram", "line", "wechat", "join", "加", "私讯",
              "飞机"),
    _POINTS: ("积分", "poin", "point", "mata ganjaran", "redeem", "tukar", "tebus"),
}


def _may_match(rx: re.Pattern[str], text: str) -> bool:
    hints = _HINTS.get(rx)
    return hints is None or any(h in text for h in hints)


# ----------------------------------------------------------------------------- the judgement

_CAUTION = _rx(
    r"\b(?:scam\w*|fraud\w*|phishing|hoax|fake|beware|careful|warning|warns?|alert|malware|hijack\w*|"
    r"penipu\w*|tipu\w*|modus|waspada|hati-hati|awas|palsu|hoaks|amaran|berwaspada|peringatan|"
    r"diretas|digodam|menyamar|never asks?|tidak pernah (?:minta|meminta)|tak pernah (?:minta|meminta))\b",
    r"诈骗|骗局|骗子|防骗|反诈|钓鱼|假冒|冒充|小心|谨防|提防|警惕|当心|提醒|歹徒|骗案|唔系官方|不是官方|假的|恶意软件|木马",
)


# Words that call something a scam outright (not "alert" or "reminder", which scams use too).
_EXPOSE = _rx(
    r"\b(?:scam\w*|fraud\w*|phishing|hoax|fake|beware|malware|penipu\w*|tipu\w*|palsu|hoaks|modus|waspada|awas)\b",
    r"诈骗|骗局|骗子|防骗|反诈|钓鱼|假冒|冒充|假的|恶意软件|木马|呃人|骗案",
)


class _Domains:
    """The official domains in a form that answers fast: a set of suffixes and the brand names."""

    def __init__(self, official: frozenset[str]) -> None:
        self.official = frozenset(d.lower().strip(".") for d in official) | WELL_KNOWN_OFFICIAL
        self.brands = _brands(official)
        self.brand_names = frozenset(_brand_names(official))

    def is_official(self, host: str) -> bool:
        """``host`` is an official domain or under one (``my.telkomsel.com``, ``x.gov.my``)."""
        labels = host.lower().strip(".").split(".")
        return any(".".join(labels[i:]) in self.official for i in range(len(labels)))


_DOMAINS_CACHE: dict[frozenset[str], _Domains] = {}


def _domains(official: Collection[str]) -> _Domains:
    key = official if isinstance(official, frozenset) else frozenset(official)
    found = _DOMAINS_CACHE.get(key)
    if found is None:
        if len(_DOMAINS_CACHE) > 8:
            _DOMAINS_CACHE.clear()
        found = _DOMAINS_CACHE[key] = _Domains(key)
    return found


class _Text:
    """The unmasked text with each link replaced by one character for its kind, clause
    boundaries, negation positions, and the quoted passages of a warning."""

    def __init__(self, text: str, domains: _Domains) -> None:
        full = normalize(text)
        pieces: list[str] = []
        self.links: list[tuple[Link, int, int, bool]] = []  # link, start and end in words, official
        pos = size = 0
        for link in find_links(full):
            piece = unmask(full[pos:link.start])
            pieces.append(piece)
            size += len(piece)
            official = domains.is_official(link.host)
            mark = ("" if official else LINK_MESSENGER if is_messenger(link.host)
                    else LINK_SHORTENER if is_shortener(link.host) else LINK_OTHER)
            pieces.append(f" {mark} ")
            self.links.append((link, size, size + len(mark) + 2, official))
            size += len(mark) + 2
            pos = link.end
        pieces.append(unmask(full[pos:]))
        self.words = "".join(pieces)
        self.clause_starts = [0] + [m.end() for m in _CLAUSE_END.finditer(self.words)]
        self.negations = self._negations()
        self.cautionary = bool(_CAUTION.search(_QUOTED.sub(" ", _REASSURE.sub(" ", self.words))))
        self.quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(self.words)] if self.cautionary else []
        # What the model reads: in a warning, a quoted scam is one mark, so that quoting is not copying.
        outside = _QUOTED.sub(" ", self.words) if self.quoted else ""
        exposes = self.quoted and _EXPOSE.search(_REASSURE.sub(" ", outside))
        self.model_words = _QUOTED.sub(f" {QUOTE_MARK} ", self.words) if exposes else self.words

    def _negations(self) -> list[int]:
        blank = self.words
        for rx in (_NOT_NEG, _REASSURE):
            blank = rx.sub(lambda m: " " * len(m.group(0)), blank)
        out = []
        for m in _NEG.finditer(blank):
            if _IF_BEFORE.search(blank[max(0, m.start() - 14):m.start()]):
                continue  # "if you don't renew ..." is a condition, not a warning
            out.append(m.start())
        for m in _DISTRUST.finditer(blank):  # "... 的机器人都不可信": the whole clause is the warning
            out.append(self.clause_start(m.start()))
        return sorted(out)

    def clause_start(self, pos: int) -> int:
        return self.clause_starts[bisect.bisect_right(self.clause_starts, pos) - 1]

    def negated(self, start: int, end: int) -> bool:
        """A negation or warning before (or inside) ``[start, end)`` in the same clause, or the
        span is quoted inside a warning."""
        lo = max(self.clause_start(start), start - 60)
        i = bisect.bisect_left(self.negations, lo)
        if i < len(self.negations) and self.negations[i] < end:
            return True
        return any(qs <= start and end <= qe for qs, qe in self.quoted)

    def first(self, rx: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``rx`` that is not negated."""
        if not _may_match(rx, self.words):
            return None
        for m in rx.finditer(self.words):
            if not self.negated(m.start(), m.end()):
                return m
        return None


def _brands(official_domains: Iterable[str]) -> list[str]:
    """Skeletons of the names worth imitating, longest first."""
    return sorted({_skeleton(n) for n in _brand_names(official_domains)}, key=len, reverse=True)


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


def _skeleton(s: str) -> str:
    """Fold look-alike characters: ``te1k0msel`` and ``telkomsel`` share a skeleton."""
    return s.lower().replace("rn", "m").replace("vv", "w").translate(_SKELETON)


def _lookalike(host: str, brands: list[str], names: frozenset[str]) -> bool:
    """A host that imitates a brand: the brand with extra words (``telkomsel-promo.xyz``), in
    disguise (``te1komsel.com``), or as a subdomain of someone else's site
    (``telkomsel.com.renew.xyz``). A brand's own name under an ordinary ending
    (``telkomsel.co.id``, ``smartone.com.hk``) is the brand's, not an imitation."""
    host = host.lower().removeprefix("www.")
    labels = host.split(".")
    for i in range(1, len(labels)):
        if ".".join(labels[i:]) in _COMMON_SUFFIXES and i == 1 and labels[0] in names:
            return False  # exactly the brand: its own domain in another country
    skel = _skeleton(host)
    for brand in brands:
        for m in re.finditer(re.escape(brand), skel):
            whole = m.start() == 0 or skel[m.start() - 1] in ".-_"
            if not whole and len(brand) < 7:  # long names are distinctive even inside a word
                continue
            if host[m.start():m.end()] != brand.replace("m", "rn") and _skeleton(host[m.start():m.end()]) == brand \
                    and host[m.start():m.end()] not in names:
                return True  # spelled in disguise: te1komsel, rnaxis
            rest = skel[:m.start()] + " " + skel[m.end():]
            registrable = ".".join(labels[-3:] if ".".join(labels[-2:]) in _COMMON_SUFFIXES else labels[-2:])
            if brand not in _skeleton(registrable):
                return True  # the brand as someone else's subdomain: telkomsel.com.renew.xyz
            if _SCAMMY.search(rest) or tld_of(host) in ODD_TLDS:
                return True  # the brand plus a lure: telkomsel-promo, mytelkomsel-app, maxis.xyz
    return False


def _link_reasons(link: Link, domains: _Domains, topic: bool) -> set[str]:
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
    if _lookalike(host.split(":")[0], domains.brands, domains.brand_names):
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


def _amount(digits: str) -> int:
    return int(re.sub(r"[.,]", "", digits))


def _two_prices(t: _Text) -> bool:
    """Two prices side by side, the second 3-70% off the first, or 'pay A, get B' with B above A."""
    for m in _TWO_PRICES.finditer(t.words):
        a, b = _amount(m.group(1)), _amount(m.group(2))
        if a and b and (0.3 <= min(a, b) / max(a, b) <= 0.97) and not t.negated(m.start(), m.end()):
            return True
    return False


def _asks_code(t: _Text, unofficial_links: bool) -> bool:
    """What :data:`_ASK` finds, found from each code word outwards (much faster on long text)."""
    words = t.words
    if not _may_match(_CODE_RX, words):
        return False
    for code in _CODE_RX.finditer(words):
        spans = []
        lo = max(0, code.start() - 60)
        give = _GIVE_BEFORE.search(words, lo, code.start())
        if give:
            spans.append((give.start(), code.end()))
        for rx in _AFTER_CODE:
            after = rx.match(words, code.end(), code.end() + 160)
            if after:
                spans.append((code.start(), after.end()))
        for start, end in spans:
            if t.negated(start, end) or _VOUCHER.search(words, start, end):
                continue
            if _ANYONE_AFTER.search(words[end:end + 60]):
                continue  # "... share it with anyone" is the carrier's own warning
            return True
    m = _MISTAKE.search(t.words)  # "I sent a code to your number by mistake"
    if m and not t.negated(m.start(), m.end()):
        return True
    if unofficial_links:  # "enter your OTP here: <link>"
        for m in _ENTER_CODE.finditer(t.words):
            if not t.negated(m.start(), m.end()) and not _VOUCHER.search(m.group(0)):
                return True
    return False


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the rules found and the text the model reads; :func:`combine` makes the verdict."""

    found: frozenset[str]
    rule_score: float
    model_text: str


def analyse(text: str, official_domains: Collection[str]) -> Analysis:
    """The rules' findings for one message (only the first ``MAX_CHARS`` characters count)."""
    domains = _domains(official_domains)
    t = _Text(text, domains)
    words = t.words
    topic = bool(_TOPIC.search(words) or _BRAND.search(words))
    context = topic or (_may_match(_CS, words) and bool(_CS.search(words)))
    found: set[str] = set()
    live = [(link, s, e) for link, s, e, official in t.links if not official and not t.negated(s, e)]

    # Messenger contacts: links (t.me, wa.me ...) and handles or numbers given for a messenger.
    if context and (any(is_messenger(link.host) for link, _, _ in live) or t.first(_MESSENGER)):
        found.add("messenger_contact")
    if t.first(_SEARCH_ID) and ("messenger_contact" in found or re.search(_MSG_APP, words)):
        found.add("messenger_contact" if context else "search_id")
    if t.first(_CHEAP) or (topic and _two_prices(t)):
        found.add("cheap_topup")
    if _asks_code(t, bool(live)):
        found.add("asks_code")
    m = t.first(_ASK_PERSONAL)
    if m and not _VOUCHER.search(words[t.clause_start(m.start()):m.end() + 40]):
        found.add("asks_personal")  # not "enter the 10-digit number of the voucher card"
    if t.first(_THREAT):
        found.add("threat")
    if _PRIZE.search(words):
        if t.first(_FEE):
            found.add("prize_fee")
        if t.first(_CLAIM) or live:
            found.add("prize")
    if t.first(_POINTS):
        found.add("points_expiry")
    if topic and t.first(_CONTACT_ME):
        found.add("contact_me")
    if (topic or "prize" in found or t.first(_CALL_BACK)) and "messenger_contact" not in found and _phone(t):
        found.add("phone_contact")
    if "messenger_contact" not in found and (
        any(is_messenger(link.host) for link, _, _ in live) or t.first(_MESSENGER) or t.first(_ADD_ME)
    ):
        found.add("private_channel")
    if t.first(_URGENT):
        found.add("urgency")
    if t.first(_AUTHORITY_WHO) and t.first(_AUTHORITY_WHAT):
        found.add("authority")
    if t.first(_APK_WORD) and not _STORE.search(words) and (
        (t.first(_INSTALL) and (live or "messenger_contact" in found)) or t.first(_OPEN)
    ):
        found.add("apk")  # "download the APK here: <link>", "open the wedding invitation APK"
    if t.first(_LURE) and t.first(_LURE_ACT) and not _STORE.search(words):
        found.add("apk")  # "our wedding invitation is an app, please install it"
    if t.first(_NEW_NUMBER) and t.first(_MONEY_ASK):
        found.add("impersonation")
    for link, _, _ in live:
        found |= _link_reasons(link, domains, context)

    score = sum(WEIGHTS[r] for r in found)
    if "shortener" in found and topic:
        score += _SHORTENER_TOPIC_BONUS
    if t.cautionary and not found & _CHANNELS:
        score /= 2  # a warning about scams (even one that quotes a link or a file) with nobody to contact
    return Analysis(frozenset(found), round(score, 3), prepare(t.model_words))


def combine(analysis: Analysis, model: Model | None) -> Verdict:
    """The rules' score plus the model's share; ``model`` becomes a reason when its share counts."""
    score = analysis.rule_score
    found = set(analysis.found)
    margin = None if model is None else model.margin(analysis.model_text, found)
    if model is not None and margin is not None:  # the model abstains on very short texts: rules alone
        alone = model.rules_alone_at is not None and score >= model.rules_alone_at
        bare = not found
        score = model.rule_share * score + model.contribution(margin)
        if alone:
            score = max(score, THRESHOLD)
        elif bare and margin < model.bare_margin:
            score = min(score, THRESHOLD - 0.01)  # nothing a rule can name: the model must be sure
        if margin >= model.reason_at:
            found.add("model")
    score = round(max(score, 0.0), 2)
    return Verdict(is_scam=score >= THRESHOLD, score=score, reasons=tuple(r for r in WEIGHTS if r in found))


_SHIPPED = object()
_OWN_CAP = 8000


def judge(text: str, *, official_domains: Collection[str], model: Model | None | object = _SHIPPED) -> Verdict:
    """Judge one message. Pure and bounded: only the first ``MAX_CHARS`` characters count.

    ``official_domains`` are the carriers' and reporting bodies' own domains
    (``Catalog.official_domains()``, best passed as one frozenset kept for the process); links
    within them or :data:`WELL_KNOWN_OFFICIAL` never count against a message. ``model`` defaults
    to the shipped one (``bot/data/scam_model.json``); None judges by the rules alone.
    """
    chosen = load_model() if model is _SHIPPED else model
    if chosen is not None and is_own_text(text[:_OWN_CAP]):
        chosen = None  # the bot's own words (or a quotation of them): the rules alone
    return combine(analyse(text, official_domains), chosen)  # type: ignore[arg-type]
