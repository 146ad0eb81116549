"""Words that turn a scam's vocabulary into a warning: negations ("never", "jangan", "切勿"),
disbelief ("不可信"), the false negations that push the reader on ("don't miss", "jangan sampai"),
a seller's reassurance ("bukan penipu"), and the words that call something a scam outright.

:class:`bot.core.scam_message.MessageText` uses them to tell which findings are warned against.
"""
from __future__ import annotations

import re

from bot.core import scam_vocab as v

# Negations and warnings that, before a finding in the same clause, mean "do not do this".
NEG = v.rx(
    r"\b(?:never|don'?t|do not|does not|doesn'?t|didn'?t|did not|will not|won'?t|not to|avoid|beware|careful|"
    r"warning|ignore|refuse|report|scam\w*|fraud\w*|fake|phishing|hoax|spoof\w*)\b",
    # "if a caller asks for your PIN, hang up": someone else's request, described
    r"\b(?:if|when|whenever)\b[^.!?\n]{0,60}?(?=\basks?\b)",
    # "no bank will ever ask for ...", "nobody should ask"
    r"\bno(?:body| one|\s\w+(?:\s\w+){0,4}) (?:will|would|should|shall)(?: ever)?\b",
    r"\b(?:ditanggung|tanpa (?:biaya|dipungut|caj)|tidak dipungut|jangan|jgn|tidak (?:pernah|akan)|tak (?:pernah|akan)|takkan|bukan|hindari|waspada|"
    r"(?:nggak|ngga|gak|enggak|ndak|tdk) (?:pernah|akan)|(?:tidak|tak|nggak|ngga|gak|enggak|tdk) (?:minta|meminta|mintak)|"
    r"hati-hati|awas|penipu\w*|tipu\w*|modus|palsu|hoaks|abaikan|laporkan|usah|elak\w*|berwaspada|amaran)\b",
    r"不要|别|勿|切勿|请勿|千万别|千万不要|从不|从未|绝不|决不|不会|不得|谨防|提防|小心|警惕|当心|诈骗|"
    r"骗局|骗子|骗徒|假冒|冒充|钓鱼|防骗|反诈|忽略|举报|伪冒|唔好|千祈|(?:冇|没有?|从未|未曾)(?:要求|申请|索取)|不(?:要|会|随意|轻易)?(?:提供|透露|泄露|回传|交出)|咪(?=撳|按|点|click|信|理|俾|畀|回|覆|开|打开|下载)",
)
# Disbelief at the end of a clause: "any bot that asks for codes is not to be trusted".
DISTRUST = v.rx(
    r"\b(?:is|are) (?:not to be trusted|fake|a scam|scams)\b|\bjangan (?:dipercaya|percaya)\b|"
    r"\btidak (?:boleh )?dipercaya\b|\bjangan layan\b|\btak boleh dipercayai\b",
    r"都?不可信|都?不能信|别信|不要信|才不信|不会信|唔使信|唔信|都是假的|都是骗子|都是诈骗|信唔过|唔好信",
)
# Phrases that look like negations but push the reader on ("don't miss", "jangan sampai").
NOT_NEG = v.rx(
    r"\b(?:don'?t|do not|jangan|jgn|usah)\s(?:worry|panic|wait|delay|miss|forget|let|hesitate|"
    r"khawatir|takut|ragu\w*|panik|cemas|risau|bimbang|tunggu|lupa|lewatkan|sampai|ketinggalan|tertinggal)\b",
    r"\bnever mind\b|\bno worries\b|\b(?:final|last) (?:warning|notice)\b",
    r"\b(?:do not|don'?t|jangan|jgn) (?:hang up|put down|end the call|tutup (?:telepon|telefon|talian)|putuskan talian|matikan telepon)\b",
    r"\b(?:involved|implicated|linked|associated) (?:in|to|with) (?:a |an )?(?:scam|fraud)|terlibat (?:dalam |dengan )?(?:penipuan|kes penipuan)",
    r"涉嫌\s?(?:诈骗|违法|洗钱|犯罪|fraud|scam)|涉及\s?(?:诈骗|洗钱|fraud|scam)(?:案)?",
    r"\b(?:avoid|elak\w*|hindari)\s(?:\w+\s)?(?:suspension|deactivation|termination|disconnection|interruption|"
    r"being|having|losing|penalt\w*|restrictions?|blocking|barring|sekatan|pembatasan|disekat|digantung|ditamatkan|diblokir|pemblokiran|penonaktifan|dinonaktifkan|"
    r"hangus|kehilangan|gangguan|denda)\b",
    r"(?:别|不要|千万别|千万不要)(?:担心|急|慌|怕|犹豫|错过|等)|不用担心|不必担心|无需担心|唔使担心|唔好意思|"
    r"唔小心|不小心|唔好彩",  # "by accident", "sorry", "unluckily": no warning
)
# "Not a scam" and friends: a seller's reassurance, not a warning.
REASSURE = v.rx(
    r"\b(?:bukan (?:penipu\w*|tipu\w*|hoaks|hoax)|anti (?:penipu\w*|tipu\w*)|not (?:a )?scam\w*|"
    r"no scam\w*|100% (?:amanah|trusted|legit|safe|aman)|amanah|trusted|legit)\b",
    r"不是骗子|非骗子|绝不骗人|不骗人|非诈骗|唔系呃人",
)
#: Caution words that are not a warning: "不小心" (by accident).
NOT_CAUTION = re.compile(r"唔小心|不小心|\bnot careful\b|\b(?:final|last) warning\b")
IF_BEFORE = re.compile(r"(?:\b(?:if|unless|jika|kalau|kalo|bila|apabila|sekiranya)\b[^.!?\n]{0,8}|如果|如|若|要是)$")
CLAUSE_END = re.compile(r"[.!?](?=\s|$)|[。！？;；\n]")
QUOTED = re.compile(r'"[^"\n]{3,600}"|(?<![a-z])\'[^\'\n]{8,600}\'(?![a-z])|“[^”\n]{3,600}”|「[^」]{1,600}」|『[^』]{1,600}』|«[^»\n]{3,600}»|‘[^’\n]{3,600}’')

