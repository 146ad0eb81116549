"""Patterns for the offers that come out of nowhere (issue 10, fourth session): easy money (job and
task bait, quick loans, sure profits, buying SIM cards or bank accounts), a parcel held for a fee,
"pay first", someone to answer ("reply YES", "write me"), and what a message asks the reader to do.

They were written for the families the n-gram model missed on unseen English (a held-out set read
once: job and task bait, parcels, bargains, prizes); :mod:`bot.core.scam_rules` turns them into
findings. Like :mod:`bot.core.scam_vocab` they run on unmasked text, and their hints (substrings every
match contains) join :data:`bot.core.scam_vocab.HINTS`, so that :func:`~bot.core.scam_vocab.may_match`
skips them on text that cannot match.
"""
from __future__ import annotations

import re

from bot.core.scam_vocab import HINTS, rx

# Easy money: job and task bait ("like videos, earn $5 per task"), quick loans, "investments" that
# cannot lose, and buying or renting people's SIM cards and bank accounts.
_AMOUNT = (r"(?:(?:\$|rm|rp\.?|php|₱|s\$|hk\$|usd|usdt|£|€|元)\s?~?\d[\d,.]*\s?(?:k|rb|ribu|juta|jt)?|"
           r"~?\d[\d,.]*\s?(?:k|rb|ribu|juta|jt)?\s?(?:\$|usd|usdt|dollars?|rm|ringgit|pesos?|php|rupiah|元|块|蚊))")
