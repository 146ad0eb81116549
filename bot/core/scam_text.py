"""Undoing the disguises scammers put on words, so that patterns and the model see plain text.

Two forms of a message are used by the scam guard (:mod:`bot.core.scam`):

* :func:`normalize` keeps what a link finder needs: HTML reduced to its text (a link's target
  written after its text, so ``<a href="https://t.me/x">cheap</a>`` reads as ``cheap https://t.me/x``),
  NFKC (full-width letters become ASCII),
  invisible characters removed, lower case, traditional Chinese folded to simplified for the
  characters the patterns use, ``t[.]me`` dots restored. Cyrillic letters in a host stay, because
  a host with them *is* a sign (``punycode``).
* :func:`unmask` then folds what only hides words from a reader's filter: look-alike letters
  (Cyrillic ``а``, Greek ``ο``, enclosed and regional-indicator letters), accents and other
  combining marks, letters spaced apart (``t e l e g r a m``, ``O.T.P``), spaces inside Chinese
  text, leetspeak in the words scammers disguise (``te1egram``, ``0tp``, ``pu1sa``), emoji that
  stand for a brand (``✈️`` for Telegram), and runs of spaces (as one). Spaced-apart words that run
  together are split again where they are words scammers hide (``p u l s a m u r a h``).

Both are pure, linear-time and bounded by :data:`MAX_CHARS`.
"""
from __future__ import annotations

import html
import re
import unicodedata

#: Characters of (normalised) text examined: a longer message is judged by its first
#: :data:`HEAD_CHARS` and last :data:`TAIL_CHARS` characters (a long "article" that ends by pushing a
#: Telegram handle keeps its ending); the middle is ignored, so the time spent is bounded.
MAX_CHARS = 1500
HEAD_CHARS = 1000
TAIL_CHARS = MAX_CHARS - HEAD_CHARS - 1
_RAW_FACTOR = 4

_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]")
_DOT_WORDS = re.compile(r"\s?(?:\[\s?\.\s?\]|\(\s?\.\s?\)|\[dot\]|\(dot\)|\{dot\}|\[\s?titik\s?\])\s?")
_DOT_SPELLED = re.compile(r"(?<=[a-z0-9]) (?:dot|titik) (?=(?:me|com|net|org|ly|cc|xyz|top|id|my|hk|tw|cn|co)\b)")
_CJK_DOT = re.compile(r"(?<=[a-z0-9])[。｡](?=[a-z0-9])")

# Traditional -> simplified for every character the Chinese patterns use (and a few neighbours).
_T2S_PAIRS = (
    ("話費賬帳優價內時驗證碼動態簡訊確認發給訴報覆復輸寫轉圖唸讀將會機號銷凍結暫務關則實記敗異違規",
     "话费账账优价内时验证码动态简讯确认发给诉报复复输写转图念读将会机号销冻结暂务关则实记败异违规"),
    ("獎運續稅郵啟匯積兌換過馬盡趕緊別請萬從絕決謹詐騙釣魚飛紙電錢聯繫係戶餘額儲預擔們這個開達",
     "奖运续税邮启汇积兑换过马尽赶紧别请万从绝决谨诈骗钓鱼飞纸电钱联系系户余额储预担们这个开达"),
    ("洩處裡裏門專買賣貴點擊連鏈網頁載裝應員為與廣東國華問題無還後間樣讓進麼麽說資銀註冊斷線歡",
     "泄处里里门专买卖贵点击连链网页载装应员为与广东国华问题无还后间样让进么么说资银注册断线欢"),
    ("觀紅禮幣團隊臉書龍壓賺錯誤齊對據區體辦惠嗎鐘頭當幫並準備送選擇於屬嚴現僅",
     "观红礼币团队脸书龙压赚错误齐对据区体办惠吗钟头当帮并准备送选择于属严现仅"),
    ("護邊車鎖幾舉獲勵參領憑滿產訂單債偵傳遞稱謂帶託聽誰覺結揀隻隨撥打計劃權鑰匙歸檔圍財產責",
     "护边车锁几举获励参领凭满产订单债侦传递称谓带托听谁觉结拣只随拨打计划权钥匙归档围财产责"),
    ("員證監確認凍帳戶號碼僅適價錢幣貨標職薪層級總層覽閱訊號碼遊戲彩彙貼紙徵稅碼勞",
     "员证监确认冻账户号码仅适价钱币货标职薪层级总层览阅讯号码游戏彩汇贴纸征税码劳"),
    ("賴條數輔係唔偽騎", "赖条数辅系唔伪骑"),
)
assert all(len(a) == len(b) for a, b in _T2S_PAIRS)
_T2S = str.maketrans("".join(a for a, _ in _T2S_PAIRS), "".join(b for _, b in _T2S_PAIRS))


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


