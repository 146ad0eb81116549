"""The scam guard's vocabulary: the patterns for what scams say, in five languages and mixed.

Each pattern is one kind of finding (a top-up topic, a messenger contact, a request for a code, a
threat, a prize...); :mod:`bot.core.scam_rules` decides what they add up to. The patterns come from
/work/shared/carrier-facts.md and the train split of the corpus. They run on unmasked text
(:func:`bot.core.scam_text.unmask`): lower case, simplified Chinese, disguises undone.

:data:`HINTS` names, for the slow many-branched patterns, substrings of which every match contains
one: :func:`may_match` skips a pattern when none occurs (checked by tests/unit/test_scam_guard.py).
"""
from __future__ import annotations

import re


def rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


TOPIC = rx(
    r"\b(?:renew\w*|top[ -]?ups?|topping up|topped up|reload\w*|recharg\w*|prepaid|pre-paid|"
    r"sim(?: ?cards?)?|e-?sims?|data (?:plan|pack\w*|pass\w*|bundle\w*)|validity|active period|"
    r"grace period|expir\w*|airtime|credit|e?-?load|pasaload|quota|pulsa|kuota|isi ulang|perpanjang\w*|masa aktif|"
    r"masa tenggang|hangus|kartu perdana|kartu sim|prabayar|voucher|tambah nilai|topup|kredit|"
    r"talian|tamat tempoh|tempoh sah|sah laku|pelan|langganan|paket (?:data|internet|nelpon))\b",
    r"充值|充话费|话费|续费|续期|流量|套餐|有效期|到期|过期|储值|增值|延期|预付|电话卡|手机卡|sim卡|"
    r"余额|保号|代充|慢充|停机|(?:你|您)的(?:手机)?号码",
    r"\b(?:your (?:phone )?(?:number|line|account)|nomor (?:anda|kamu|hp)|nombor (?:anda|telefon))\b",
)
BRAND = rx(
    r"\b(?:telkomsel|tsel|simpati|indosat|im3|smartfren|xl|axis|by\.?u|maxis|hotlink|celcom\w*|"
    r"digi|u ?mobile|unifi|yes ?[45]g|china mobile|cmhk|csl|smartone|airalo|operator|provider|"
    r"carrier|telco|operator seluler)\b",
    r"中国移动|中移动|移动公司|联通|电信|运营商|营运商|电讯",
)
CS = rx(
    r"\b(?:customer (?:service|care)|cs|agent|agen|ejen|admin|official|resmi|rasmi|support)\b",
    r"客服|官方|代理|人工|专员",
)
CHEAP = rx(
    r"代充|代储|代增值|慢充|折扣(?:话费|充值|流量)|(?:话费|充值|流量)\s?\d?(?:\.\d)?折|[1-9一二三四五六七八九](?:\.\d)?折(?:话费|充值|充)?"
    r"|低价(?:话费|充值|流量)|(?:话费|充值)低价|充\s?\d{1,7}\s?到账\s?\d{1,7}|\d{1,7}\s?小时(?:内)?到账|内部渠道|特价话费",
    r"\b(?:pulsa|kuota|isi ulang|top ?up|topup|reload|tambah nilai|kredit) (?:\w+ )?murah\b",
    r"\b(?:diskon|diskaun|potongan) (?:pulsa|kuota|top ?up|topup|reload|tambah nilai|kredit)\b",
    r"\b(?:pulsa|kuota|top ?up|topup|reload|tambah nilai) (?:diskon|diskaun) ?\d*",
    r"\bcheap (?:top[ -]?ups?|reloads?|recharges?|credit|airtime|data|renewals?)\b",
    r"\bdiscount(?:ed)? (?:top[ -]?ups?|reloads?|recharges?|airtime|credit|renewals?)\b",
    r"\b(?:top[ -]?ups?|reloads?|recharges?|renew\w*)\b[^.!?\n]{0,40}?\b\d{1,2} ?% ?(?:off|discount|lebih murah|murah)",
    r"\bslow[ -](?:top[ -]?ups?|recharges?|reloads?)\b",
    r"\bpay (?:only )?\d{1,7},? (?:and )?(?:get|receive) \d{1,7}\b",
    r"\bbelow face value\b",
    r"\b\d{1,2} ?% (?:off|discount|lebih murah) (?:on )?(?:all |any )?(?:top[ -]?ups?|reloads?|pulsa|credit)",
    r"\bpulsa transfer murah\b",
    r"\b(?:pulsa|kuota|paket|top ?up|reload) (?:\w+ )?miring\b|\bmiring (?:pulsa|kuota)\b",
    r"(?:充值|储值|话费|点数|流量|top ?up)[^。！!\n]{0,8}?(?:[1-9]\d|[一二三四五六七八九][一二三四五六七八九五])折|"
    r"低于面值|打折充|折扣充|特惠充值|(?:充值|话费|流量)(?:特惠|优惠价|打折)",
)
#: Cheapness words that say nothing about top-ups by themselves ("harga miring" for vegetables):
#: cheap_topup only next to renewal words.
CHEAP_GENERIC = rx(
    r"\b(?:at )?half price\b",
    r"\b(?:\d{1,2} ?% )?lebih murah\b",
    r"\bmurah gila\b",
    r"\bharga (?:\w+ )?miring\b|\bmiring harga\b",
    r"\b(?:harga|price) (?:gila|runtuh|borong|grosir)\b",
    r"九折|八折|七折|五折",
)
PRICE = (r"(?:rp\.? ?|rm ?|hk\$ ?|\$ ?|[¥￥] ?|nt\$ ?|s\$ ?|php ?|₱ ?|p(?=\d))?(\d{1,3}(?:[.,]\d{3})+|\d{1,7})"
          r"(?: ?(?:rb|ribu|k|ringgit|元|块|港币|港元|蚊|hkd|myr|idr))?")
