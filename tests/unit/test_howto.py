"""Rendering the official renewal steps: facts inline, sources only in the full form, every value
escaped in HTML, the short form small enough for a ping."""
from __future__ import annotations

from datetime import date

import pytest

from bot.catalog import load_catalog
from bot.core.howto import howto_command, howto_full, howto_short, providers_text
from bot.core.provider import Provider
from bot.core.scam import Verdict
from bot.core.scam_render import render_verdict

SOURCE = {"source": "https://www.evil.co.id/", "checked": date(2026, 11, 1), "confidence": "H"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _hostile() -> Provider:
    return Provider.model_validate({
        "id": "evil", "name": "<b>Evil & Co</b>", "country": "id", "kind": "mobile",
        "apps": [{"value": "<script>alert(1)</script>", **SOURCE}],
        "websites": [{"value": 'https://www.evil.co.id/?a=1&b="x"', **SOURCE}],
        "notes": [{"value": "<img src=x>", **SOURCE}],
    })


def test_html_escapes_every_value() -> None:
    p = _hostile()
    for plain, html in (howto_full(p, "en"), howto_short(p, "en", 1)):
        assert "<script>" not in html and "<img" not in html and "<b>Evil" not in html
        assert "&lt;script&gt;" in html
        assert "<script>" in plain  # plain text is not HTML: shown as is
    html = howto_full(p, "en")[1]
    assert 'href="https://www.evil.co.id/?a=1&amp;b=&quot;x&quot;"' in html


def test_verdict_html_escapes() -> None:
    _, html = render_verdict(Verdict(True, 2.0, ("messenger_contact",)), "en", providers=[_hostile()])
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("pid", [p.id for p in load_catalog().providers])
def test_short_form_is_two_to_four_lines(catalog, pid: str) -> None:
    p = catalog.get(pid)
    plain, html = howto_short(p, "en", 3)
    lines = plain.splitlines()
    assert 2 <= len(lines) <= 4
    assert lines[-1].endswith("howto 3")
    assert howto_short(p, "en")[0].splitlines()[-1].endswith(f"howto {p.id}")
    assert "Sources" not in plain


@pytest.mark.parametrize("pid", [p.id for p in load_catalog().providers])
def test_full_form_sections(catalog, pid: str) -> None:
    p = catalog.get(pid)
    plain, html = howto_full(p, "en")
    assert "Online" in plain and "OTP" in plain and "Telegram" in plain
    assert ("Sources (checked" in plain) == bool(p.all_facts() or (p.country_info and p.country_info.report))
    assert html.startswith("<b>")


def test_facts_are_shown(catalog) -> None:
    plain = howto_full(catalog.get("telkomsel"), "en")[0]
    for value in ("MyTelkomsel", "https://www.telkomsel.com", "*888#", "188", "1166", "365"):
        assert value in plain
    plain = howto_full(catalog.get("smartfren"), "en")[0]
    assert "30 days" in plain


def test_unconfirmed_facts_send_to_official_channels(catalog) -> None:
    plain = howto_full(catalog.get("axis"), "en")[0]
    assert "AXISnet" in plain
    assert "not confirmed" in plain          # grace period is UNCONFIRMED for AXIS
    assert "*123#" not in plain and "*888#" not in plain   # blog-only codes never shown
    byu = howto_full(catalog.get("byu"), "en")[0]
    assert "https://byu.id" in byu and "Grace period: not confirmed" in byu


def test_other_and_esim(catalog) -> None:
    other = howto_full(catalog.get("other"), "en")[0]
    assert "your provider's own app" in other
    esim = howto_full(catalog.get("travel-esim"), "en")[0]
    assert "no grace period" in esim and "provider's own app" in esim
    assert "Shops and vouchers" not in esim
    # Airalo's own rules are Airalo's: the generic entry does not show them.
    assert "TOP UP" not in esim and "Airalo" not in esim
    airalo = howto_full(catalog.get("airalo"), "en")[0]
    assert "TOP UP" in airalo and "no grace period" in airalo


def test_howto_command() -> None:
    p = load_catalog().get("axis")
    assert howto_command(p) == "howto axis"
    assert howto_command(p, 2, "!rb ") == "!rb howto 2"


def test_providers_text(catalog) -> None:
    plain, html = providers_text(catalog.by_country("my"), "en", "Malaysia")
    assert "hotlink - Maxis Hotlink" in plain and "other" in plain
    assert "<li>" in html


def test_mentioned(catalog) -> None:
    ids = [p.id for p in catalog.mentioned("Pulsa murah Telkomsel dan XL, juga Maxis. yes!")]
    assert ids == ["xl", "telkomsel", "hotlink"]


def test_only_official_sources_are_links(catalog) -> None:
    """A news site named as a source is not a channel: shown, but not linked."""
    html = howto_full(catalog.require("telkomsel"), "en")[1]
    assert 'href="https://telkomsel.com/support/masaaktif"' in html
    assert "teknologi.bisnis.com" in html and 'href="https://teknologi.bisnis.com' not in html
