"""A user who writes only Chinese, or only Indonesian, gets only that language back."""
from __future__ import annotations

import re

import pytest

from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
from tests.integration.matrix_user import MatrixUser

pytestmark = pytest.mark.integration

HAN = re.compile(r"[\u4e00-\u9fff]")
#: Words of the English catalog that must never reach a user who writes another language.
ENGLISH = re.compile(r"\b(Line|added|expires|Your lines|Commands|reminder|days left|removed|renewed)\b")


def english_left(body: str) -> bool:
    """English catalog words, outside the "(renewed)"-style command names that help shows."""
    return bool(ENGLISH.search(re.sub(r"[(（][^)）]*[)）]", "", body)))


def only_chinese(body: str) -> bool:
    return bool(HAN.search(body)) and not english_left(body)


async def test_chinese_only(alice: MatrixUser, bot: BotProcess) -> None:
    room = await open_dm(alice, bot)
    for cmd, expected in [
        ("帮助", "命令"),
        ("添加 telkomsel 2026年12月31日 我的卡", "2026年12月31日"),
        ("列表", "我的卡"),
        ("已续费 1 30天后", "续费"),
        ("怎么续费 1", "MyTelkomsel"),
        ("修改 1 标签 妈妈的卡", "妈妈的卡"),
        ("删除 1", "删除"),
        ("添加 axis 昨天", "过去"),  # a mistake: still answered in Chinese
    ]:
        r = await ask(alice, room, cmd)
        assert expected in r.body, (cmd, r.body)
        assert only_chinese(r.body), (cmd, r.body)
    # Traditional Chinese is told apart from simplified.
    r = await ask(alice, room, "language zh-Hant")
    r = await ask(alice, room, "清單")
    assert "張" in r.body or "卡" in r.body
    assert not re.search("[张这们续删设帮]", r.body), r.body


async def test_indonesian_only(alice: MatrixUser, bot: BotProcess) -> None:
    room = await open_dm(alice, bot)
    for cmd, expected in [
        ("bantuan", "Perintah"),
        ("tambah axis besok Kartu saya", "ditambahkan"),
        ("daftar", "Kartu saya"),
        ("sudah perpanjang 1 30 hari lagi", "diperpanjang"),
        ("cara isi ulang axis", "AXISnet"),
        ("hapus 1", "dihapus"),
        ("tambah axis kemarin", "sudah lewat"),  # a date in the past, refused in Indonesian
    ]:
        r = await ask(alice, room, cmd)
        assert expected.lower() in r.body.lower(), (cmd, r.body)
        assert not english_left(r.body), (cmd, r.body)
