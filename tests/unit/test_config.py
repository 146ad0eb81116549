"""Config: a valid file parses to typed values; every mistake is one clear ConfigError naming the key."""
from __future__ import annotations

import copy
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config, ConfigError, load_config, parse_config

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "hunter2-very-secret"
TOKEN = "syt_c2VjcmV0_token_value"


def full() -> dict[str, Any]:
    return {
        "matrix": {
            "homeserver": "https://matrix.example.org/",
            "user_id": "@renewal-bot:example.org",
            "password": PASSWORD,
            "device_name": "rb-test",
            "encryption": False,
        },
        "bot": {
            "command_prefix": "!rb",
            "data_dir": "/var/lib/renewal-bot",
            "default_timezone": "Asia/Jakarta",
            "default_time": "08:15",
            "default_lead_days": [1, 7, 3, 7, 0],
            "after_expiry_days": [7, 1],
            "default_language": "id",
            "sweep_seconds": 30,
            "log_level": "debug",
        },
        "access": {"allowed_users": ["@*:example.org", "@friend:other.org"], "admins": ["@me:example.org"]},
        "limits": {
            "max_lines_per_owner": 10,
            "max_label_length": 40,
            "max_message_length": 500,
            "commands_per_minute": 5,
            "lines_per_page": 7,
        },
    }


def minimal(**matrix: Any) -> dict[str, Any]:
    m = {"homeserver": "https://hs.example.org", "user_id": "@bot:example.org"}
    m.update(matrix)
    return {"matrix": m}


def config_error(data: dict[str, Any], **kw: Any) -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(data, **kw)
    msg = str(info.value)
    assert "Traceback" not in msg and PASSWORD not in msg and TOKEN not in msg
    return msg


# --- valid configs -----------------------------------------------------------------------------


def test_a_full_valid_config_parses_to_typed_values() -> None:
    cfg = parse_config(full())
    assert isinstance(cfg, Config)
    assert cfg.matrix.homeserver == "https://matrix.example.org"  # trailing slash dropped
    assert cfg.matrix.server_name == "example.org"
    assert cfg.matrix.resolved_password() == PASSWORD
    assert cfg.matrix.resolved_access_token() is None
    assert (cfg.matrix.device_name, cfg.matrix.encryption) == ("rb-test", False)
    b = cfg.bot
    assert b.command_prefix == "!rb"
    assert b.data_dir == Path("/var/lib/renewal-bot")
    assert b.default_timezone == "Asia/Jakarta"
    assert b.default_time == time(8, 15)
    assert b.default_lead_days == (7, 3, 1, 0)  # distinct, largest first
    assert b.after_expiry_days == (1, 7)  # distinct, in the order they come, like the default
    assert (b.default_language, b.sweep_seconds, b.log_level) == ("id", 30.0, "DEBUG")
    assert cfg.access.allowed_users == ("@*:example.org", "@friend:other.org")
    assert cfg.allowed_patterns == ("@*:example.org", "@friend:other.org")
    assert cfg.limits.max_lines_per_owner == 10
    assert cfg.limits.lines_per_page == 7


def test_defaults() -> None:
    cfg = parse_config(minimal(password="x"))
    assert cfg.bot.command_prefix == "!"
    assert cfg.bot.default_timezone == "UTC"
    assert cfg.bot.default_time == time(9, 0)
    assert cfg.bot.default_lead_days == (7, 3, 1, 0)
    assert cfg.bot.after_expiry_days == (1, 3, 7)
    assert cfg.allowed_patterns == ("@*:example.org",)  # users of the bot's own homeserver
    assert cfg.limits.max_lines_per_owner == 50


def test_a_toml_time_literal_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[matrix]\nhomeserver = "https://hs.example.org"\nuser_id = "@bot:example.org"\npassword = "x"\n'
        "[bot]\ndefault_time = 07:45:00\n",
        encoding="utf-8",
    )
    assert load_config(path).bot.default_time == time(7, 45)


