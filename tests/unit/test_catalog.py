"""The provider catalog: it loads, covers every required provider, every fact is sourced, and the
checker catches the mistakes that would send a user to the wrong place."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.catalog import load_catalog, normalize_key
from bot.catalog.checks import Problem, catalog_check_main, check_catalog
from bot.core.links import find_links, is_messenger, is_shortener, within

TODAY = date(2026, 12, 2)

REQUIRED = {
    # Indonesia
    "axis": "id", "xl": "id", "telkomsel": "id", "byu": "id", "im3": "id", "tri": "id",
    "smartfren": "id",
    # Malaysia
    "hotlink": "my", "celcomdigi": "my", "umobile": "my", "yes": "my", "unifi": "my",
    "tunetalk": "my", "xox": "my", "redone": "my", "yoodo": "my",
    # Hong Kong, travel eSIMs, catch-all
    "cmhk": "hk", "travel-esim": "intl", "airalo": "intl", "holafly": "intl", "nomad": "intl", "ubigi": "intl",
    "other": "intl",
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_loads_and_is_cached(catalog) -> None:
    assert load_catalog() is catalog
    assert len(catalog.providers) >= len(REQUIRED)


@pytest.mark.parametrize("pid,country", sorted(REQUIRED.items()))
def test_required_provider_present(catalog, pid: str, country: str) -> None:
    provider = catalog.get(pid)
    assert provider is not None, pid
    assert provider.id == pid
    assert provider.country == country
    assert provider.country_info is not None


@pytest.mark.parametrize("alias,pid", [
    ("axis", "axis"), ("AXIS", "axis"), (" Axis ", "axis"), ("xl", "xl"), ("XL Axiata", "xl"),
    ("telkomsel", "telkomsel"), ("tsel", "telkomsel"), ("hotlink", "hotlink"), ("maxis", "hotlink"),
    ("by.U", "byu"), ("BY U", "byu"), ("celcom", "celcomdigi"), ("Digi", "celcomdigi"),
    ("u-mobile", "umobile"), ("中國移動香港", "cmhk"), ("eSIM", "travel-esim"), ("lainnya", "other"),
])
def test_get_ignores_case_space_punctuation(catalog, alias: str, pid: str) -> None:
    assert catalog.get(alias).id == pid


def test_get_unknown_is_none(catalog) -> None:
    assert catalog.get("vodafone-narnia") is None
    assert catalog.get("") is None


@pytest.mark.parametrize("typo,expected", [
    ("axsi", "axis"), ("telkomsl", "telkomsel"), ("smartfen", "smartfren"), ("hotlnk", "hotlink"),
])
def test_suggest(catalog, typo: str, expected: str) -> None:
    assert catalog.suggest(typo) == expected


def test_suggest_nothing_close(catalog) -> None:
    assert catalog.suggest("qqqqqqqq") is None
    assert catalog.suggest("") is None


@pytest.mark.parametrize("country,ids", [
    ("id", {"axis", "xl", "telkomsel", "byu", "im3", "tri", "smartfren"}),
    ("Indonesia", {"axis", "xl", "telkomsel", "byu", "im3", "tri", "smartfren"}),
    ("my", {"hotlink", "celcomdigi", "umobile", "yes", "unifi", "tunetalk", "xox", "redone", "yoodo"}),
    ("MALAYSIA", {"hotlink", "celcomdigi", "umobile", "yes", "unifi", "tunetalk", "xox", "redone", "yoodo"}),
    ("hk", {"cmhk", "csl", "club-sim", "smartone", "3hk", "cuhk", "valuegb"}),
    ("Hong Kong", {"cmhk", "csl", "club-sim", "smartone", "3hk", "cuhk", "valuegb"}),
])
def test_by_country(catalog, country: str, ids: set[str]) -> None:
    assert {p.id for p in catalog.by_country(country)} == ids


def test_by_unknown_country(catalog) -> None:
    assert catalog.by_country("atlantis") == []


def test_kinds(catalog) -> None:
    assert {p.kind for p in catalog.providers} <= {"mobile", "data", "esim"}
    esim = catalog.get("travel-esim")
    assert esim.kind == "esim"
    assert not esim.grace, "a travel eSIM has a validity end, not a grace period"


def test_other_has_no_facts(catalog) -> None:
    other = catalog.get("other")
    assert not other.has_facts()
    assert not other.domains


def test_official_domains(catalog) -> None:
    domains = catalog.official_domains()
    for d in ("telkomsel.com", "axis.co.id", "xl.co.id", "hotlink.com.my", "yes.my", "hk.chinamobile.com"):
        assert d in domains
    assert not any(is_messenger(d) or is_shortener(d) for d in domains)


def test_every_fact_has_source_and_date(catalog) -> None:
    facts = [f for p in catalog.providers for _, f in p.all_facts()]
    facts += [f for c in catalog.countries.values() for f in (*c.domains, *c.report, *c.notes)]
    assert facts
    for f in facts:
        assert f.source.startswith(("https://", "http://")), f
        assert isinstance(f.checked, date), f
        assert f.confidence in {"H", "M"}, f


def test_no_messenger_or_shortener_links(catalog) -> None:
    for p in catalog.providers:
        for field, f in p.all_facts():
            for text in (f.value, f.source):
                for link in find_links(text.lower()):
                    assert not is_messenger(link.host), (p.id, field, f)
                    assert not is_shortener(link.host), (p.id, field, f)


def test_fact_links_stay_on_official_domains(catalog) -> None:
    for p in catalog.providers:
        allowed = p.official_domains() | p.country_info.official_domains()
        for field, f in p.all_facts():
            if field == "domains":
                continue
            for link in find_links(f.value.lower()):
                assert within(link.host, allowed), (p.id, field, f.value)


def test_aliases_unique_across_providers(catalog) -> None:
    owner: dict[str, str] = {}
    for p in catalog.providers:
        for key in {normalize_key(k) for k in (p.id, *p.aliases)}:
            assert owner.setdefault(key, p.id) == p.id, key


def test_packaged_catalog_has_no_errors() -> None:
    problems = check_catalog(today=TODAY)
    assert [p for p in problems if p.severity == "error"] == []


def test_catalog_check_main_exit_status(capsys) -> None:
    assert catalog_check_main(["--today", TODAY.isoformat()]) == 0
    assert "0 error(s)" in capsys.readouterr().out


# ------------------------------------------------------------------ a deliberately bad catalog

GOOD_COUNTRY = """
[country]
code = "id"
name = "Indonesia"
domains = [{ value = "iasc.ojk.go.id", source = "https://iasc.ojk.go.id/Guest", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]
report = [{ value = "https://iasc.ojk.go.id", source = "https://iasc.ojk.go.id/Guest", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]
"""

OTHER = """
[[providers]]
id = "other"
name = "Other"
country = "id"
kind = "mobile"
"""


def _provider(pid: str, *, aliases: str = "[]", extra: str = "") -> str:
    return f"""
[[providers]]
id = "{pid}"
name = "{pid.upper()}"
aliases = {aliases}
country = "id"
kind = "mobile"
domains = [{{ value = "{pid}.co.id", source = "https://www.{pid}.co.id/", checked = 2026-11-01, confidence = "H", quote = "a short quote" }}]
{extra}
"""


def _check(tmp_path: Path, *bodies: str, max_age_days: int = 365, today: date = TODAY) -> list[Problem]:
    (tmp_path / "country.toml").write_text(GOOD_COUNTRY + OTHER, encoding="utf-8")
    for i, body in enumerate(bodies):
        (tmp_path / f"p{i}.toml").write_text(body, encoding="utf-8")
    return check_catalog(max_age_days, today, path=tmp_path)


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def test_minimal_catalog_is_clean(tmp_path: Path) -> None:
    assert _check(tmp_path, _provider("alpha")) == []


def test_duplicate_alias(tmp_path: Path) -> None:
    problems = _check(tmp_path, _provider("alpha", aliases='["shared"]'), _provider("beta", aliases='["Shared"]'))
    assert any("shared" in p.message.lower() and p.field == "aliases" for p in _errors(problems)), problems


def test_duplicate_id(tmp_path: Path) -> None:
    problems = _check(tmp_path, _provider("alpha"), _provider("alpha"))
    assert any(p.field == "id" and "duplicate" in p.message for p in _errors(problems)), problems


def test_alias_equal_to_another_id(tmp_path: Path) -> None:
    problems = _check(tmp_path, _provider("alpha"), _provider("beta", aliases='["alpha"]'))
    assert _errors(problems)


def test_telegram_link(tmp_path: Path) -> None:
    extra = 'websites = [{ value = "https://t.me/alpha_renew", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]'
    problems = _check(tmp_path, _provider("alpha", extra=extra))
    assert any("messenger" in p.message and p.provider == "alpha" for p in _errors(problems)), problems


def test_whatsapp_and_shortener_links(tmp_path: Path) -> None:
    extra = """support = [
  { value = "https://wa.me/628123456789", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "H", quote = "a short quote" },
  { value = "https://bit.ly/alpha", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "H", quote = "a short quote" },
]"""
    messages = [p.message for p in _errors(_check(tmp_path, _provider("alpha", extra=extra)))]
    assert any("messenger" in m for m in messages), messages
    assert any("shortener" in m for m in messages), messages


def test_shortener_as_source(tmp_path: Path) -> None:
    extra = 'apps = [{ value = "AlphaApp", source = "https://bit.ly/alpha-source", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]'
    assert _errors(_check(tmp_path, _provider("alpha", extra=extra)))


def test_off_domain_link(tmp_path: Path) -> None:
    extra = 'websites = [{ value = "https://alpha-renew.example.com/topup", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]'
    problems = _check(tmp_path, _provider("alpha", extra=extra))
    assert any("outside the official domains" in p.message for p in _errors(problems)), problems


def test_off_domain_email(tmp_path: Path) -> None:
    extra = 'report = [{ value = "help@alpha-support.net", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]'
    assert any("outside" in p.message for p in _errors(_check(tmp_path, _provider("alpha", extra=extra))))


def test_country_reporting_domain_is_allowed(tmp_path: Path) -> None:
    extra = 'report = [{ value = "https://iasc.ojk.go.id", source = "https://iasc.ojk.go.id/Guest", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]'
    assert _check(tmp_path, _provider("alpha", extra=extra)) == []


def test_missing_source(tmp_path: Path) -> None:
    extra = 'check_active = [{ value = "*999#", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]'
    problems = _errors(_check(tmp_path, _provider("alpha", extra=extra)))
    assert any(p.provider == "alpha" and p.field == "check_active[0].source" for p in problems), problems


def test_missing_date(tmp_path: Path) -> None:
    extra = 'support = [{ value = "999", source = "https://www.alpha.co.id/", confidence = "H", quote = "a short quote" }]'
    problems = _errors(_check(tmp_path, _provider("alpha", extra=extra)))
    assert any(p.field == "support[0].checked" for p in problems), problems


def test_unconfirmed_fact_rejected(tmp_path: Path) -> None:
    extra = 'grace = [{ value = "60", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "UNCONFIRMED" }]'
    assert _errors(_check(tmp_path, _provider("alpha", extra=extra)))


def test_stale_date_is_a_warning(tmp_path: Path) -> None:
    old = (TODAY - timedelta(days=400)).isoformat()
    extra = f'apps = [{{ value = "AlphaApp", source = "https://www.alpha.co.id/", checked = {old}, confidence = "H", quote = "a short quote" }}]'
    problems = _check(tmp_path, _provider("alpha", extra=extra))
    assert _errors(problems) == []
    assert [p.severity for p in problems] == ["warning"]
    assert "400 days" in problems[0].message
    # ... and configurable
    assert _check(tmp_path, _provider("alpha", extra=extra), max_age_days=500) == []


def test_future_date_is_an_error(tmp_path: Path) -> None:
    extra = 'apps = [{ value = "AlphaApp", source = "https://www.alpha.co.id/", checked = 2027-06-01, confidence = "H", quote = "a short quote" }]'
    assert any("future" in p.message for p in _errors(_check(tmp_path, _provider("alpha", extra=extra))))


def test_unknown_message_id(tmp_path: Path) -> None:
    extra = 'notes = [{ value = "x", text = "fact.no.such.id", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]'
    assert any("not in" in p.message for p in _errors(_check(tmp_path, _provider("alpha", extra=extra))))


def test_esim_with_grace(tmp_path: Path) -> None:
    body = _provider("alpha", extra='grace = [{ value = "30", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]')
    body = body.replace('kind = "mobile"', 'kind = "esim"')
    assert any(p.field == "grace" for p in _errors(_check(tmp_path, body)))


def test_schema_error_and_bad_toml(tmp_path: Path) -> None:
    body = _provider("alpha").replace('kind = "mobile"', 'kind = "satellite"')
    assert any(p.field == "kind" for p in _errors(_check(tmp_path, body)))
    (tmp_path / "broken.toml").write_text("[[providers]\nid = ", encoding="utf-8")
    assert any(p.field == "toml" for p in _errors(check_catalog(today=TODAY, path=tmp_path)))


def test_main_exits_nonzero_on_errors(tmp_path: Path, capsys) -> None:
    extra = 'websites = [{ value = "https://t.me/alpha", source = "https://www.alpha.co.id/", checked = 2026-11-01, confidence = "H", quote = "a short quote" }]'
    _check(tmp_path, _provider("alpha", extra=extra))
    assert catalog_check_main(["--path", str(tmp_path), "--today", TODAY.isoformat()]) == 1
    assert "t.me" in capsys.readouterr().out


def test_main_warnings_only_exit_zero(tmp_path: Path) -> None:
    extra = 'apps = [{ value = "AlphaApp", source = "https://www.alpha.co.id/", checked = 2020-01-01, confidence = "H", quote = "a short quote" }]'
    _check(tmp_path, _provider("alpha", extra=extra))
    argv = ["--path", str(tmp_path), "--today", TODAY.isoformat()]
    assert catalog_check_main(argv) == 0
    assert catalog_check_main([*argv, "--max-age-days", "10000"]) == 0


# ------------------------------------------------------------------ schema of issue 11

def _q(value: str, **more: str) -> str:
    extra = "".join(f", {k} = {v}" for k, v in more.items())
    return (f'{{ value = "{value}", source = "https://www.alpha.co.id/", checked = 2026-11-01, '
            f'confidence = "H"{extra} }}')


def test_applies_to_must_name_a_variant(tmp_path: Path) -> None:
    fact = _q("50", quote='"50 days"', applies_to='["nope"]')
    extra = f'variants = [{{ id = "starter", name = "Starter pack" }}]\ngrace = [{fact}]'
    errors = _errors(_check(tmp_path, _provider("alpha", extra=extra)))
    assert any("unknown variant 'nope'" in p.message for p in errors)


def test_known_variant_is_clean(tmp_path: Path) -> None:
    fact = _q("50", quote='"50 days"', applies_to='["starter"]')
    extra = f'variants = [{{ id = "starter", name = "Starter pack", aliases = ["alpha starter"] }}]\ngrace = [{fact}]'
    assert _check(tmp_path, _provider("alpha", extra=extra)) == []


def test_country_without_report_channel(tmp_path: Path) -> None:
    (tmp_path / "country.toml").write_text(
        GOOD_COUNTRY.replace("report = [", "# report = [") + OTHER, encoding="utf-8")
    problems = check_catalog(365, TODAY, path=tmp_path)
    assert any(p.field == "report" and "scam-report" in p.message for p in _errors(problems))


def test_missing_quote_is_reported(tmp_path: Path) -> None:
    extra = f"apps = [{_q('AlphaApp')}]"
    problems = _check(tmp_path, _provider("alpha", extra=extra))
    assert any("no quote" in p.message for p in problems)


@pytest.mark.parametrize("value,what", [("validity end", "English phrase"), ("2 May 2023", "date inside")])
def test_value_must_not_be_english_words_or_date(tmp_path: Path, value: str, what: str) -> None:
    fact = _q(value, quote='"quoted"', text='"fact.hotline"')
    extra = f"notes = [{fact}]"
    errors = _errors(_check(tmp_path, _provider("alpha", extra=extra)))
    assert any(what in p.message for p in errors), errors


def test_renewal_rule_checked(tmp_path: Path) -> None:
    rule = ('renewal = [{ mode = "fixed_period", source = "https://www.alpha.co.id/", '
            'checked = 2026-11-01, confidence = "H", quote = "valid for 30 days" }]')
    errors = _errors(_check(tmp_path, _provider("alpha", extra=rule)))
    assert any("needs 'days'" in p.message for p in errors)


def test_variant_alias_resolves_to_variant() -> None:
    cat = load_catalog()
    for p in cat.providers:
        for v in p.variants:
            for alias in v.aliases:
                found = cat.resolve(alias)
                assert found is not None and found[0].id == p.id and found[1] is not None
                assert found[1].id == v.id, (alias, p.id)


def test_every_id_alias_and_local_name_resolves_to_its_provider(catalog) -> None:
    for p in catalog.providers:
        for key in (p.id, p.name, *p.aliases, *p.local_names.values()):
            assert catalog.get(key) is p, (key, p.id)
            assert catalog.get(f"  {key.upper()} ") is p, key


def test_every_country_has_a_scam_report_channel(catalog) -> None:
    for code, country in catalog.countries.items():
        if code != "intl":
            assert country.report, code
    assert {p.country for p in catalog.providers} <= set(catalog.countries)


def test_every_fact_has_a_quote(catalog) -> None:
    for p in catalog.providers:
        for field, fact in p.all_facts():
            assert fact.quote, (p.id, field, fact.value)
        for rule in p.renewal:
            assert rule.quote, (p.id, rule.mode)
    for c in catalog.countries.values():
        for fact in (*c.domains, *c.report, *c.notes):
            assert fact.quote, (c.code, fact.value)


def test_issue_11_coverage(catalog) -> None:
    """At least 45 providers in at least 9 countries (issue 11)."""
    real = [p for p in catalog.providers if p.country != "intl"]
    assert len(catalog.providers) >= 45
    assert len({p.country for p in real}) >= 9
