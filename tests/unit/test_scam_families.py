"""Rules for the scam families the model missed on unseen English (issue 10, fourth session): easy
money (job and task bait, quick loans, sure profits, buying SIM cards), parcels held with a fee,
"pay first", prizes "won" with someone to call, and notices that ask nothing of the reader. Each
scam has a legitimate twin, so that a rule cannot pass by firing on everything."""
from __future__ import annotations

import pytest

from bot.catalog import load_catalog
from bot.core.scam import analyse, judge
from bot.core.scam_domains import catalog_domains
from bot.core.scam_model import load_model
from bot.i18n import catalog as messages


@pytest.fixture(scope="module")
def domains() -> frozenset[str]:
    return catalog_domains(load_catalog())


SCAM = [
    ("easy_money", "Part-time job: like YouTube videos and earn $5 per task, daily pay up to $300."),
    ("easy_money", "btw I've been using a side project that pays $200 a day, anyone wanna try?"),
    ("easy_money", "You are PRE-APPROVED for a P50,000 cash loan, no requirements. Call today."),
    ("easy_money", "Your task today: make 3 bookings, paid back in full plus commission."),
    ("easy_money", "Kerja sambilan dari rumah, gaji RM300 sehari, tanpa pengalaman."),
    ("easy_money", "Tugas hari ini: like 10 video, komisi Rp50.000 per hari."),
    ("easy_money", "高价收购实名办理的银行卡、电话卡，当天结算。"),
    ("easy_money", "在家兼職，點讚就有錢，日結。"),
    ("parcel_fee", "Your parcel could not be delivered due to an incomplete address. Pay the $1.99 redelivery fee."),
    ("parcel_fee", "Paket anda tertahan di bea cukai, bayar biaya Rp25.000 untuk pengiriman ulang."),
    ("parcel_fee", "您的包裹因地址不详滞留，请补缴运费。"),
    ("pay_first", "Songkran sale, 2 shirts for 199 baht. Transfer first, we ship in 2 days."),
    ("pay_first", "iPhone RM3,000 saya jual RM1,600 je. Bank in dulu ye."),
    ("pay_first", "礼券只卖9万，先付1万订金就寄。"),
    ("prize", "Congrats! Ur SIM # won 2nd prize worth Php750,000. Pls call me now!"),
    ("authority", "CID of Singapore: your ATM card has been suspended. Call +65 8123 4567 to reactivate."),
]

LEGIT = [
    ("easy_money", "Beware of part-time job offers that promise $200 a day for liking videos."),
    ("easy_money", "I got a part-time job at the cafe, pays $9 an hour lol"),
    ("easy_money", "Satgas PASTI memblokir 585 pinjol ilegal bulan ini."),
    ("easy_money", "微信里的“充值中心”充话费挺方便的，秒到账。"),
    ("parcel_fee", "Ninja Van: your parcel will be delivered today between 2pm and 6pm."),
    ("parcel_fee", "Pos Laju: bungkusan anda telah dihantar. Terima kasih."),
    ("pay_first", "Dah bayar, terima kasih. Barang sampai esok."),
    ("prize", "Congratulations on your new job!"),
    ("authority", "Your ATM card has been suspended? Call the number on the back of the card."),
]


@pytest.mark.parametrize(("reason", "text"), SCAM)
def test_scam_family_is_found(domains: frozenset[str], reason: str, text: str) -> None:
    assert reason in analyse(text, domains).found


@pytest.mark.parametrize(("reason", "text"), LEGIT)
def test_legitimate_twin_lacks_the_finding(domains: frozenset[str], reason: str, text: str) -> None:
    assert reason not in analyse(text, domains).found


def test_an_offer_with_someone_to_answer_weighs_more(domains: frozenset[str]) -> None:
    alone = analyse("Part-time job: like videos and earn $5 per task.", domains)
    answer = analyse("Part-time job: like videos and earn $5 per task. Reply YES and our HR will add you.", domains)
    assert alone.found == answer.found == frozenset({"easy_money"})
    assert answer.rule_score == pytest.approx(alone.rule_score + 0.4)


@pytest.mark.parametrize("text", [
    "Your prepaid account expires on Dec 31, 2026",
    "Your UMI 30 subscription will auto-renew in 2 days.",
])
def test_a_notice_that_asks_nothing(domains: frozenset[str], text: str) -> None:
    assert analyse(text, domains).asks_nothing


@pytest.mark.parametrize("text", [
    "Your prepaid account expires on Dec 31, 2026. Renew at prepaid-renew.xyz",
    "Your prepaid account expires on Dec 31, 2026. Call 0812 3456 7890 to keep it.",
    "Your prepaid account expires today, reply YES to keep your number.",
    "The hawker centre durian was going at a crazy low price today!",  # nothing about a line
])
def test_asking_or_off_topic_is_not_quiet(domains: frozenset[str], text: str) -> None:
    assert not analyse(text, domains).asks_nothing


def test_a_carrier_style_notice_is_not_a_scam(domains: frozenset[str]) -> None:
    """QA repro: flagged by the model alone before the fourth session."""
    if load_model() is None:
        pytest.skip("no shipped model")
    assert not judge("Your prepaid account expires on Dec 31, 2026", official_domains=domains).is_scam


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant", "id", "ms"])
def test_new_reasons_are_translated(lang: str) -> None:
    msgs = messages(lang)
    for reason in ("easy_money", "parcel_fee", "pay_first"):
        assert msgs[f"scam.reason.{reason}"].strip()