def window(text: str, head: int = HEAD_CHARS, tail: int = TAIL_CHARS) -> str:
    """The first ``head`` and last ``tail`` characters of a long text, joined by a line break,
    neither cut in the middle of a word or link; a text of ``head + tail + 1`` or fewer as it is."""
    if len(text) <= head + tail + 1:
        return text
    start = _cut(text, head)
    end = text[-tail:]
    if not end[0].isspace() and not text[-tail - 1].isspace():
        space = min((i for i in (end.find(" "), end.find("\n")) if i >= 0), default=-1)
        if space >= 0:
            end = end[space + 1:]
    return start + "\n" + end


# HTML (a formatted Matrix body, a pasted e-mail or web page): a link's target follows its text, block
# elements break lines, every other tag goes. A "<" must be followed by a letter (or "/" and a letter) to
# start a tag, so "<3" or "a < b" stay text; the bounds keep the patterns linear.
_ANCHOR = re.compile(r"""<a\b[^<>]{0,400}?\bhref\s*=\s*(?:"([^"<>]{0,400})"|'([^'<>]{0,400})'|([^\s"'<>]{1,400}))[^<>]{0,400}>"""
                     r"([^<]{0,600}?)</a\s*>", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"<(?:br|/?p|/?div|/?li|/?tr|/?h[1-6]|/?blockquote|/?pre)\b[^<>]{0,400}>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]{0,20}(?:\s[^<>]{0,400})?/?>")


def _anchor(m: re.Match[str]) -> str:
    href = html.unescape(m.group(1) or m.group(2) or m.group(3) or "").strip()
    label = m.group(4)
    bare = href.split("://", 1)[-1].removeprefix("www.").rstrip("/").lower()
    if not href or href.startswith(("#", "mailto:")) or (bare and bare in label.lower()):
        return label  # the text already shows where the link goes
    return f"{label} {href}" if label.strip() else href


def strip_html(text: str) -> str:
    """The text of an HTML fragment, each link's target after its text (see the module docstring).
    Text without a tag comes back unchanged."""
    if "<" not in text:
        return text
    text = _ANCHOR.sub(_anchor, text)
    text = _BLOCK_TAG.sub("\n", text)
    return _TAG.sub("", text)


def normalize(text: str) -> str:
    """The form links are found in: HTML reduced to text, entities decoded, NFKC, no invisible
    characters, lower case, simplified Chinese, ``t[.]me``-style dots restored, and at most
    ``MAX_CHARS`` characters (the head and the tail of a longer message)."""
    text = window(text, _RAW_FACTOR * HEAD_CHARS, _RAW_FACTOR * TAIL_CHARS)
    text = html.unescape(strip_html(text))  # "&quot;" is a quote
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).casefold().translate(_T2S)
    text = _DOT_WORDS.sub(".", text)
    text = _DOT_SPELLED.sub(".", text)
    text = _CJK_DOT.sub(".", text)
    return window(text)


# ----------------------------------------------------------------------------- unmasking

# Confusable letters (Unicode's confusables, the Latin look-alikes scammers actually use).
_CONFUSABLE = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ɡ": "g", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y", "ո": "n", "ս": "u", "ց": "g",
    "ь": "b", "г": "r", "п": "n", "л": "n", "и": "u", "ш": "w", "щ": "w", "з": "3", "ч": "4",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y", "μ": "u", "ϲ": "c", "ς": "c", "δ": "d",
    # Latin extensions and IPA
    "ı": "i", "ȷ": "j", "ʝ": "j", "ʟ": "l", "ɪ": "i", "ɴ": "n", "ʀ": "r", "ᴀ": "a", "ʙ": "b", "ᴄ": "c",
    "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ʜ": "h", "ᴊ": "j", "ᴋ": "k", "ᴍ": "m", "ᴏ": "o", "ᴘ": "p",
    "ǫ": "q", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ø": "o",
    "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ɑ": "a", "ɩ": "i", "ʋ": "u",
}
# Enclosed and decorated letters that NFKC leaves alone: 🅐 🅰 🄰 and regional indicators 🇦.
for _base, _count in ((0x1F150, 26), (0x1F170, 26), (0x1F130, 26), (0x1F1E6, 26)):
    for _i in range(_count):
        _CONFUSABLE[chr(_base + _i)] = chr(ord("a") + _i)
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLE)

# Emoji that stand for a messenger or a channel, spelled out so that the patterns see the word.
_EMOJI_WORDS = {
    "✈": " telegram ", "🛩": " telegram ", "🛫": " telegram ", "🛬": " telegram ", "🕊": " telegram ",
    "🐧": " qq ",
    "📞": " tel ", "☎": " tel ", "📱": " tel ", "📲": " tel ",
}
_EMOJI_RE = re.compile("|".join(map(re.escape, _EMOJI_WORDS)))

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+(?=[{_CJK}])")
# Three or more single letters or digits with one separator between each: "t e l e g r a m",
# "O.T.P", "w-h-a-t-s-a-p-p", "0 8 1 2". A dot only joins letters, never digits (dates, IPs).
_SPACED = re.compile(
    r"(?<![\w.@/])(?:[a-z][ ._*\-·](?=\w)|[0-9][ _*\-·](?=\w)){2,}\w(?![\w])|"
    r"(?<![\w.@/])@ (?:\w [ ._]?){2,}\w(?!\w)"
)
_SEP = re.compile(r"[ ._*\-·]")