# A discount written as two prices: "100rb jadi 85rb", "RM10 -> RM8", "原价100 现价80", "充100付80".
TWO_PRICES = re.compile(
    # not a date: "09/12/2026", "expires 10/12"
    r"(?<!\d)(?<!\d[/.,])(?!\d{1,2}\s?[/.-]\s?\d{1,2}(?:\s?[/.-]\s?\d{2,4})?(?![\d.,]))"
    + PRICE + r"\s?(?:->|→|=>|➡|⇒|/|jadi|jd|cuma|hanya|only|just|now|for(?: only| just)?|bayar|harga|dapat|get|jual|sell(?:ing)? (?:at|for)|"
    r"付|现?只需|现?只要|现?仅需?|现价|特价|到账|到帐|得|充值?|只收|只卖|只售|收|卖)\s?:?\s?" + PRICE
    # ... but not a price per period or a data size: "Rp50rb/30hr", "RM10/7 days", "10元/5GB", "100元/200MB或".
    + r"(?!\d|[.,/]\d)(?!\s?(?:hr|hari|days?|d|gb|mb|bulan|bln|jam|minggu|mgg|mins?|menit|"
    r"months?|weeks?|hours?)(?![a-z])|\s?(?:天|日|个月|月|小时|分钟))"
)
MSG_APP = (r"(?:telegram|tele|tg|赖|\bline(?= ?(?:id)? ?[:：]| ?加| ?@[a-z0-9_]| ?(?:id|账号|帐号|号)\b)|tl\.?gram|pesawat kertas|aplikasi biru|apk biru|aplikasi hijau|whatsapp|whats app|watsap|wasap|wassap|wa|w\.a|ws|wechat|微信|威信|"
            r"薇信|vx|v信|wx|signal|飞机|纸飞机|小飞机|电报|扣扣|企鹅|qq)")
