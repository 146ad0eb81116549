"""Guessing which of the bot's languages a user writes, from what they wrote.

Used until an owner sets a language with ``language <code>``. Pure and cheap: no library, no model,
just the signals that separate our five languages reliably in short chat messages:

* Han script means Chinese. Traditional and simplified are told apart by characters that exist in
  only one of the two scripts (续/續, 个/個, 这/這, 国/國 ...); Cantonese particles (嘅, 咗, 唔 ...)
  lean traditional (Hong Kong); with no signal at all, simplified.
* Latin script: Indonesian and Malay share most words (saya, sudah, tolong); words one of them
  uses and the other does not decide (id: bisa, besok, kartu, pulsa, kapan, nomor, silakan ...;
  ms: boleh, esok, kad, talian, tambah nilai, nombor, sila, Disember ...). Shared words alone
  decide nothing.
* English only on clearly English words (the, my, please, expires, add, list, help ...).

Anything else (numbers, dates, names, other scripts) gives ``None``: the caller keeps its default
and may look at the next message.
"""
from __future__ import annotations

import re
import unicodedata

# Simplified-only and traditional-only characters, pair by pair (the two strings line up).
_SIMP = (
    "续删帮费个后号么时间这说还过会网话让设语请为来们电线机开关门问题点钟现发东车长书见觉认识记计订谢试"
    "该详误读调账户务动报导师学写实对将专业两严临义乐习买卖亲仅从优传价众体储儿决况减击则刚创别办劳势区"
    "协单卫历压县参双变吗听启员响团园围图圆场块坏声处备头妈孙宝宽寻尽层岁币带应库张弹归当录总恶战扩扫护"
    "担择换损据摄数断无旧显暂术杀权条杂极构标样检欢残毕气汇汉没测济满灵灯烦热爱状独环画疗监盘码确礼种称"
    "积稳笔签简类红纪约级纸练组细终经结给络绝统继维绿编罚联脑脸节药获营装规视览讯许论证评诉词译谈质购贴"
    "资赛转软轻较输边达运进远连选递邮释钱铁银错键闭闻队际险随难页项顺须顾预颜风飞饭验鱼鸟龙讲额缴态齐复"
    "国华马亚广湾万与丢乱争亏产亿仪伞债倾偿兑兴养兰军农冻净凉凤凭刘剧劝医卢厂厉"
)
_TRAD = (
    "續刪幫費個後號麼時間這說還過會網話讓設語請為來們電線機開關門問題點鐘現發東車長書見覺認識記計訂謝試"
    "該詳誤讀調賬戶務動報導師學寫實對將專業兩嚴臨義樂習買賣親僅從優傳價眾體儲兒決況減擊則剛創別辦勞勢區"
    "協單衛歷壓縣參雙變嗎聽啟員響團園圍圖圓場塊壞聲處備頭媽孫寶寬尋盡層歲幣帶應庫張彈歸當錄總惡戰擴掃護"
    "擔擇換損據攝數斷無舊顯暫術殺權條雜極構標樣檢歡殘畢氣匯漢沒測濟滿靈燈煩熱愛狀獨環畫療監盤碼確禮種稱"
    "積穩筆簽簡類紅紀約級紙練組細終經結給絡絕統繼維綠編罰聯腦臉節藥獲營裝規視覽訊許論證評訴詞譯談質購貼"
    "資賽轉軟輕較輸邊達運進遠連選遞郵釋錢鐵銀錯鍵閉聞隊際險隨難頁項順須顧預顏風飛飯驗魚鳥龍講額繳態齊復"
    "國華馬亞廣灣萬與丟亂爭虧產億儀傘債傾償兌興養蘭軍農凍淨涼鳳憑劉劇勸醫盧廠厲"
)
# Traditional forms whose simplified counterpart is also used in traditional text (so only the
# traditional side is a signal): 係 (系), 裡 (里), 週 (周), 複 (复), 於 (于), 臺 (台), 麵 (面).
_TRAD_ONLY_EXTRA = "係裡週複於臺麵啓"
# Cantonese particles: written mostly in Hong Kong, mostly in traditional script.
_CANTONESE = "嘅咗唔冇佢哋喺嚟啲乜嘢咁"

_SIMP_SET = frozenset(_SIMP)
_TRAD_SET = frozenset(_TRAD + _TRAD_ONLY_EXTRA)
_CANTONESE_SET = frozenset(_CANTONESE)