# One pattern per kind, each with its own hints, so that a common word ("pay", "like") runs one small
# pattern, not all of them.
_EASY_HINTS: tuple[tuple[str, ...], ...] = (
    ("day", "task", "like", "video", "daily", "hari", "jam", "tugas"),
    ("daily", "weekly", "harian", "mingguan"),
    ("video", "post", "product", "hotel", "channel", "page"),
    ("task", "tugas", "misi", "commission", "withdraw"),
    ("day", "daily", "commission", "experience", "home", "phone"),
    ("kerja",),
    ("loan",),
    ("pinjaman", "dana", "cepat", "modal", "untung", "profit"),
    ("guarantee", "double", "%", "signal", "usdt", "money"),
    ("bank account", "sim card", "rekening", "akaun bank"),
    ("兼职", "刷单", "做单", "日结", "日赚", "日入", "日薪", "躺赚", "轻松赚", "在家赚", "点赞", "高佣金", "出粮", "出糧", "快钱", "快錢", "稳赚", "保本", "翻倍", "高回报", "包赚", "带单", "收益截图", "内部名额", "抵押", "秒批", "银行卡", "银行户口", "电话卡", "手机卡", "实名", "sim"),
)
EASY_MONEY: tuple[re.Pattern[str], ...] = tuple(rx(part) for part in (
    r"\b(?:earn\w*|make|making|pays?|paid|income|salary|gaji|pendapatan|penghasilan|komisi|komisen|commission|"
    r"profit|untung|cuan|dapat\w*)\b[^.!?\n]{0,30}?" + _AMOUNT + r"[^.!?\n]{0,12}?(?:\b(?:a|an|per|every|each) "
    r"(?:day|task|like|video)\b|\bdaily\b|\bsehari\b|\bper (?:hari|jam|tugas)\b|\bsetiap hari\b|/ ?(?:hari|day)\b)",
    r"\b(?:daily|weekly) (?:pay|payout|salary|income|commission|profit)\b|\bgaji (?:harian|mingguan)\b|\bbayaran harian\b",
    r"\b(?:like|follow|subscribe|rate|review)\w* (?:\w+ ){0,2}(?:videos?|posts?|products?|hotels?|channels?|pages?)\b"
    r"[^.!?\n]{0,40}?\b(?:earn\w*|paid|pay|commission|income|komisi|komisen|dibayar|dapat)",
    r"\b(?:task|tugas|misi) (?:group|grup|kumpulan)\b|\bvip (?:tasks?|tugas|misi)\b|"
    r"\b(?:tasks?|tugas|misi)\b[^.!?\n]{0,60}?\b(?:commission|komisi|komisen)\b|\bplus commission\b|"
    r"\bwithdraw (?:your )?(?:\$|rm|rp)?\s?\d[\d,.]* ?(?:commission|profit|earnings)",
    r"\b(?:part[ -]?time|remote|home[- ]based|work from home|wfh|side)\s(?:job|jobs|work|gig|hustle|project|income)\b"
    r"[^\n]{0,80}?\b(?:a day|per day|daily|commission|no experience|from (?:your )?(?:home|phone))\b",
    r"\bkerja (?:paruh waktu|sampingan|sambilan|online|remote|dari rumah|part ?time)\b[^\n]{0,80}?"
    r"\b(?:komisi|komisen|sehari|per hari|harian|tanpa pengalaman|dari rumah)\b",
    r"\b(?:pre-?approved|instant|quick|fast|easy|cash)\s(?:\w+\s)?loans?\b[^.!?\n]{0,40}?"
    r"\b(?:no (?:requirements?|documents?|collateral|credit check)|without (?:collateral|documents?|guarantor)|today|now)\b|"
    r"\bloans?\b[^.!?\n]{0,30}?\bno (?:requirements?|documents?|collateral|credit check)\b",
    r"\bpinjaman (?:\w+ )?(?:cepat|kilat|segera|mudah|tanpa (?:jaminan|agunan|dokumen|cagaran|penjamin))\b|"
    r"\bdana (?:cepat|tunai) cair\b|\b(?:duit|uang|wang) cepat\b|\bmodal kecil\b|\buntung (?:besar|pasti|berlipat)\b|"
    r"\bdijamin untung\b|\bprofit (?:harian|pasti)\b",
    r"\bguaranteed (?:\w+ )?(?:returns?|profits?|income)\b|\bdouble your (?:money|investment|capital)\b|"
    r"\b\d{1,3} ?% (?:daily|weekly|per day|a day|every day)\b|\b(?:crypto|forex|trading) signals?\b|"
    r"\busdt\b[^.!?\n]{0,30}?\bbonus\b|\bbonus\b[^.!?\n]{0,30}?\busdt\b|\bfree money\b|\bneed money\b",
    r"\b(?:rent|sell|buy)\w* (?:out )?(?:your )?(?:bank accounts?|sim cards?)\b|\bregister (?:\w+ )?sim cards?\b[^.!?\n]{0,40}?"
    r"(?:cash|\$|paid|pay)|\b(?:jual|sewa|beli)\w* (?:rekening|akaun bank)\b",
    r"兼职|刷单|做单|日结|日赚|日入|日薪|躺赚|轻松赚|在家赚|点赞(?:赚|得|返|就)|高佣金|即日出粮|即日出糧|搵快钱|搵快錢|赚快钱|"
    r"稳赚|保本|翻倍|高回报|包赚|带单|收益截图|内部名额|无抵押|免抵押|秒批|"
    r"(?:收购|收購|高价收|租用|出租|回收)[^。，,\n]{0,8}?(?:银行卡|银行户口|电话卡|手机卡|实名|sim)|"
    r"(?:登记|办理|注册)[^。，,\n]{0,6}?(?:电话卡|手机卡|sim ?card)[^。\n]{0,20}?(?:每人|即日|现金|cash|\$)",
))
# A parcel held, undeliverable or stuck at customs, with a fee to pay or a link to follow.
PARCEL = rx(
    r"\b(?:parcels?|packages?|shipments?|deliver(?:y|ies)|couriers?|paket|bungkusan|kiriman|pos ?laju|pos malaysia|"
    r"pos indonesia|singpost|dhl|fedex|j&t|jnt|ninja ?van|lalamove|usps|lbc)\b",
    r"包裹|快递|快件|派送|邮包|运单",
)
PARCEL_PROBLEM = rx(
    r"\b(?:held|on hold|pending|unable to (?:be )?deliver\w*|(?:could|can)(?: ?not|n'?t) (?:be )?deliver\w*|"
    r"failed (?:delivery|to deliver|attempt)|delivery (?:failed|attempt|failure|problem|issue)|undeliver\w*|"
    r"returned to (?:the )?sender|customs|redeliver\w*|re-deliver\w*|re-?schedul\w*|"
    r"(?:incomplete|incorrect|invalid|wrong) (?:address|details)|update (?:your )?(?:address|delivery|shipping)|unpaid|"
    r"insufficient postage|tertahan|ditahan|gagal (?:dikirim|dihantar|diantar|penghantaran|pengiriman)|bea cukai|kastam|"
    r"alamat (?:tidak lengkap|tak lengkap|salah))\b",
    r"滞留|扣留|无法(?:派送|投递|配送)|(?:派送|投递|配送)失败|地址(?:不详|不全|有误|错误|不完整)|海关|关税|补缴|补交|丢失|理赔",
)
# "Pay (a deposit) first, I'll send it after": the buyer carries all the risk.
PAY_FIRST = rx(
    r"\bpay (?:me |us )?(?:the |a )?(?:deposit |fee )?first\b|\b(?:deposit|down ?payment|booking fee) first\b|"
    r"\b(?:transfer|bank in|payment) first\b|\bpay (?:the |a )?deposit (?:today|now)\b|"
    r"\b(?:bank in|transfer|tf|bayar|byr) (?:dulu|dahulu|dlu)\b|\bbayar (?:deposit|dp|pendahuluan)\b|\bdp dulu\b",
    r"先(?:付|汇|转|打|过|交|俾|畀)[^，。,\n]{0,4}?(?:订金|定金|款|钱|数|保证金|押金)|(?:订金|定金|保证金|押金)[^。\n]{0,6}?(?:先付|先转|先汇)|"
    r"先过数|先付款|先转账|先打款",
)
# Someone to answer, for an offer that came out of nowhere: "reply YES", "write me", "join my channel".
REPLY_TO = rx(
    r"\b(?:reply|text|sms|balas|taip) (?:with )?[\"'“]?(?:yes|ya|y|ok|join|\d)\b|\b(?:write|message|contact|dm|pm|inbox) me\b|"
    r"\b(?:join|search for|follow|subscribe to) (?:my|our) (?:channel|group|grup|saluran|kumpulan)\b|\bwill add you\b|"
    r"\b(?:hr|admin|mentor|manager|agent|ejen|agen) (?:will )?(?:add|contact|hubungi|whatsapp)\b",
    r"回复\s?(?:1|是|y)|私我|加我|联系我|找我|拉你进群|进群|入群|inbox我|pm我",
)
# Anything the message asks the reader to do (click, call, reply, pay, send, install, join, "tolong"...):
# a notice that asks nothing, with no link and no number, cannot cheat anyone by itself.
ASKS = rx(
    r"\b(?:click|tap|call|ring|dial|reply|text|sms|send|transfer|pay|deposit|contact|whatsapp|message|dm|pm|inbox|add|"
    r"join|download|install|open|visit|go to|log ?in|login|sign ?up|register|verify|update|confirm|claim|redeem|apply|"
    r"search|scan|enter|key in|provide|share|forward|buy|order|top ?up|reload|write|interested|try|check|follow|link|"
    r"here|press|submit|complete|settle|proceed|get|grab|hurry|accept|activate|reactivate|help|lend|borrow|"
    r"klik|tekan|hubungi|telepon|telefon|balas|kirim|hantar|tf|bayar|daftar|unduh|muat turun|pasang|buka|kunjungi|"
    r"layari|masuk|verifikasi|sahkan|kemas kini|perbarui|klaim|tuntut|tebus|cari|imbas|masukkan|isi|beli|pesan|chat|"
    r"japri|wa|minat|gabung|sertai|ikuti|tolong|bantu|pinjam|ambil|aktifkan|segera|cek|semak|lihat|ketik|dail)\b",
    r"点|撳|按|致电|回电|拨|打电话|回复|回覆|发|转账|汇款|付|支付|缴|联系|联络|加|私|进群|下载|安装|打开|登|注册|验证|核实|"
    r"更新|领|兑|搜|扫|输入|填|提供|转发|购买|买|充|咨询|详情|请|帮|借|打|找|入|申请|激活",
)
HINTS.update(zip(EASY_MONEY, _EASY_HINTS, strict=True))
HINTS.update({
    PARCEL: ("parcel", "package", "shipment", "deliver", "courier", "paket", "bungkusan", "kiriman", "pos", "dhl",
             "fedex", "j&t", "jnt", "ninja", "lalamove", "usps", "lbc", "包裹", "快递", "快件", "派送", "邮包", "运单"),
    REPLY_TO: ("reply", "text", "sms", "balas", "taip", "me", "my", "our", "will add", "hr", "admin", "mentor",
               "manager", "agent", "ejen", "agen", "回复", "我", "群"),
    PAY_FIRST: ("pay", "deposit", "down", "booking", "bank in", "transfer", "tf", "bayar", "byr", "dp", "先"),
})