MESSENGER = rx(
    MSG_APP + r"[^@\n]{0,20}?@ ?[a-z0-9_]{3,32}",
    MSG_APP + r"(?: ?(?:id|号|号码|number|no\.?|nombor|nomor))?\s?[:=：]?\s?\(?\+?\d[\dx* ()-]{5,16}[\dx*]",
    r"(?:微信|威信|薇信|vx|v信|wx|wechat|qq|扣扣|line id|\bline|飞机|纸飞机|电报|\btg)\s?(?:号)?\s?[:：]\s?[a-z][a-z0-9_-]{4,30}",
    r"(?:加|添加|加一下)\s?(?:官方)?(?:客服|专员|好友)?(?:v|微|vx|微信|tg|飞机|我微信|qq)\s?(?:号)?[:：]?\s?[a-z0-9_-]{4,30}",
    r"@[a-z0-9_]{0,30}(?:_cs|cs_|official|support|admin|agent|agen|topup|top_up|reload|pulsa|"
    r"recharge|kefu)[a-z0-9_]*",
    r"\bt\s?\.\s?me\s?/\s?[a-z0-9_+]{3,}",
    MSG_APP + r"[^\n]{0,25}?\b(?:id|username|user|akaun|akun)\s?[:：]\s?@?[a-z0-9_.]{4,32}",
    r"\bwa\s?\.\s?me\s?/\s?\+?\d{6,}",
)
CODE = (r"(?:\botp\b|one[ -]?time[ -]?(?:password|pin|passcode|code)|\bpin\b|\btac\b|"
         r"verification code|security code|confirmation code|activation code|"
         r"\d[ -]?digit (?:code|number|pin)|magic link|"
         r"kode ?(?:otp|verifikasi|konfirmasi|rahasia|aktivasi|unik|keamanan)|kodenya|"
         r"kod ?(?:otp|tac|pengesahan|keselamatan|sah)|password|kata sandi|kata laluan|"
         r"验证码|校验码|动态码|短信码|确认码|认证码|密码|"
         r"\bcode (?:you|we|that|which)\b|\bkode yang (?:masuk|dikirim|diterima)|收到的码|"
         r"(?:个|嘅|条|啲|组|位数?字?)\s?(?:code|码|验证码)|\bsms code\b|\btac (?:number|no|code)\b|"
         r"\bcodes? on the back\b|卡背(?:的)?序号|卡密|\bgift card codes?\b|认证码|辅助认证|辅助验证|\bnombor (?:tac|pin|otp)\b|\bkod (?:6|enam) digit\b|\bkod[e]? (?:\d|enam|empat) ?digit|"
         r"\b\d ?digit (?:kode|kod|angka|nombor)|\bkod[e]? (?:yang|itu|tu|verify|verifikasi|sms)\b|"
         r"\bsms (?:berisi angka|kode|kod|code|bank)|\bnombor dalam sms|\bangka (?:di|dalam) sms|"
         r"mesej (?:yang|yg) (?:awak|kak|anda|kamu|encik|puan) (?:terima|dapat))")
GIVE = (r"(?:\b(?:send|give|share|tell|forward|reply|provide|read|screenshot|ask(?:s|ed|ing)? for|"
         r"kirim\w*|berikan|beri(?:tahu|kan)?|kasih\w*|bagi\w*|sebut\w*|balas\w*|infokan|minta|meminta|"
         r"hantar\w*|kongsi\w*|maklum\w*)\b(?!-)|发给|发我|发过来|发到这|告诉|提供|报给|回复|转发|截图|念给|读给|索取|要求|说出|回复我|回传|打在|传给|\b(?:bgtau|bagitau|bgtahu|bagitahu|bagi tau|dikirim balik|kirim balik|kirimin|bacakan|dibacakan|informasikan|sebutkan|kasih tau|kasih tahu|teruskan|hantar balik|hantar semula|bagi semula|bagi balik|screenshot\w*)\b|报一下|报下|念一下|说一下|读一下|发一下|填写|俾我|畀我|话我知|send俾|send畀|send 俾|send 畀|"
         r"\b(?:tolong|boleh) (?:bagi|beri|hantar|send|forward|share)\w*\b)")
ENTER = r"(?:\b(?:enter|type|key in|fill in|masukkan|isikan|mengisi|input)\b|输入|填写|提交)"
TO_ME = (r"(?:发给我|给我|发我|告诉我|报给我|\bto me\b|\bke (?:saya|sini|kami|aku)\b|"
          r"\bkepada (?:saya|kami|aku)\b|\bkat (?:saya|aku|sy)\b|\bkpd (?:saya|aku|sy)\b|\bpada (?:saya|aku)\b|"
          r"\bke ?sini\b|\bkat (?:sini|sy)\b|\bbalik\b|\bsemula\b|俾我|畀我|话我知)")
