"""Facts added for Thailand, the Philippines, Vietnam and travel eSIMs in the fourth session (issue 11).

Each new sentence must reach a reader of every language through ``howto`` with its value, in the
topic the reader looks under (top-up, support, offline ...), so that the bot says e.g. "call
02-202-8267" for a dtac complaint instead of only "open the official app". Sources and quotes are
checked by ``catalog check``; this checks that the user sees the facts, and that a Vietnamese line
gets the country's authentication-lock warning.
"""
from __future__ import annotations

import pytest

from bot.core.howto import howto_full
from tests.unit.new_facts import CATALOG, LANGS, TODAY, assert_howto_shows, assert_in_topic

#: provider id, topic field, fact text id, value the reader must see.
NEW = [
    ("ais", "topup", "fact.ais.topup_cards", "AIS"),
    ("ais", "offline", "fact.ais.sim_registration_counter", "AIS"),
    ("truemove-h", "topup", "fact.true.topup_truemoney", "TrueMoney Wallet"),
    ("truemove-h", "support", "fact.true.content_sms_line", "02 700 8085"),
    ("dtac", "support", "fact.dtac.complaint_centre", "02-202-8267"),
    ("dtac", "support", "fact.line_official", "@dtaccallcenter"),
    ("dtac", "offline", "fact.dtac.details_at_dtac", "dtac"),
    ("globe", "offline", "fact.globe.store_sim_replacement", "Globe"),
    ("smart", "offline", "fact.smart.store_sim_replacement", "Smart"),
    ("smart", "check_active", "fact.smart.balance_shows_expiry", "Smart"),
    ("dito", "topup", "fact.dito.load_outlets", "DITO"),
    ("viettel", "offline", "fact.viettel.store_registration", "Viettel"),
    ("mobifone", "support", "fact.call_centre", "9090"),
    ("mobifone", "topup", "fact.mobifone.m2d", "M2D"),
    ("vietnamobile", "topup", "fact.vietnamobile.topup_ivr", "188"),
    ("nomad", "check_active", "fact.nomad.plan_status_app", "Nomad"),
    ("ubigi", "topup", "fact.ubigi.recharge", "Ubigi"),
    ("ubigi", "support", "fact.ubigi.support_form", "Ubigi"),
]


@pytest.mark.parametrize(("pid", "field", "text", "value"), NEW)
def test_fact_is_in_its_topic(pid: str, field: str, text: str, value: str) -> None:
    assert_in_topic(pid, field, text, value)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("pid", "field", "text", "value"), NEW)
def test_howto_shows_the_value_in_every_language(pid: str, field: str, text: str, value: str,
                                                 lang: str) -> None:
    assert_howto_shows(pid, text, value, lang)


@pytest.mark.parametrize("pid", ["viettel", "vinaphone", "mobifone", "vietnamobile"])
@pytest.mark.parametrize("lang", ["en", "zh-Hans", "id"])
def test_every_vietnamese_line_gets_the_authentication_lock_warning(pid: str, lang: str) -> None:
    """The 60-day two-way lock and the 5-day withdrawal are the country's rule, not one carrier's."""
    reply = "\n".join(howto_full(CATALOG.require(pid), lang, today=TODAY))
    words = {"en": ("60 more days", "5 days later"), "zh-Hans": ("60 天", "5 天"), "id": ("60 hari", "5 hari")}[lang]
    assert "VNeID" in reply and all(w in reply for w in words), reply


def test_apps_named_by_news_are_on_major_outlets_only() -> None:
    """My Viettel and My MobiFone come from a Lao Dong article, the TrueMove H paid-SMS line from
    InfoQuest: news sources are marked M, never H."""
    for pid, field, value in (("viettel", "apps", "My Viettel"), ("mobifone", "apps", "My MobiFone"),
                              ("truemove-h", "support", "02 700 8085")):
        fact = next(f for f in getattr(CATALOG.require(pid), field) if f.value == value)
        assert fact.confidence == "M"
        assert fact.source.startswith(("https://news.laodong.vn/", "https://www.ryt9.com/"))


def test_travel_esims_still_have_no_grace_period() -> None:
    for pid in ("airalo", "holafly", "nomad", "ubigi"):
        assert not CATALOG.require(pid).grace