def test_the_example_config_parses(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    example = REPO / "config.example.toml"
    if not example.exists():
        pytest.skip("config.example.toml is not written yet")
    monkeypatch.chdir(tmp_path)
    cfg = load_config(example)
    assert cfg.matrix.homeserver.startswith("https://")
    assert cfg.matrix.user_id.startswith("@")
    assert cfg.matrix.resolved_password() or cfg.matrix.resolved_access_token()
    assert cfg.bot.data_dir.is_absolute()
    assert cfg.bot.data_dir.parent == REPO  # "./data" next to the file, not in the cwd


# --- bad configs -------------------------------------------------------------------------------


def _without(path: str) -> dict[str, Any]:
    data = full()
    *parents, key = path.split(".")
    node = data
    for p in parents:
        node = node[p]
    del node[key]
    return data


def _with(path: str, value: Any) -> dict[str, Any]:
    data = full()
    *parents, key = path.split(".")
    node = data
    for p in parents:
        node = node.setdefault(p, {})
    node[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        (_without("matrix.homeserver"), "matrix.homeserver", "required"),
        (_without("matrix.user_id"), "matrix.user_id", "required"),
        (_without("matrix"), "matrix", "required"),
        (_with("matrix.homeserver", "matrix.example.org"), "matrix.homeserver", "URL"),
        (_with("matrix.user_id", "renewal-bot"), "matrix.user_id", "Matrix user ID"),
        (_with("matrix.user_id", "@renewal-bot"), "matrix.user_id", "Matrix user ID"),
        (_with("matrix.user_id", "@bad name:example.org"), "matrix.user_id", "Matrix user ID"),
        (_with("matrix.passwort", "x"), "matrix.passwort", "not a known key"),
        (_with("bot.prefix", "!"), "bot.prefix", "not a known key"),
        (_with("extra.thing", 1), "extra", "not a known key"),
        (_with("bot.default_timezone", "Mars/Base"), "bot.default_timezone", "time zone"),
        (_with("bot.default_timezone", "../../etc/passwd"), "bot.default_timezone", "time zone"),
        (_with("bot.default_time", "25:00"), "bot.default_time", "HH:MM"),
        (_with("bot.default_time", "9am"), "bot.default_time", "HH:MM"),
        (_with("bot.default_time", "09:60"), "bot.default_time", "HH:MM"),
        (_with("bot.default_language", "fr"), "bot.default_language", "en"),
        (_with("bot.default_lead_days", [7, 400]), "bot.default_lead_days", ""),
        (_with("bot.after_expiry_days", [0]), "bot.after_expiry_days", ""),
        (_with("bot.log_level", "LOUD"), "bot.log_level", "DEBUG"),
        (_with("bot.command_prefix", ""), "bot.command_prefix", ""),
        (_with("limits.max_lines_per_owner", 0), "limits.max_lines_per_owner", ""),
        (_with("limits.max_message_length", "lots"), "limits.max_message_length", ""),
    ],
)
def test_a_bad_config_names_the_key(data: dict[str, Any], key: str, words: str) -> None:
    msg = config_error(data)
    assert msg.startswith("invalid config: ")
    # The key, or an item of it ("bot.default_lead_days.1"), is named before the explanation.
    assert f"{key}:" in msg or f"{key}." in msg
    assert words in msg


def test_no_credentials_is_refused() -> None:
    msg = config_error(minimal())
    assert "matrix" in msg and "password" in msg and "access_token" in msg


def test_an_empty_password_is_no_credential() -> None:
    assert "password" in config_error(minimal(password=""))


def test_several_mistakes_are_reported_together() -> None:
    data = _with("bot.default_timezone", "Mars/Base")
    data["bot"]["log_level"] = "LOUD"
    msg = config_error(data)
    assert "bot.default_timezone" in msg and "bot.log_level" in msg


# --- secrets -----------------------------------------------------------------------------------


def test_password_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RB_TEST_PASSWORD", PASSWORD + "\n")
    cfg = parse_config(minimal(password_env="RB_TEST_PASSWORD"))
    assert cfg.matrix.resolved_password() == PASSWORD


def test_password_env_that_is_not_set_is_no_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RB_TEST_PASSWORD", raising=False)
    assert "password" in config_error(minimal(password_env="RB_TEST_PASSWORD"))


def test_access_token_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RB_TEST_TOKEN", TOKEN)
    cfg = parse_config(minimal(access_token_env="RB_TEST_TOKEN"))
    assert cfg.matrix.resolved_access_token() == TOKEN
    assert cfg.matrix.resolved_password() is None