GAP = r"[^.!?。！？\n]{0,40}?"
MINE = (r"(?:untuk saya|milik saya|(?:sy|saya|aku) punya|punya (?:saya|aku|sy)|is mine|meant for me|for me|"
         r"是我的|系我嘅|我嘅)")
ASK = rx(
    CODE + r"[^\n]{0,60}?" + MINE,                        # "the TAC you got is mine"
    GIVE + GAP + CODE,                                   # "send me the OTP", "请提供验证码"
    CODE + r"[^.!?。！？\n]{0,25}?" + TO_ME,               # "验证码发给我", "kodenya ke saya"
    CODE + r"[^.!?。！？\n]{0,80}?" + GIVE + r"[^.!?。！？\n]{0,15}?" + TO_ME,  # "... send it to me"
)
# The same, found fast: every code word once, then the words just before and after it.
CODE_RX = re.compile(CODE)
GIVE_BEFORE = re.compile(GIVE + GAP + r"\Z")
AFTER_CODE = (
    re.compile(r"[^\n]{0,60}?" + MINE),
    re.compile(r"[^.!?。！？\n]{0,25}?" + TO_ME),
    re.compile(r"[^.!?。！？\n]{0,80}?" + GIVE + r"[^.!?。！？\n]{0,15}?" + TO_ME),
    re.compile(r"[^.!?。！？\n]{0,80}?[.!?。！？]?\s?\b(?:tolong|please|pls|sila|boleh)\s?(?:di)?(?:bacakan|sebutkan|read (?:it|them) out|"
               r"forward\w*|kirim\w* (?:balik|ke sini)|hantar\w* (?:balik|semula))\b"),
)
PERSONAL = (r"(?:身份证号?|身份证件|银行卡号?|卡号|取款密码|支付密码|网银|银行户口|网上银行|\bnik\b|\bno\.? ?ktp\b|nomor ktp|"
             r"\bic number\b|nombor (?:ic|kad pengenalan|mykad)|\bmykad\b|\bcard (?:number|details)\b|\bcvv\b|"
             r"nomor (?:rekening|kartu)|nombor akaun|\bbank (?:account|card) (?:number|details)\b|"
             r"nama (?:ibu kandung|ibu)|mother'?s maiden name)")
ASK_PERSONAL = rx(GIVE + GAP + PERSONAL, ENTER + GAP + PERSONAL, PERSONAL + r"[^.!?。！？\n]{0,12}?(?:报一下|发一下|发来|给我|核对)")
MISTAKE = re.compile(
    r"(?:\bcode\b|\bkod[e]?\b|\btac\b|\botp\b|验证码)[^\n]{0,60}?\b(?:by mistake|wrongly|accidentally|tersalah|tersilap)\b|"
    r"(?:\b(?:salah (?:kirim|ketik|taip|daftar|masuk\w*|hantar)|tersalah|tersilap|by mistake|wrong number|"
    r"(?:i|i've|i have|we|someone|saya|aku) (?:just )?(?:accidentally |mistakenly )?sent (?:\w+ ){0,2}to (?:you|your)|"
    r"ke nomor (?:kakak|kamu|anda))\b|发错|打错|填错)[^\n]{0,160}?"
    r"(?:\bsms\b|\bkod[e]?\b|\bcode\b|\btac\b|\botp\b|\bmesej\b|\bmessage\b|验证码|短信)")
ENTER_CODE = re.compile(ENTER + GAP + CODE)
ANYONE_AFTER = re.compile(
    r"^[^.!?。！？\n]{0,40}?(?:\b(?:with|to|kepada|dengan|pada|kpd|kat|ke)\s+(?:anyone|anybody|no ?one|"
    r"siapa\s?(?:pun|saja)|sesiapa|orang lain)\b|任何人|他人|别人)")
#: "... the card's PIN to 2888", "... kirim ke 888", "... to AXISnet": a carrier's own SMS keyword service
#: (a short code or the carrier itself), which no scammer can receive.
TO_SHORT_CODE = re.compile(
    r"^[^.!?。！？\n]{0,40}?\b(?:to|ke|kepada|kpd|kat)\s+\*?(?:\d{3,6}(?![\d -]?\d)|"
    r"(?:axisnet|telkomsel|indosat|smartfren|hotlink|maxis|celcom|celcomdigi|umobile|unifi|redone|"
    r"tunetalk|yoodo|onexox|globe|10086|10010|10000)\b)")
