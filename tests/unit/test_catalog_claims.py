"""Every number the bot states about a carrier is in the quote of its source.

``catalog check`` fails on a USSD code, phone number, grace or validity length, amount or date that
the fact's quote does not show (in its value, in the words of its message, or its ``on`` date), and
on a renewal rule whose days are not quoted: a number nobody can point to on the carrier's page is
not sent to a worried user. Also: the checker and ``--online`` do not import each other, and facts
and renewal rules share one definition of "sourced".
"""
from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.catalog import load_catalog
from bot.catalog.checks import check_catalog, unquoted_numbers
from bot.core.provider import Fact, Renewal
from bot.i18n import catalog as messages

TODAY = date(2026, 12, 2)
COUNTRY = """
[country]
code = "id"
name = "Indonesia"
report = [{ value = "https://aduannomor.id", source = "https://aduannomor.id/", checked = 2026-11-01, confidence = "H", quote = "Aduan Nomor" }]
domains = [{ value = "aduannomor.id", source = "https://aduannomor.id/", checked = 2026-11-01, confidence = "H", quote = "Aduan Nomor" }]

[[providers]]
id = "other"
name = "Other"
country = "id"
kind = "mobile"
"""


def _check(tmp_path: Path, field: str, fact: str, extra: str = "") -> list[str]:
    (tmp_path / "c.toml").write_text(COUNTRY + f"""
[[providers]]
id = "alpha"
name = "Alpha"
country = "id"
kind = "mobile"
domains = [{{ value = "alpha.co.id", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "H", quote = "Alpha" }}]
{field} = [{fact}]
{extra}
""", encoding="utf-8")
    return [p.message for p in check_catalog(365, TODAY, path=tmp_path) if p.severity == "error"]


def _fact(value: str, quote: str, **more: str) -> str:
    extra = "".join(f", {k} = {v}" for k, v in more.items())
    return (f'{{ value = "{value}", source = "https://www.alpha.co.id/faq", checked = 2026-11-01, '
            f'confidence = "H", quote = "{quote}"{extra} }}')


@pytest.mark.parametrize("field,value,quote", [
    ("check_active", "*123#", "Dial *888# to check your balance"),          # another code
    ("support", "188", "Call our call centre any time"),                  # no number at all
    ("support", "+852 12580", "Customer Care Hotline 12580"),              # the country code is not shown
    ("grace", "30", "Grace period 60 days"),                               # another length
    ("topup", "*122*1#", "Dial *122# to top up"),
])
def test_an_unquoted_code_number_or_length_fails(tmp_path: Path, field: str, value: str, quote: str) -> None:
    errors = _check(tmp_path, field, _fact(value, quote))
    assert any(m.startswith("unquoted claim") for m in errors), errors


@pytest.mark.parametrize("field,value,quote", [
    ("check_active", "*122*1#", "您可於手機撥打 *122*1# 查詢該卡之有效日期"),
    ("support", "+852 12580", "24-hour Customer Care Hotline (852) 12580"),
    ("support", "400 120 4000", "China Roaming Customer Service Hotline 400 120 4000"),
    ("grace", "45", "Tune Talk 的宽限期为45天"),
    ("grace", "30", "Denomination Active Period Type Grace Period 5.000 7 days Electronic 30 days"),
    ("notes", "6", "the validity period will extend six months from the date of recharge"),  # a number word
    ("support", "１６２７", "please call our Customer Service Hotline at 1627"),  # full-width digits
])
def test_a_quoted_code_number_or_length_passes(tmp_path: Path, field: str, value: str, quote: str) -> None:
    assert _check(tmp_path, field, _fact(value, quote)) == []


def test_names_and_addresses_are_not_claims(tmp_path: Path) -> None:
    """A digit in an app name or a link proves nothing and needs no quote."""
    assert _check(tmp_path, "apps", _fact("M1 App", "the app")) == []
    assert _check(tmp_path, "websites", _fact("https://www.alpha.co.id/4g", "our site")) == []


def test_a_number_in_the_message_must_be_quoted_too(tmp_path: Path) -> None:
    """``fact.hotlink.starter_grace`` says "5 days of validity, then a {value}-day grace": the quote
    must show the 5 as well as the 50."""
    assert "5" in messages("en")["fact.hotlink.starter_grace"]
    fact = _fact("50", "并额外提供50天的信贷宽限期", text='"fact.hotlink.starter_grace"')
    errors = _check(tmp_path, "grace", fact)
    assert any("unquoted claim: 5 " in m for m in errors), errors
    fact = _fact("50", "将会提供5天的有效期限，并额外提供50天的信贷宽限期", text='"fact.hotlink.starter_grace"')
    assert _check(tmp_path, "grace", fact) == []


def test_an_on_date_must_be_quoted(tmp_path: Path) -> None:
    fact = _fact("MCMC", "person-to-person SMS with URL link will be blocked", on="2023-05-02",
                 text='"fact.my.sms_links_blocked"')
    errors = _check(tmp_path, "notes", fact)
    assert any("unquoted claim: 2, 2023" in m for m in errors), errors
    fact = _fact("MCMC", "will be blocked effective 2 May 2023", on="2023-05-02", text='"fact.my.sms_links_blocked"')
    assert _check(tmp_path, "notes", fact) == []


def test_a_dated_article_shows_the_year(tmp_path: Path) -> None:
    fact = ('{ value = "APTG", on = 2023-12-15, text = "fact.tw.aptg_merged", '
            'source = "https://www.ettoday.net/news/20231129/2633304.htm", checked = 2026-11-01, '
            'confidence = "M", quote = "遠亞併也在12月15日正式合併" }')
    assert _check(tmp_path, "notes", fact) == []