def test_password_file_and_access_token_file(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text(PASSWORD + "\n", encoding="utf-8")
    (tmp_path / "tok").write_text("  " + TOKEN + "  \n", encoding="utf-8")
    cfg = parse_config(minimal(password_file=str(tmp_path / "pw")))
    assert cfg.matrix.resolved_password() == PASSWORD
    cfg = parse_config(minimal(access_token_file=str(tmp_path / "tok")))
    assert cfg.matrix.resolved_access_token() == TOKEN


def test_an_unreadable_secret_file_names_the_key(tmp_path: Path) -> None:
    msg = config_error(minimal(password_file=str(tmp_path / "does-not-exist")))
    assert "matrix.password_file" in msg
    assert "does-not-exist" in msg


def test_an_empty_secret_file_is_no_credential(tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    assert "password" in config_error(minimal(password_file=str(tmp_path / "empty")))


def test_relative_secret_files_are_read_next_to_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf_dir = tmp_path / "etc"
    conf_dir.mkdir()
    (conf_dir / "pw").write_text(PASSWORD, encoding="utf-8")
    (conf_dir / "config.toml").write_text(
        '[matrix]\nhomeserver = "https://hs.example.org"\nuser_id = "@bot:example.org"\npassword_file = "pw"\n',
        encoding="utf-8",
    )
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the relative path must not be taken from the working directory
    cfg = load_config(conf_dir / "config.toml")
    assert cfg.matrix.resolved_password() == PASSWORD


@pytest.mark.parametrize("key", ["password", "access_token"])
def test_secrets_do_not_leak_in_repr_or_str(key: str) -> None:
    secret = PASSWORD if key == "password" else TOKEN
    cfg = parse_config(minimal(**{key: secret}))
    for shown in (repr(cfg), str(cfg), repr(cfg.matrix), str(cfg.matrix), repr(getattr(cfg.matrix, key)),
                  cfg.model_dump_json()):
        assert secret not in shown
    assert getattr(cfg.matrix, key).get_secret_value() == secret


def test_secrets_from_files_are_not_kept_in_the_config(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text(PASSWORD, encoding="utf-8")
    cfg = parse_config(minimal(password_file=str(tmp_path / "pw")))
    assert PASSWORD not in repr(cfg) and PASSWORD not in cfg.model_dump_json()


# --- paths -------------------------------------------------------------------------------------


def test_relative_data_dir_is_resolved_against_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf_dir = tmp_path / "conf"
    conf_dir.mkdir()
    path = conf_dir / "config.toml"
    path.write_text(
        '[matrix]\nhomeserver = "https://hs.example.org"\nuser_id = "@bot:example.org"\npassword = "x"\n'
        '[bot]\ndata_dir = "./state/../data"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert load_config(path).bot.data_dir == (conf_dir / "data").resolve()
    # And through parse_config with an explicit base folder.
    data = copy.deepcopy(minimal(password="x"))
    data["bot"] = {"data_dir": "data"}
    assert parse_config(data, base_dir=conf_dir).bot.data_dir == conf_dir / "data"
    assert parse_config(data).bot.data_dir == Path("data")  # no base: left as given


def test_absolute_data_dir_is_kept(tmp_path: Path) -> None:
    data = minimal(password="x")
    data["bot"] = {"data_dir": str(tmp_path / "abs")}
    assert parse_config(data, base_dir=Path("/somewhere/else")).bot.data_dir == tmp_path / "abs"


def test_unreadable_or_invalid_files_give_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[matrix\nhomeserver = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(binary)


def test_store_url_takes_its_password_from_a_file_and_is_redacted_for_logs(tmp_path: Path) -> None:
    from bot.config import load_config, redact_url

    (tmp_path / "db-pass").write_text("s3cret\n")
    (tmp_path / "c.toml").write_text(
        '[matrix]\nhomeserver = "https://hs.x"\nuser_id = "@b:x"\npassword = "p"\n'
        '[store]\nurl = "postgresql://renewal@db.x:5432/renewal"\npassword_file = "db-pass"\n'
    )
    cfg = load_config(tmp_path / "c.toml")
    assert cfg.store.resolved_password() == "s3cret"
    assert "password=s3cret" in cfg.store.conninfo()
    assert redact_url("postgresql://u:s3cret@db/x") == "postgresql://u:***@db/x"


def test_store_url_must_be_postgresql_and_without_it_sqlite_is_used() -> None:
    from bot.config import ConfigError, parse_config

    base = {"matrix": {"homeserver": "https://hs.x", "user_id": "@b:x", "password": "p"}}
    assert parse_config(base).store.url is None
    assert parse_config({**base, "store": {"url": "postgresql://u@h/db"}}).store.conninfo() == "postgresql://u@h/db"
    with pytest.raises(ConfigError, match="store.url"):
        parse_config({**base, "store": {"url": "mysql://u@h/db"}})