VOUCHER = re.compile(r"voucher|voucer|baucar|充值卡|储值卡|top-?up card|kad tambah nilai|kartu isi ulang|prepaid card")
THREAT = rx(
    r"\b(?:will|would|shall|is going to|are going to) (?:be )?(?:permanently |temporarily )?"
    r"(?:blocked|suspended|terminated|deactivated|disconnected|barred|cut off|closed|deleted|recycled|frozen)\b",
    r"\b(?:blocked|suspended|terminated|deactivated|disconnected) (?:within|in) \d{1,7} ?(?:hours?|hrs?|minutes?|mins?)\b",
    r"\bavoid (?:suspension|deactivation|termination|being (?:blocked|suspended))\b",
    r"\b(?:final|last) (?:notice|warning|reminder)\b",
    r"\bregistration (?:has )?(?:failed|is incomplete|was incomplete|not completed)\b",
    r"\bakan (?:segera |kami |kita )?(?:di)?(?:blokir|nonaktif\w*|matikan|putus\w*|tutup|hapus|hangus\w*|cabut|sekat|"
    r"gantung|tamatkan|batalkan|nyahaktif\w*)\b",
    r"\b(?:diblokir|dinonaktifkan|dimatikan|disekat|digantung|ditamatkan) dalam (?:masa )?\d{1,7}",
    r"\btalian anda (?:akan )?(?:disekat|digantung|ditamatkan)\b",
    r"\belak (?:talian )?(?:disekat|digantung|ditamatkan)\b",
    r"\bregistrasi (?:anda )?(?:gagal|tidak valid|belum)\b|\bdata registrasi tidak valid\b",
    r"(?:将|将会|即将|会被|将被|马上|会)(?:于[^，。,.]{0,10})?(?:被)?(?:停机|停用|封号|封停|注销|冻结|销号|暂停|关停|回收)",
    r"否则[^，。,.]{0,12}(?:停机|注销|冻结|封|暂停|回收|禁用|停用|删除|关闭)",
    r"(?:要|就|后|会)(?:被)?(?:停机|停号|销号|封号)|限制(?:通讯|通话|通信|使用)|(?:停止|暂停)(?:服务|通话)",
    r"实名(?:认证|登记|制)?[^，。,.]{0,6}(?:失败|未完成|不通过|异常)|未(?:完成|进行)实名",
    r"号码(?:异常|违规)|涉嫌违规",
)
PRIZE = rx(
    r"\b(?:you(?:'ve| have)? won|(?:is|are) (?:the )?(?:lucky )?winners?|lucky draw|prizes?|hadiah|pemenang|"
    r"memenangkan|memenangi|undian|cabutan bertuah|tahniah|congratulations?|selamat! anda|"
    r"(?:you|anda|nombor anda|nomor anda) (?:have been |has been |telah )?(?:selected|terpilih)|"
    r"reward|ganjaran|baucar percuma|free gift|gift card|voucher gratis|cash prize|giveaway)\b",
    r"\b(?:had|has|have) won\b|\bwon (?:a |an |the |\d|1st|2nd|3rd|first|second|third|grand)",
    r"中奖|获奖|得奖|奖品|奖金|大奖|幸运用户|幸运儿|恭喜|抽奖|抽中|赢得|赠品|礼品卡|领奖",
)
CLAIM = rx(
    r"\b(?:claim|redeem|collect|klaim|tebus|ambil|tuntut|daftar|register|menuntut)\b",
    r"\b(?:call (?:me|us|now|this)|for (?:more )?(?:info\w*|details)|contact|hubungi|hub|info hub|pengambilan)\b",
    r"领取|兑奖|领奖|兑换|登记|申领|咨询|详情|联系",
)
# "Search this ID" on a messenger: the channel named without a link or handle to click.
SEARCH_ID = rx(
    r"\b(?:search|find|add|look up|cari|carian|tambah|add kan|addkan)\b[^.!?\n]{0,20}?\b(?:id|username|user ?name|"
    r"akaun|account|nama pengguna)\b",
    r"(?:搜索|搜寻|搜一下|搜|查找|加)[^，。,.!！\n]{0,8}?(?:id|账号|帐号|号码|用户名|群号)",
)
# Police, court or regulator scripts: "your number is linked to a crime", "press 1 for an officer".
AUTHORITY_WHO = rx(
    r"\b(?:police|polis|polisi|kepolisian|polri|pdrm|bukit aman|court|mahkamah|pengadilan|magistrate|"
    r"customs|kastam|bea cukai|mcmc|skmm|komdigi|kominfo|ojk|bnm|bank negara|lhdn|imigresen|immigration|"
    r"ofca|ncc|miit|regulator|officer|pegawai|inspector|inspektor|prosecutor|jaksa|kejaksaan|"
    r"interpol|narcotics|narkotik|anti-money laundering|amla|department|jabatan|jpj|ipk|nsrc|kementerian|"
    r"kemkomdigi|kemenkominfo|ditjen|bareskrim|siber|cyber ?crime|fraud department|security team|tim keamanan|"
    r"cid|ica|iras|nbi|pnp|dict|sprm|macc|icac)\b",
    r"公安|警察|警方|警署|派出所|法院|检察院|检察官|海关|工信部|通管局|通信管理局|电讯管理局|"
    r"通讯局|金管局|银监|入境处|卫生署|卫健委|国安|刑警|调查局|国务院|公安部|网警|反诈中心|民警|刑侦|经侦",
)
AUTHORITY_WHAT = rx(
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
    r"(?:will|akan) (?:be )?(?:di)?(?:tangkap|arrested|charged|didakwa|dituduh)|"
    r"\bpay (?:a |the |your )?(?:penalty|fine)\b|\breported for\b|\bfor suspension\b|\bdisiasat\b|\brasuah\b|"
    r"\b(?:card|account|pass|number|sim)\b[^.!?\n]{0,24}?\b(?:has been|have been|was|is|been) (?:suspended|blocked|frozen|flagged|deactivated|disabled)\b",
    r"涉嫌|涉及[^，。]{0,6}(?:案|洗钱|诈骗)|洗钱|通缉|拘留|逮捕|安全账户|资金清查|配合调查|按\s?[0-9#*]\s?(?:键|号)?|"
    r"传票|立案|协查|不要挂断|保密|冻结|资金审查|清查|洗黑钱|配合调查|资产审查",
)
# An app dressed up as an invitation, a ticket or a parcel receipt, to install or open as a file.
LURE = rx(
    r"\b(?:undangan|surat tilang|tilang|resi|foto paket|lihat foto|jemputan|kad kahwin|kad jemputan|saman|"
    r"invitation|wedding|parcel|traffic (?:ticket|fine)|e-?invite|summons|delivery)\b",
    r"请柬|请帖|喜帖|罚单|快递单|电子请柬|包裹|快递",
)
LURE_ACT = rx(
    r"\b(?:install\w*|diinstal\w*|instal\w*|pasang|file\w*|fail|aplikasi|app)\b",
    r"安装|下载|文件",
)
# A relative or friend "with a new number" who needs money, credit or a code right now.
NEW_NUMBER = rx(
    r"\b(?:(?:this is|it'?s) (?:mum|mom|dad|your (?:son|daughter|boss|friend))|"
    r"(?:ini|ni) (?:mamah|mama|mak|ibu|ayah|papa|bapak|abah|abang|along|kakak|adik|anakmu|bos)|"
    r"new number|nomor baru|nombor baru|ganti nomor|tukar nombor|guna nombor kawan|pinjam (?:hp|hape|fon) teman|"
    r"(?:hp|handphone|fon|phone|telefon)\s?(?:ku|saya|mak|mamah|aku|is|sedang)?\s?(?:rusak|rosak|broken|hilang|lost))\b",
    # someone else's phone or a new bank account: the relative cannot be checked on the usual number
    r"\b(?:(?:pakai|guna|pinjam) (?:nomor|nombor|no|hp|hape|fon|phone|telefon) (?:teman|kawan|orang)|"
    r"(?:hp|fon|phone|telefon)-?(?:ku|saya|aku)? (?:jatuh|mati|died|dead|spoilt)|(?:roaming|temporary|temp) (?:number|no)|"
    r"my (?:phone|handphone) (?:is |got )?(?:broken|lost|spoilt|stolen|died|dead)|"
    r"(?:akaun|rekening) (?:kawan|teman)|(?:friend'?s|new) (?:bank )?account)\b",
    r"我是你(?:领导|老板|老同学|同学|朋友|表哥|表姐)|是我呀|换号了|新号码|手机坏了|手机丢了|语音坏了|"
    r"电话坏|手机坏|新户口|新账户|用紧新号",
)
MONEY_ASK = rx(
    r"\b(?:transfer|tf|isi pulsa|isikan pulsa|kirim pulsa|topup|top up|reload|pinjam|hutang|send (?:me )?money|"
    r"lend me|bank in|bankin|ganti uangnya|bayar balik|biaya|isiin|pindahkan|memindahkan|transfer\w*)\b",
    r"转账|转过来|转到|借|打款|汇款|充话费|充值|过数|转\$|转钱",
)
CALL_BACK = rx(
    r"\b(?:call (?:back|us|me|this number)|ring|hubungi|telefon|dail|contact)\b",
    r"回拨|回電|回电|致电|致电|来电|联络|联系|打(?:这个|呢个)?电话",
)
ADD_ME = rx(
    r"\b(?:add|message|chat with|text|pm) (?:me|us|our \w+|my \w+) (?:on|via|in|di|kat) (?:whatsapp|telegram|line|wechat|signal|wa|tg)\b",
    r"\b(?:whatsapp|telegram|line|wechat) (?:me|us|saya|kami)\b|\bjoin (?:our |the )?(?:telegram|whatsapp|wa|line) (?:group|grup|channel)\b",
    r"(?:加|添加)(?:个|一下)?(?:我的?)?(?:line|赖|whatsapp|微信|qq|telegram|tg|飞机)|飞机上私讯|私讯我",
)
STORE = rx(r"\b(?:play ?store|app ?store|google play|appgallery|galaxy store)\b", r"应用商店|应用市场|官方商店")
OPEN = rx(r"\b(?:open|buka|klik|click|tap|lihat|view|see|check|semak|cek)\b", r"打开|点开|查看|点击")
# Quoted passages: in a warning, what sits between quotes is the scam being described.
FEE = rx(
    r"\b(?:fee|tax|processing|shipping|pajak|biaya|ongkos|ongkir|cukai|yuran|caj|bayaran|bayar|duty|duties|postage|"
    r"charges?|pay)\b",
    r"手续费|税|保证金|邮费|运费|激活费|转账|汇款|支付|补缴|缴纳",
)
POINTS = rx(
    r"积分[^。.!！\n]{0,24}?(?:清零|清空|兑换|兑现|过期|到期|失效|当钱花)",
    r"\b(?:poin|points?|mata ganjaran)\b[^.!?\n]{0,25}?\b(?:hangus|kedaluwarsa|expir\w*|luput|tamat|habis)\b",
    r"\b(?:redeem (?:your |them |it )?(?:points?|now)|tukar\w* (?:poin|sekarang)|tebus)\b",
)
CONTACT_ME = rx(
    r"\b(?:dm|pm|inbox|message|msg|text|whatsapp|wa)\s(?:me|us)\b|\bprivate message\b",
    r"\bjapri\b|\b(?:pm|dm|chat|wa|inbox|pc) (?:saya|aku|kami|sy|ak|admin)\b|\bhubungi (?:saya|kami|admin|aku)\b",
    r"\bcontact (?:me|us|our agent|admin)\b",
    r"(?<!有人)(?<!他)(?<!她)(?<!对方)(?<!骗子)(?:私聊|私信|私讯)|私我|加我|联系我|找我|滴滴我|进群|拉群",
    r"\bminat\b[^.!?\n]{0,12}\b(?:dm|pm|wa|chat|hubungi|kabari|inbox|japri)\b|\blanjut chat\b|\bkabari (?:aku|saya)\b|"
    r"\b(?:transfer|bayar|tf) (?:dulu|dimuka|di muka|dahulu)\b|\bbukti (?:tf|transfer)\b|先付款|先转账|先打款",
)
PHONE = re.compile(r"(?<![\w*#+])\+?\(?\d[\d ()-]{6,17}\d(?![\w#*])")
DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b")
URGENT = rx(
    r"\b(?:urgent\w*|immediately|right now|act now|asap|today only|last chance|before it'?s too late|"
    r"segera|secepatnya|sekarang juga|hari ini juga|sebelum terlambat|dengan segera)\b",
    r"立即|马上|立刻|尽快|赶紧|速速|限时|最后机会|请即",
)
APK_WORD = re.compile(r"\bapk\b")
INSTALL = rx(r"\b(?:download|install|unduh|pasang|muat turun|update|kemas kini)\b", r"下载|安装|更新")