# Latin words: weight 2 = one is enough, 1 = a hint.
_ID_WORDS: dict[str, float] = {
    **dict.fromkeys(
        "bisa besok kartu pulsa kapan nomor silakan silahkan gimana gmn nggak ngga gak enggak udah "
        "aja karena kenapa mau gratis telepon tanggal kedaluwarsa kadaluarsa kadaluwarsa paket "
        "ponsel saldo perpanjang diperpanjang perpanjangan pengaturan dong sih kok deh banget "
        "maret agustus desember senin kamis jumat makasih trims kayak lho".split(),
        2.0,
    ),
    **dict.fromkeys("hapus daftar kapankah bagaimana kuota periksa cek zona".split(), 1.0),
    **dict.fromkeys("tidak bantuan sampai".split(), 0.5),
}
_MS_WORDS: dict[str, float] = {
    **dict.fromkeys(
        "boleh tak esok kad talian nombor sila hapuskan disember ogos mac julai isnin khamis jumaat "
        "ahad bagaimanakah nak mahu kerana percuma sahaja tarikh tempoh baki semak senarai padam "
        "tetapan telefon kat macam awak dah encik pakej pelan hadapan camne beritahu".split(),
        2.0,
    ),
    **dict.fromkeys("bantu zon masa bila".split(), 1.0),
    **dict.fromkeys("lah ni tu".split(), 0.5),
}
_ID_PHRASES = {"isi ulang": 2.0, "masa aktif": 2.0, "zona waktu": 2.0, "kasih tahu": 2.0,
               "sudah diperpanjang": 2.0}
_MS_PHRASES = {"tambah nilai": 2.0, "akan tamat": 2.0, "kemas kini": 2.0, "zon waktu": 2.0,
               "tamat tempoh": 2.0, "dah tamat": 2.0}
# Shared by Indonesian and Malay: they rule out English but decide nothing between the two.
_MALAY_SHARED = frozenset(
    "saya sudah belum tolong untuk dan yang ini itu ada apa dengan akan tamat habis minggu hari "
    "bulan tahun depan lagi dalam berapa ingatkan tambah ubah buang bahasa waktu anda kamu kami "
    "kita mereka terima kasih jika kalau sebelum selepas setelah sekarang nanti hingga juga "
    "pun bagi atau tetapi tapi lusa hai halo selamat pagi petang malam baru lama".split()
)
_EN_WORDS = frozenset(
    "the a an is are was were be my me i i'm you your it its to of and for what when how can could "
    "please thanks thank hello hi hey yes not do does did don't will would with on this that these "
    "expire expires expired expiry expiring tomorrow today next week month days day phone number "
    "card reminder reminders remind date set show where why need want have has just done already "
    "add list help renewed renew edit remove delete settings language timezone time check "
    "providers howto change new commands start line lines again every before after until "
    "from at by there here it's we our us they them up out about".split()
)

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#][^\s]+|\S*\d\S*")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0002fa1f"


def _chinese_variant(text: str) -> str:
    simp = sum(ch in _SIMP_SET for ch in text)
    trad = sum(ch in _TRAD_SET for ch in text)
    if trad > simp:
        return "zh-Hant"
    if simp > trad:
        return "zh-Hans"
    if any(ch in _CANTONESE_SET for ch in text):
        return "zh-Hant"
    return "zh-Hans"


def latin_scores(text: str) -> dict[str, float]:
    """Evidence for ``id``, ``ms``, ``en`` and words shared by Indonesian and Malay (``malay``).

    Exposed so a caller can add up several messages before deciding.
    """
    s = _NOISE.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    words = _WORD.findall(s)
    scores = {"id": 0.0, "ms": 0.0, "en": 0.0, "malay": 0.0}
    joined = " " + " ".join(words) + " "
    used: set[int] = set()
    for phrases, lang in ((_ID_PHRASES, "id"), (_MS_PHRASES, "ms")):
        for phrase, weight in phrases.items():
            if f" {phrase} " in joined:
                scores[lang] += weight
                for i in range(len(words) - 1):
                    if f"{words[i]} {words[i + 1]}" == phrase:
                        used.update((i, i + 1))
    for i, w in enumerate(words):
        if i in used:
            continue
        if w in _ID_WORDS:
            scores["id"] += _ID_WORDS[w]
        if w in _MS_WORDS:
            scores["ms"] += _MS_WORDS[w]
        if w in _MALAY_SHARED:
            scores["malay"] += 1
        if w in _EN_WORDS and w not in _ID_WORDS and w not in _MS_WORDS and w not in _MALAY_SHARED:
            scores["en"] += 1
    return scores


def detect_language(text: str) -> str | None:
    """``"zh-Hans"``, ``"zh-Hant"``, ``"id"``, ``"ms"``, ``"en"``, or ``None`` when unsure."""
    if not text:
        return None
    t = unicodedata.normalize("NFKC", text)
    if any("\u3040" <= ch <= "\u30ff" or "\uac00" <= ch <= "\ud7af" for ch in t):
        return None  # kana or hangul: Japanese or Korean, not ours
    if any(_is_han(ch) for ch in t):
        return _chinese_variant(t)
    sc = latin_scores(t)
    malay = sc["id"] + sc["ms"] + sc["malay"]
    if sc["en"] > malay:
        return "en"
    if sc["id"] > sc["ms"]:
        return "id"
    if sc["ms"] > sc["id"]:
        return "ms"
    return None