# Leetspeak: only tokens whose un-leeted form is a word scammers hide. Digits that stand for
# letters in a token that also has letters ("te1egram", "pu1sa", "0tp", "wh4tsapp").
_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "@": "a", "$": "s", "!": "i", "|": "l", "9": "g"})
_LEET_I = str.maketrans({"1": "i", "!": "i", "|": "i"})
_HIDDEN_WORDS = frozenset("""
telegram tele whatsapp watsap wasap wassap wechat signal line otp pin tac code kode kod
password sandi verify verifikasi verification pulsa kuota murah promo promosi diskon diskaun
discount cheap free gratis percuma bonus hadiah prize winner pemenang menang lucky undian
topup reload recharge renew perpanjang aktif admin agent agen ejen official resmi rasmi
customer service cs support kefu invest investasi profit untung cuan slot judi gacor togel
click klik link download install apk unduh login akaun akun account bank transfer deposit
withdraw cash money crypto bitcoin usdt job kerja part parttime hiring loan pinjaman pinjol
blocked blokir suspend suspended expired expire hangus tamat sekat disekat police polis polisi
scam penipu tipu telkomsel indosat smartfren maxis celcom digi hotlink umobile unifi tunetalk
chinamobile unicom smartone csl cmhk hadiah undian menang jual harga miring slow
join my channel group vip signal signals
""".split())
_ALPHA_DIGIT = re.compile(r"[a-z]+|[0-9]+")
_MULTI_SPACE = re.compile(r"[ \t]{2,}")
_TOKEN = re.compile(r"[a-z0-9@$!|]*[0-9@$!|][a-z0-9@$!|]*")
_COMBINING = re.compile(r"[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _unspace(m: re.Match[str]) -> str:
    s = m.group(0)
    joined = _SEP.sub("", s)
    if s.startswith("@"):  # a handle spelled apart keeps its underscores
        return "@" + s[1:].replace(" ", "")
    if not any(c.isalpha() for c in joined):  # "0 8 1 2 ...": a phone number written apart
        return joined if len(joined) >= 8 else s
    # "p u l s a m u r a h" -> "pulsa murah", "w h a t s a p p 0 8 1 2 ..." -> "whatsapp 0812...".
    return " ".join(_segment(chunk) for chunk in _ALPHA_DIGIT.findall(joined)) or joined


def _segment(chunk: str) -> str:
    """``chunk`` as words scammers hide, when it is nothing but such words run together
    (``pulsamurah`` -> ``pulsa murah``); otherwise as it is. Linear in practice: words are short."""
    if chunk in _HIDDEN_WORDS or not chunk.isalpha() or len(chunk) > 60:
        return chunk
    best: list[list[str] | None] = [[]] + [None] * len(chunk)  # best[i]: fewest words making chunk[:i]
    for i in range(1, len(chunk) + 1):
        for j in range(max(0, i - 14), i):
            prev = best[j]
            if prev is not None and chunk[j:i] in _HIDDEN_WORDS and (best[i] is None or len(prev) + 1 < len(best[i] or ())):
                best[i] = [*prev, chunk[j:i]]
    found = best[len(chunk)]
    return " ".join(found) if found else chunk


def _unleet(m: re.Match[str]) -> str:
    token = m.group(0)
    if not any(c.isalpha() for c in token) or len(token) < 3:
        return token
    text, end, start = m.string, m.end(), m.start()
    if (end < len(text) and text[end] == "_") or (start > 0 and text[start - 1] == "_"):
        return token  # part of an identifier or handle ("@pk_a" is a handle, not "apk")
    for table in (_LEET, _LEET_I):
        plain = token.translate(table)
        if table is _LEET_I:
            plain = plain.translate(_LEET)
        core = plain.strip("@$!|")
        if core in _HIDDEN_WORDS:
            return core
    return token


def unmask(normalized: str) -> str:
    """Fold the disguises of :func:`normalize`'d text (see the module docstring)."""
    text = normalized
    if not text.isascii():
        text = _EMOJI_RE.sub(lambda m: _EMOJI_WORDS[m.group(0)], text)
        text = text.translate(_CONFUSABLE_TABLE)
        if _COMBINING.search(text):
            text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
            text = unicodedata.normalize("NFC", text)
        text = _CJK_SPACE.sub("", text)
    text = _SPACED.sub(_unspace, text)
    text = _TOKEN.sub(_unleet, text)
    return _MULTI_SPACE.sub(" ", text)
