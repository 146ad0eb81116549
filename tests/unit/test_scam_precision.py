"""Rule fixes for false alarms on legitimate messages (issue 10, third session): dates are not two
prices, a price going up is not a discount, "Share-a-Load" is not "share your PIN", and warnings
that describe a request for a code ("no bank will ever ask for your OTP") do not ask for one.
Each case has its scam twin, so that the fix cannot pass by dropping the finding altogether."""
from __future__ import annotations

import pytest

from bot.catalog import load_catalog
from bot.core.scam import analyse
from bot.core.scam_domains import catalog_domains


@pytest.fixture(scope="module")
def domains() -> frozenset[str]:
    return catalog_domains(load_catalog())


LEGIT = [
    ("cheap_topup", "Reminder: your prepaid card expires in 3 days (09/12/2026). Top up via *123# to keep your number."),
    ("cheap_topup", "Kartu Anda aktif s.d. 10/12/2026. Isi ulang pulsa min. Rp5.000 untuk tambah masa aktif."),
    ("cheap_topup", "Kuota habis. Beli paket tambahan: 100元/200MB或250元/1GB, 请至官方App申购。"),
    ("cheap_topup", "Harga pulsa di konter: 10rb jadi 12rb, 25rb jadi 26.500. Wajar lah."),
    ("cheap_topup", "Jual sayur harga miring hari ni, mak suruh beli."),
    ("asks_code", "Sorry, wrong PIN entered. Your Share-a-Load PIN is blocked; dial *143# to reset your PIN."),
    ("asks_code", "No bank or agency will ever ask for your card number or the OTP sent by SMS."),
    ("asks_code", "If a 'ministry' caller transfers you to 'police' and asks for your PIN and OTP, hang up."),
    ("asks_code", "Got an OTP I didn't ask for, so I changed my password."),
    ("asks_code", "BNI nggak pernah minta OTP, apa pun alasannya."),
    ("asks_code", "Polis betul tak minta TAC okay."),
    ("asks_code", "Your number has expired; missed calls will be sent to you by SMS. Top up to keep it."),
    ("asks_code", "如果你冇要求過驗證碼但係收到短訊,即係有人試緊用你個號碼登入。"),
    ("asks_code", "Load a card by SMS: send RELOAD followed by the card's 14-digit PIN to AXISnet."),
    ("asks_code", "Isi ulang: ketik ISI <spasi> kode voucher lalu kirim kode itu ke 888."),
    ("asks_code", "防诈三不:不点可疑链接、不提供卡号与验证码。"),
    ("punycode", "汇丰说它的香港网址只有 https://www.hsbc.com.hk,要用银行服务就自己输入网址。"),
]

SCAM = [
    ("cheap_topup", "Pulsa 100rb jadi 85rb, order sekarang juga!"),
    ("cheap_topup", "话费充值,100元只需45元,立即到账!"),
    ("cheap_topup", "充100到账120,话费秒到"),
    ("cheap_topup", "Pulsa harga miring, semua operator, chat admin"),
    ("asks_code", "Hi, please share your PIN with me so I can finish the renewal."),
    ("asks_code", "Please send me the OTP you just received."),
    ("asks_code", "Tolong kasih kode OTP yang masuk ke nomor kamu ya."),
    ("asks_code", "Sorry, I accidentally sent a code to your number, please forward the SMS code to me."),
    ("asks_code", "個驗證碼send俾我啦"),
    ("asks_code", "请提供验证码给我,马上帮你续费"),
    ("punycode", "续费请到 http://中国移动.cn/x 办理"),
    ("asks_code", "Please send the PIN you received to 0812 3456 7890 now."),
    ("cheap_topup", "Ada yg butuh pulsa? aku jual murah, 100 jadi 80, 50 jadi 40. Bayar dulu ya"),
    ("cheap_topup", "各台儲值卡代增值,原價$300 現只需$240"),
    ("cheap_topup", "85元充值100元话费"),
    ("lookalike", "GLOBE: Your SIM is not yet pre-registered. Register now to avoid account restriction: globe-simreg-ph.com"),
]


@pytest.mark.parametrize("reason,text", LEGIT)
def test_legitimate_message_lacks_the_finding(domains, reason: str, text: str) -> None:
    assert reason not in analyse(text, domains).found


@pytest.mark.parametrize("reason,text", SCAM)
def test_scam_twin_keeps_the_finding(domains, reason: str, text: str) -> None:
    assert reason in analyse(text, domains).found


@pytest.mark.parametrize("text", [
    "有人WhatsApp我「個驗證碼send俾我啦」,我一睇就知係騙徒,已經block咗。",
    "朋友圈那个“原价100现只要68元,加微信 hfchong2024 充话费”的广告是骗人的,别碰。",
    "Globe doesn't send links. That 'redeem your points at globe-points-redeem.xyz' text is spoofed.",
    "Polis: sindiket mungkin hubungi anda kononnya untuk sahkan kelayakan dan minta IC atau OTP.",
])
def test_warnings_that_quote_a_scam_are_warnings(domains, text: str) -> None:
    assert analyse(text, domains).rule_score < 1.0