@pytest.mark.parametrize("rule,bad", [
    ('mode = "add_days", what = "topup", cap_days = 365, quote = "maksimal 90 hari"', True),
    ('mode = "add_days", what = "topup", cap_days = 365, quote = "maksimal penambahan masa aktif sebanyak 365 hari"', False),
    ('mode = "fixed_period", what = "topup", days = 365, quote = "validity reset to one year"', True),
])
def test_renewal_rule_days_must_be_quoted(tmp_path: Path, rule: str, bad: bool) -> None:
    extra = (f'renewal = [{{ {rule}, source = "https://www.alpha.co.id/r", checked = 2026-11-01, '
             'confidence = "H" }]')
    errors = _check(tmp_path, "apps", _fact("Alpha", "Alpha app"), extra=extra)
    assert any(m.startswith("unquoted claim") for m in errors) is bad, errors


@pytest.mark.parametrize("rule,error", [
    ('mode = "fixed_period", what = "topup", quote = "6 months"', "needs 'days' or 'months'"),
    ('mode = "fixed_period", what = "topup", days = 180, months = 6, quote = "180 days or 6 months"', "needs 'days' or 'months'"),
    ('mode = "add_days", what = "topup", months = 6, quote = "6 months"', "for fixed_period renewals only"),
    ('mode = "fixed_period", what = "topup", months = 6, quote = "restarts three months from the recharge"', "unquoted claim: 6"),
])
def test_renewal_months_are_checked(tmp_path: Path, rule: str, error: str) -> None:
    extra = (f'renewal = [{{ {rule}, source = "https://www.alpha.co.id/r", checked = 2026-11-01, '
             'confidence = "H" }]')
    errors = _check(tmp_path, "apps", _fact("Alpha", "Alpha app"), extra=extra)
    assert any(error in m for m in errors), errors


def test_the_packaged_catalog_quotes_every_number() -> None:
    """The audit of issue 11, kept: every USSD code, phone number, grace, validity, amount and date
    of every provider and country is in its quote."""
    en = messages("en")
    cat = load_catalog()
    facts = [(f, fact) for p in cat.providers for f, fact in p.all_facts()]
    facts += [(f, fact) for c in cat.countries.values()
              for f, group in (("domains", c.domains), ("report", c.report), ("notes", c.notes)) for fact in group]
    missing = [(f, fact.value, unquoted_numbers(f, fact, en.get(fact.text) if fact.text else None))
               for f, fact in facts]
    assert [m for m in missing if m[2]] == []
    codes = [fact for f, fact in facts if "*" in fact.value and "#" in fact.value]
    assert codes and all(fact.quote for fact in codes)


def test_no_provider_states_digis_128_without_its_page() -> None:
    """``*128#``'s only page ("How do I transfer credit?") has no recoverable address: dropped."""
    cat = load_catalog()
    assert not [p.id for p in cat.providers for _, f in p.all_facts() if f.value == "*128#"]


# --- structure ------------------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in tree.body:  # module level only: a lazy import inside a function is not a cycle
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_checks_and_online_do_not_import_each_other() -> None:
    pkg = Path(__file__).resolve().parents[2] / "bot" / "catalog"
    assert "bot.catalog.checks" not in _imports(pkg / "online.py")
    assert "bot.catalog.online" not in _imports(pkg / "checks.py")
    assert "bot.catalog.problems" in _imports(pkg / "online.py") & _imports(pkg / "checks.py")


def test_facts_and_renewal_rules_share_one_definition_of_sourced() -> None:
    base = {"source": "ftp://example.com", "checked": "2026-11-01", "confidence": "H"}
    with pytest.raises(ValidationError):
        Fact.model_validate({"value": "1", **base})
    with pytest.raises(ValidationError):
        Renewal.model_validate({"mode": "add_days", **base})
    ok = {**base, "source": "https://example.com", "applies_to": ["digi"]}
    fact = Fact.model_validate({"value": "1", **ok})
    rule = Renewal.model_validate({"mode": "add_days", **ok})
    for variant, seen in (("digi", True), ("celcom", False), (None, False)):
        assert fact.applies(variant) is seen and rule.applies(variant) is seen


_MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


@pytest.mark.parametrize("lang", ["id", "ms", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK"])
def test_translations_state_the_same_numbers_as_english(lang: str) -> None:
    """A translation may not add or drop a number the English message states (the quote check
    reads the English one): only a month written as a number in Chinese (2025 年 4 月) may differ."""
    en, tr = messages("en"), messages(lang)
    placeholder, number = re.compile(r"\{[^}]*\}"), re.compile(r"\d+")
    drift = []
    for key, text in en.items():
        if not key.startswith(("fact.", "howto.", "renewal.")) or key not in tr:
            continue
        a = set(number.findall(placeholder.sub(" ", text)))
        b = set(number.findall(placeholder.sub(" ", tr[key])))
        if lang.startswith("zh") and _MONTHS.search(text):
            b -= {str(m) for m in range(1, 13)}
        if a != b:
            drift.append((key, sorted(a), sorted(b)))
    assert drift == []


def test_catalog_check_only_is_refused_without_online_or_with_an_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    """`--only` with a typo must not look like a pass (exit 0, "0 errors")."""
    from bot.catalog.checks import catalog_check_main

    assert catalog_check_main(["--only", "axis"]) == 2
    assert "--online" in capsys.readouterr().err
    assert catalog_check_main(["--online", "--only", "no-such-carrier"]) == 1
    assert "no-such-carrier" in capsys.readouterr().out
