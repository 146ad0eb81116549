"""Guessing the user's language from what they write (bot/core/langdetect.py)."""
from __future__ import annotations

import pytest

from bot.core.langdetect import detect_language, latin_scores

CASES: list[tuple[str, str | None]] = [
    # --- simplified Chinese --------------------------------------------------------------------
    ("帮我续费", "zh-Hans"),
    ("我的卡什么时候到期", "zh-Hans"),
    ("添加 axis 2026年12月31日", "zh-Hans"),
    ("删除 2", "zh-Hans"),
    ("请提醒我", "zh-Hans"),
    ("这张卡下个月5号到期", "zh-Hans"),
    ("设置语言", "zh-Hans"),
    ("明天到期", "zh-Hans"),  # no script-specific character: simplified by default
    ("卡", "zh-Hans"),
    ("怎么充值？", "zh-Hans"),
    ("已续费", "zh-Hans"),
    # --- traditional Chinese -------------------------------------------------------------------
    ("幫我續費", "zh-Hant"),
    ("我的卡什麼時候到期", "zh-Hant"),
    ("刪除 2", "zh-Hant"),
    ("請提醒我", "zh-Hant"),
    ("這張卡下個月5號到期", "zh-Hant"),
    ("設定語言", "zh-Hant"),
    ("已續費", "zh-Hant"),
    ("我張卡聽日到期嘅", "zh-Hant"),  # Cantonese particle, no other signal
    ("台灣的網路", "zh-Hant"),
    ("週五到期", "zh-Hant"),
    # --- Indonesian ----------------------------------------------------------------------------
    ("saya mau perpanjang kartu", "id"),
    ("kartu saya habis besok", "id"),
    ("kapan pulsa saya habis?", "id"),
    ("bisa bantu saya?", "id"),
    ("gimana cara isi ulang", "id"),
    ("tolong hapus nomor ini", "id"),
    ("masa aktif kartu saya", "id"),
    ("sudah diperpanjang, makasih", "id"),
    ("nggak bisa daftar", "id"),
    ("31 Desember", "id"),
    ("tambah axis 31 Desember 2026", "id"),
    # --- Malay ---------------------------------------------------------------------------------
    ("boleh tolong ingatkan saya", "ms"),
    ("kad saya akan tamat esok", "ms"),
    ("macam mana nak tambah nilai", "ms"),
    ("bila kad saya tamat tempoh?", "ms"),
    ("sila padam nombor ini", "ms"),
    ("tak boleh topup", "ms"),
    ("tarikh tamat talian saya", "ms"),
    ("31 Disember", "ms"),
    ("kemas kini tetapan", "ms"),
    ("senarai", "ms"),
    # --- English -------------------------------------------------------------------------------
    ("add axis 2026-12-31", "en"),
    ("my sim expires tomorrow", "en"),
    ("please remind me", "en"),
    ("how do I renew my card?", "en"),
    ("list", "en"),
    ("help", "en"),
    ("remove 2", "en"),
    ("!sim add axis 31 Dec 2026", "en"),
    ("thanks, it's renewed", "en"),
    # --- undecided -----------------------------------------------------------------------------
    ("2026-12-31", None),
    ("30d", None),
    ("+30", None),
    ("", None),
    ("   ", None),
    ("ok", None),
    ("axis", None),
    ("saya sudah", None),  # shared by Indonesian and Malay
    ("terima kasih", None),
    ("tolong", None),
    ("こんにちは", None),
    ("안녕하세요", None),
    ("👍", None),
    ("@bot:example.org https://example.org", None),
]


def test_table_is_large() -> None:
    assert len(CASES) >= 40
    assert {lang for _, lang in CASES} == {"en", "zh-Hans", "zh-Hant", "id", "ms", None}


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_scores_add_up_over_messages() -> None:
    a = latin_scores("saya sudah")
    b = latin_scores("boleh ke?")
    assert a["id"] == a["ms"] == 0 and a["malay"] == 2
    assert b["ms"] > b["id"]


def test_script_tables_are_disjoint_and_aligned() -> None:
    from bot.core import langdetect

    assert len(langdetect._SIMP) == len(langdetect._TRAD)
    assert not set(langdetect._SIMP) & set(langdetect._TRAD + langdetect._TRAD_ONLY_EXTRA)
    assert all(s != t for s, t in zip(langdetect._SIMP, langdetect._TRAD, strict=False))