# Substrings of which every match of a pattern contains at least one: when none is in the text, the
# (slow, many-branched) pattern is not run at all. Checked by tests/unit/test_scam_guard.py.
CODE_HINTS = ("序号", "卡密", "otp", "one-time", "one time", "onetime", "pin", "tac", "code", "digit", "magic", "kod", "sandi",
               "laluan", "码", "sms", "mesej", "认证", "验证", "message", "短信", "password")
HINTS: dict[re.Pattern[str], tuple[str, ...]] = {
    ASK: CODE_HINTS, CODE_RX: CODE_HINTS, ENTER_CODE: CODE_HINTS, MISTAKE: CODE_HINTS,
    ASK_PERSONAL: ("身份证", "银行卡", "卡号", "密码", "网银", "户口", "网上银行", "nik", "ktp", "ic number", "nombor", "mykad", "card",
                    "cvv", "rekening", "kartu", "akaun", "bank", "ibu", "maiden"),
    CHEAP_GENERIC: ("half price", "murah", "miring", "harga", "price", "折"),
    CHEAP: ("代充", "代储", "代增值", "慢充", "折", "低价", "到账", "内部渠道", "特价", "murah", "diskon", "diskaun", "potongan", "cheap",
             "discount", "%", "half price", "slow", "pay", "face value", "miring", "harga", "price", "面值", "特惠",
             "优惠价"),
    AUTHORITY_WHAT: ("involved", "linked", "implicated", "associated", "used", "laundering", "warrant", "terlibat",
                      "dikaitkan", "digunakan", "pengubahan", "pencucian", "waran", "account", "akaun selamat",
                      "rekening aman", "press", "tekan", "saman", "tunggak", "outstanding", "dibekukan", "tindakan",
                      "legal action", "didakwa", "keldai", "putuskan", "hang up", "beritahu sesiapa", "rahsia",
                      "diaudit", "pindahkan", "transfer", "terindikasi", "lesen", "tangkap", "arrested", "charged",
                      "dituduh", "涉嫌", "涉及", "洗钱", "通缉", "拘留", "逮捕", "安全账户", "清查", "配合调查", "按",
                      "传票", "立案", "协查", "挂断", "保密", "冻结", "审查",
                      "penalty", "fine", "reported", "suspension", "disiasat", "rasuah", "been", "suspended", "blocked",
                      "frozen", "flagged", "deactivated", "disabled", "洗黑钱", "调查"),
    URGENT: ("urgent", "immediately", "right now", "act now", "asap", "today only", "last chance", "too late",
              "segera", "secepatnya", "sekarang juga", "hari ini juga", "terlambat", "立即", "马上", "立刻", "尽快",
              "赶紧", "速速", "限时", "最后机会", "请即"),
    CS: ("customer", "cs", "agent", "agen", "ejen", "admin", "official", "resmi", "rasmi", "support", "客服", "官方",
          "代理", "人工", "专员"),
    ADD_ME: ("add", "message", "chat", "text", "pm", "whatsapp", "telegram", "line", "wechat", "join", "加", "私讯",
              "飞机"),
    POINTS: ("积分", "poin", "point", "mata ganjaran", "redeem", "tukar", "tebus"),
}


def may_match(rx: re.Pattern[str], text: str) -> bool:
    hints = HINTS.get(rx)
    return hints is None or any(h in text for h in hints)