# Denials of origin: "is NOT Singtel", "BUKAN dari Telkomsel", "并非由易通行发出", "唔系官方".
DENY = (r"\b(?:is not (?:from )?(?:the )?(?:real |official |genuine )?\w+(?:'s)? ?(?:site|website|domain|link|page|sms)?|"
        r"not from (?:the |your )?\w+|isn'?t (?:from )?\w+|bukan (?:dari|daripada|laman|situs|link|pautan|web\w*|milik|resmi|rasmi)|"
        r"tidak (?:pernah )?(?:mengirim|kirim|menghantar|hantar)|tak (?:pernah )?(?:hantar|kirim)|"
        r"(?:don'?t|doesn'?t|do not|does not|will never|never|tidak(?: akan| pernah)?|tak(?: akan| pernah)?) "
        r"(?:call|calls|phone|contact|ask|asks|send|text|menelepon|menghubungi|telefon|hubungi|minta|meminta)\b"
        r"(?: (?:you|anda|kamu))?(?: (?:like this|this way|begini|seperti ini|macam ni))|"
        r"(?:i|we|aku|saya|sy|dah|udah|sudah) (?:\w+ )?(?:blocked|block|blokir|sekat|report(?:ed)?|lapor\w*)\b)\b|"
        r"并非|并不是|不是由|非官方|不是官方|唔系官方|唔系由|别被骗|唔好上当|不要上当|拉黑|block了|block 了|都?别信|都?不要信|"
        r"骑劫|被盗用|盗号")

CAUTION = v.rx(DENY,
    r"\b(?:scam\w*|fraud\w*|phishing|hoax|fake|beware|careful|warning|warns?|alert|malware|hijack\w*|"
    r"penipu\w*|tipu\w*|modus|waspada|hati-hati|awas|palsu|hoaks|amaran|berwaspada|peringatan|"
    r"diretas|digodam|menyamar|never asks?|tidak pernah (?:minta|meminta)|tak pernah (?:minta|meminta)|"
    r"spoof\w*|bogus|impostors?|imposters?|posing as|pretend\w*|kononnya|berpura-pura|bodong|abal-abal)\b",
    r"诈骗|骗局|骗子|骗徒|骗人|防骗|反诈|钓鱼|假冒|冒充|小心|谨防|提防|警惕|当心|提醒|歹徒|骗案|唔系官方|不是官方|假的|恶意软件|木马|"
    r"伪冒|呃人|呃钱|唔好撳|唔好按|切勿点击|不要点击|恶意|打诈|防诈|诈骗|别碰|不要碰|唔好掂|咪掂",
)


# Words that call something a scam outright (not "alert" or "reminder", which scams use too).
EXPOSE = v.rx(DENY,
    r"\b(?:scam\w*|fraud\w*|phishing|hoax|fake|beware|malware|penipu\w*|tipu\w*|palsu|hoaks|modus|waspada|awas|"
    r"spoof\w*|bogus|impostors?|imposters?|posing as|kononnya|bodong|abal-abal)\b",
    r"诈骗|骗局|骗子|骗徒|骗人|防骗|反诈|钓鱼|假冒|冒充|假的|恶意|木马|呃人|骗案|伪冒|打诈",
)
