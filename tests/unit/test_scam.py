"""The scam guard: the quality bar on the labelled set, properties that must hold for any input,
and the rule that nothing the bot itself sends is ever judged a scam."""
from __future__ import annotations

import importlib.util
import string
import sys
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalog import load_catalog
from bot.core.howto import howto_full, howto_short, providers_text
from bot.core.scam import MAX_CHARS, THRESHOLD, WEIGHTS, Verdict, judge, normalize
from bot.core.scam_domains import catalog_domains
from bot.core.scam_render import render_verdict
from bot.i18n import LOCALE_DIR
from bot.i18n import catalog as messages

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "scam_messages.toml"
LANGS = {"en", "zh-Hans", "zh-Hant", "id", "ms"}


def _load_eval():
    spec = importlib.util.spec_from_file_location("scam_eval", ROOT / "scripts" / "scam_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("scam_eval", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def domains() -> frozenset[str]:
    return catalog_domains(load_catalog())


@pytest.fixture(scope="module")
def labelled() -> list[dict[str, str]]:
    return tomllib.loads(DATA.read_text(encoding="utf-8"))["message"]


# ------------------------------------------------------------------------ the labelled set

def test_labelled_set_shape(labelled) -> None:
    assert len(labelled) >= 80
    assert {m["label"] for m in labelled} == {"scam", "legit"}
    assert {m["lang"] for m in labelled} == LANGS
    for lang in LANGS:
        labels = {m["label"] for m in labelled if m["lang"] == lang}
        assert labels == {"scam", "legit"}, f"{lang} needs both scam and legitimate messages"
    legit = " ".join(m["text"].lower() for m in labelled if m["label"] == "legit")
    for word in ("telegram", "whatsapp", "renew", "otp", "https://"):
        assert word in legit, f"the legitimate set should mention {word!r}"


def test_quality_bar() -> None:
    scores, results = _load_eval().evaluate(DATA)
    wrong = [(r.label, r.verdict, r.text) for r in results if r.label != r.predicted]
    assert scores.recall >= 0.90, wrong
    assert scores.precision >= 0.95, wrong


def test_eval_script_exit_status(capsys) -> None:
    assert _load_eval().main(["--regression"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "recall" in out


# ------------------------------------------------------------------------ targeted cases

@pytest.mark.parametrize("text,reason", [
    ("Top up murah, order via Telegram @pulsa_murah_cs", "messenger_contact"),
    ("perpanjang masa aktif di t.me/agen_resmi", "messenger_contact"),
    ("续费加微信：abc_12345", "messenger_contact"),
    ("代充话费，私聊", "cheap_topup"),
    ("慢充 充80到帳100", "cheap_topup"),          # traditional 帳 folds to 账
    ("pulsa murah semua operator", "cheap_topup"),
    ("tambah nilai murah", "cheap_topup"),
    ("please send me the OTP you received", "asks_code"),
    ("請把驗證碼發給我", "asks_code"),               # traditional Chinese
    ("kirimkan kode OTP ke saya", "asks_code"),
    ("sila hantar kod TAC anda", "asks_code"),
    ("your number will be blocked today", "threat"),
    ("nomor anda akan diblokir", "threat"),
    ("talian anda akan disekat", "threat"),
    ("您的号码将于今日停机", "threat"),
    ("renew at bit.ly/abc", "shortener"),
    ("renew at https://xn--tlkomsel-x2a.com", "punycode"),
    ("renew at telkomsel-promo.net", "lookalike"),
    ("renew at https://l0086.cc/x", "lookalike"),
    ("renew now http://x.example/app.apk", "apk"),
    ("renew your SIM at https://example.org/verify", "unofficial_link"),  # a lure in the path
    ("renew your SIM at https://sim-renew.top", "unofficial_link"),           # an unusual ending
])
def test_reason_found(domains, text: str, reason: str) -> None:
    assert reason in judge(text, official_domains=domains).reasons


@pytest.mark.parametrize("text", [
    "Never share your OTP with anyone.",
    "Jangan berikan kode OTP kepada siapa pun.",
    "Jangan kongsi kod TAC anda dengan sesiapa.",
    "切勿向任何人提供验证码。",
    "請勿將驗證碼告訴任何人。",
    "Beware of people selling cheap top-ups on Telegram.",
    "Hati-hati penipuan pulsa murah.",
    "代充是骗局，不要相信。",
    "Renew at https://www.telkomsel.com or in MyTelkomsel.",
    "Send me the photos on Telegram.",
    "Add me on WhatsApp, my number is 0812 3456 7890, for the wedding.",
])
def test_legitimate(domains, text: str) -> None:
    assert not judge(text, official_domains=domains).is_scam


def test_obfuscation_does_not_hide(domains) -> None:
    head = "Top up murah semua operator, diskon 20%! Order langsung via Telegram "
    plain = judge(head + "t.me/pulsa_agen", official_domains=domains)
    for text in (head + "ｔ．ｍｅ／ｐｕｌｓａ＿ａｇｅｎ",         # full-width
                 head + "t\u200b.me/pulsa_agen",               # zero-width space
                 (head + "t.me/pulsa_agen").upper()):
        v = judge(text, official_domains=domains)
        assert v.is_scam and v.reasons == plain.reasons, text


def test_official_subdomain_is_official(domains) -> None:
    assert judge("renew at https://my.telkomsel.com/renew", official_domains=domains, model=None).reasons == ()
    assert "lookalike" in judge("renew at https://telkomsel.com.renew-now.xyz", official_domains=domains).reasons


def test_verdict_shape(domains) -> None:
    v = judge("代充话费 TG @abc_cs", official_domains=domains)
    assert isinstance(v, Verdict)
    assert v.is_scam and v.score >= THRESHOLD
    assert set(v.reasons) <= set(WEIGHTS)
    assert list(v.reasons) == [r for r in WEIGHTS if r in v.reasons]  # stable order


def test_long_input_is_capped(domains) -> None:
    scam = "代充话费 TG @abc_cs"
    middle = "a " * MAX_CHARS + scam + " a" * MAX_CHARS
    assert not judge(middle, official_domains=domains, model=None).is_scam  # the middle is not examined
    assert judge("a " * MAX_CHARS + scam, official_domains=domains, model=None).is_scam  # the tail is
    assert judge(scam + " a" * MAX_CHARS, official_domains=domains, model=None).is_scam  # and the head
    assert len(normalize("x" * (10 * MAX_CHARS))) <= MAX_CHARS
    assert len(normalize("xy " * (10 * MAX_CHARS))) <= MAX_CHARS


# ------------------------------------------------------------------------ properties

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
_WORDS = st.lists(st.sampled_from([
    "renew", "top up", "pulsa", "murah", "otp", "kirim", "ke saya", "TG", "@agent_cs", "wa",
    "0812-3456-7890", "代充", "验证码", "发给我", "停机", "will be blocked", "never", "jangan", "t.me/x",
    "bit.ly/x", "apk", "download", ".", "!", "\n", "。", "http://", "xn--", "telkomsel", "&amp;",
]), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(_TEXT, _WORDS))
def test_judge_never_raises(domains, text: str) -> None:
    v = judge(text, official_domains=domains)
    assert v.is_scam == (v.score >= THRESHOLD)
    assert set(v.reasons) <= set(WEIGHTS)


@settings(max_examples=50, deadline=None)
@given(unit=st.one_of(_TEXT.filter(bool), _WORDS.filter(bool)), repeat=st.integers(1, 5000))
def test_judge_time_is_bounded(domains, unit: str, repeat: int) -> None:
    text = (unit * repeat)[:2_000_000]
    start = time.perf_counter()
    judge(text, official_domains=domains)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("text", ["1" * 1_000_000, "a." * 500_000, "@" * 1_000_000, "代充" * 500_000,
                                  "wa " * 300_000, ("a-" * 40 + "a.") * 20_000, "&amp;" * 200_000])
def test_pathological_inputs_are_fast(domains, text: str) -> None:
    start = time.perf_counter()
    judge(text, official_domains=domains)
    assert time.perf_counter() - start < 0.5


def _official_links() -> list[str]:
    catalog = load_catalog()
    links = [f.value for p in catalog.providers for f in p.websites]
    links += sorted(catalog.official_domains())
    links += [f"https://{d}/renew?x=1" for d in sorted(catalog.official_domains())]
    return links


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_TEXT, _WORDS), link=st.sampled_from(_official_links()))
def test_official_link_never_makes_a_scam(domains, text: str, link: str) -> None:
    before = judge(text, official_domains=domains)
    after = judge(text + "\n" + link, official_domains=domains)
    assert after.is_scam <= before.is_scam
    assert set(after.reasons) <= set(before.reasons)


def test_official_link_on_labelled_legit(domains, labelled) -> None:
    for m in labelled:
        if m["label"] == "legit":
            for link in _official_links()[:20]:
                assert not judge(m["text"] + "\n" + link, official_domains=domains).is_scam


# ------------------------------------------------------------------------ the bot's own texts

def _own_texts() -> list[str]:
    catalog = load_catalog()
    texts: list[str] = []
    for p in catalog.providers:
        texts += howto_full(p, "en")
        texts += howto_short(p, "en")
        texts += howto_short(p, "en", 3, prefix="!rb ")
    texts += providers_text(catalog.providers, "en")
    every = Verdict(True, 9.0, tuple(WEIGHTS))
    texts += render_verdict(every, "en")
    texts += render_verdict(every, "en", providers=catalog.providers, prefix="!rb ")
    for reason in WEIGHTS:
        texts += render_verdict(Verdict(False, 0.5, (reason,)), "en")
    texts += render_verdict(Verdict(False, 0.0, ()), "en")
    return texts


class _Params(dict):
    """Plausible values for any placeholder in a message template."""

    SAMPLES = {"number": "2", "n": "2", "date": "2026-12-31", "expiry": "2026-12-31", "name": "AXIS",
               "provider": "axis", "prefix": "!rb ", "value": "AXISnet", "days": "3", "count": "2"}

    def __missing__(self, key: str) -> str:
        return self.SAMPLES.get(key, "x")


def _all_english_messages() -> list[str]:
    out = []
    for template in messages("en").values():
        try:
            out.append(string.Formatter().vformat(template, (), _Params()))
        except (IndexError, ValueError, AttributeError, KeyError):
            out.append(template)
    return out


def test_howto_and_verdicts_not_judged_scam(domains) -> None:
    for text in _own_texts():
        v = judge(text, official_domains=domains)
        assert not v.is_scam, (v, text)


def test_every_english_message_not_judged_scam(domains) -> None:
    assert (LOCALE_DIR / "en" / "catalog.po").exists() and (LOCALE_DIR / "en" / "scam.po").exists()
    for text in _all_english_messages():
        v = judge(text, official_domains=domains)
        assert not v.is_scam, (v, text)
