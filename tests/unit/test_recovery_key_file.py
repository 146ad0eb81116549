"""The recovery key made at the first start goes to a 0600 file, and to the screen only when
the screen is a terminal: under systemd, stderr is a journal that keeps it for good."""
from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from bot.config import Config, parse_config
from bot.matrix.crosssigning import decode_recovery_key
from bot.matrix.identity import RECOVERY_FILE, announce_recovery_key, configured_recovery_key

KEY = bytes(range(32))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _config(tmp_path: Path, **matrix: object) -> Config:
    return parse_config({
        "matrix": {"homeserver": "https://hs.x", "user_id": "@bot:x", "password": "x", **matrix},
        "bot": {"data_dir": str(tmp_path / "data")},
    })


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_not_a_terminal_the_key_is_only_in_a_0600_file(tmp_path: Path) -> None:
    config = _config(tmp_path)
    config.bot.data_dir.mkdir()
    out = io.StringIO()
    path = announce_recovery_key(config, KEY, "@bot:x", out=out)
    assert path == config.bot.data_dir / RECOVERY_FILE and _mode(path) == 0o600
    text = path.read_text().strip()
    assert decode_recovery_key(text) == KEY
    said = out.getvalue()
    assert text not in said and text.replace(" ", "") not in said.replace(" ", "")
    assert str(path) in said and "password manager" in said and "delete that file" in said


def test_on_a_terminal_the_key_is_shown_once_too(tmp_path: Path) -> None:
    config = _config(tmp_path)
    config.bot.data_dir.mkdir()
    out = Terminal()
    path = announce_recovery_key(config, KEY, "@bot:x", out=out)
    assert out.getvalue().count(path.read_text().strip()) == 1


def test_a_configured_recovery_key_file_that_is_not_there_yet_gets_the_key(tmp_path: Path) -> None:
    """The operator names the file in advance (outside data_dir): the first start has no key to
    read yet, makes one and writes it there, and the next start reads it from there."""
    key_file = tmp_path / "secrets" / "recovery-key"
    key_file.parent.mkdir()
    config = _config(tmp_path, recovery_key_file=str(key_file))
    config.bot.data_dir.mkdir()
    assert configured_recovery_key(config) is None  # not an error: the file is made below
    out = io.StringIO()
    assert announce_recovery_key(config, KEY, "@bot:x", out=out) == key_file
    assert _mode(key_file) == 0o600 and not (config.bot.data_dir / RECOVERY_FILE).exists()
    assert configured_recovery_key(config) == KEY
    assert "where the bot reads it" in out.getvalue()


def test_a_configured_file_holding_another_key_is_left_alone(tmp_path: Path) -> None:
    key_file = tmp_path / "recovery-key"
    key_file.write_text("an older key\n")
    config = _config(tmp_path, recovery_key_file=str(key_file))
    config.bot.data_dir.mkdir()
    out = io.StringIO()
    path = announce_recovery_key(config, KEY, "@bot:x", out=out)
    assert key_file.read_text() == "an older key\n"
    assert path == config.bot.data_dir / RECOVERY_FILE and decode_recovery_key(path.read_text().strip()) == KEY
    assert "holds another key" in out.getvalue()


def test_an_unreadable_configured_key_file_is_still_an_error(tmp_path: Path) -> None:
    key_file = tmp_path / "dir-not-file"
    key_file.mkdir()
    config = _config(tmp_path, recovery_key_file=str(key_file))
    with pytest.raises(ValueError, match="recovery_key_file"):
        configured_recovery_key(config)
