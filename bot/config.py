"""Configuration: TOML in, a typed and validated :class:`Config` out.

A bad config must stop the bot with one clear message that names the key, never a traceback.
Secrets may come from the file, an environment variable or a file of their own, and are kept in
``SecretStr`` so they never show up in logs or reprs.
"""
from __future__ import annotations

import os
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.core.model import DEFAULT_AFTER_DAYS, DEFAULT_LEAD_DAYS, LANGUAGES, REGIONAL_LANGUAGES

_USER_ID = re.compile(r"^@[^:\s]+:[^\s]+$")
LeadDay = Annotated[int, Field(ge=0, le=365)]


def parse_listen(value: str) -> tuple[str, int]:
    """``"127.0.0.1:9110"`` or ``"[::1]:9110"`` -> (host, port)."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("must be HOST:PORT, e.g. 127.0.0.1:9110")
    return host.strip("[]"), int(port)


class ConfigError(Exception):
    """A config problem, worded for the operator."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MatrixConfig(_Section):
    homeserver: str
    user_id: str
    password: SecretStr | None = None
    password_env: str | None = None
    password_file: Path | None = None
    access_token: SecretStr | None = None
    access_token_env: str | None = None
    access_token_file: Path | None = None
    #: The device the access token belongs to (checked against the homeserver's answer); a
    #: password re-login also asks for this device instead of making a new one.
    device_id: str | None = None
    device_name: str = "renewal-bot"
    #: The recovery key the bot printed when it made its cross-signing identity: lets a bot with an
    #: empty data_dir (or a second instance) sign its device with the same identity.
    recovery_key: SecretStr | None = None
    recovery_key_env: str | None = None
    recovery_key_file: Path | None = None
    #: Sign the bot's device with its own cross-signing identity (made on the first start). Off
    #: only if the account's identity is managed elsewhere: Element then hides the bot's messages.
    cross_signing: bool = True
    encryption: bool = True

    @field_validator("homeserver")
    @classmethod
    def _url(cls, v: str) -> str:
        if not re.match(r"^https?://[^\s/]+", v):
            raise ValueError("must be an http(s) URL, e.g. https://matrix.example.org")
        return v.rstrip("/")

    @field_validator("user_id")
    @classmethod
    def _uid(cls, v: str) -> str:
        if not _USER_ID.match(v):
            raise ValueError("must be a full Matrix user ID, e.g. @renewal-bot:example.org")
        return v

    @property
    def server_name(self) -> str:
        return self.user_id.split(":", 1)[1]

    def resolved_password(self) -> str | None:
        return _secret(self.password, self.password_env, self.password_file, "matrix.password")

    def resolved_access_token(self) -> str | None:
        return _secret(
            self.access_token, self.access_token_env, self.access_token_file, "matrix.access_token"
        )

    def resolved_recovery_key(self) -> str | None:
        return _secret(self.recovery_key, self.recovery_key_env, self.recovery_key_file, "matrix.recovery_key")

    @model_validator(mode="after")
    def _credentials(self) -> MatrixConfig:
        if self.resolved_password() is None and self.resolved_access_token() is None:
            raise ValueError(
                "needs a password or an access_token (directly, or as password_env / "
                "password_file / access_token_env / access_token_file)"
            )
        return self


class BotConfig(_Section):
    command_prefix: str = Field("!", min_length=1, max_length=8)
    data_dir: Path = Path("./data")
    default_timezone: str = "UTC"
    default_time: time = time(9, 0)
    default_lead_days: tuple[LeadDay, ...] = DEFAULT_LEAD_DAYS
    after_expiry_days: tuple[Annotated[int, Field(ge=1, le=365)], ...] = DEFAULT_AFTER_DAYS
    default_language: str = "en"
    sweep_seconds: float = Field(60.0, gt=0, le=3600)
    log_level: str = "INFO"
    #: "text" (one readable line) or "json" (one JSON object per line, for log shippers).
    log_format: str = "text"
    #: An owner's lines due at the same minute go as one message (issue 13). Off: one message per
    #: line, as before (the benchmarks measure per-ping throughput with it off).
    group_pings: bool = True

    @field_validator("default_timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}; use an IANA name such as Asia/Jakarta") from None
        return v

    @field_validator("default_time", mode="before")
    @classmethod
    def _time(cls, v: Any) -> Any:
        if isinstance(v, str):
            m = re.fullmatch(r"(\d{1,2}):(\d{2})", v.strip())
            if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
                raise ValueError("must be a time of day as HH:MM, e.g. 09:00")
            return time(int(m.group(1)), int(m.group(2)))
        return v

    @field_validator("default_language")
    @classmethod
    def _lang(cls, v: str) -> str:
        if v not in LANGUAGES and v not in REGIONAL_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES + REGIONAL_LANGUAGES)}")
        return v

    @field_validator("default_lead_days")
    @classmethod
    def _days(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(set(v), reverse=True))

    @field_validator("after_expiry_days")
    @classmethod
    def _after(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        # Ascending, like the default (1, 3, 7): settings lists them in the order they come.
        return tuple(sorted(set(v)))

    @field_validator("log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        v = v.upper()
        if v not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return v

    @field_validator("log_format")
    @classmethod
    def _format(cls, v: str) -> str:
        if v not in {"text", "json"}:
            raise ValueError('must be "text" or "json"')
        return v


class AccessConfig(_Section):
    #: Glob patterns on user IDs. Empty means: users of the bot's own homeserver.
    allowed_users: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()


class LimitsConfig(_Section):
    max_lines_per_owner: int = Field(50, ge=1, le=10_000)
    max_label_length: int = Field(80, ge=1, le=1000)
    max_message_length: int = Field(2000, ge=100, le=60_000)
    commands_per_minute: int = Field(30, ge=1, le=10_000)
    lines_per_page: int = Field(20, ge=1, le=200)
    #: The largest file ``import`` reads, in bytes.
    max_import_bytes: int = Field(256 * 1024, ge=1024, le=16 * 1024 * 1024)


class RoomsConfig(_Section):
    #: Power level needed to add, edit or remove a group room's lines (50 = moderator).
    manage_power_level: int = Field(50, ge=0, le=1_000_000)
    #: Days a room's lines are kept after the bot was kicked or the last human left.
    retention_days: int = Field(30, ge=0, le=3650)
    #: Scam warnings the bot sends to one room per hour at most (never more than one a minute).
    scam_warnings_per_hour: int = Field(6, ge=1, le=60)


class HttpConfig(_Section):
    """The operator's HTTP listener (bot/web.py): off unless ``listen`` is set."""

    #: HOST:PORT, e.g. "127.0.0.1:9110". Serves /metrics, /healthz and /readyz; no auth, so keep
    #: it on localhost or a private network.
    listen: str | None = None
    #: /readyz says "stuck" when an outbox row has been due longer than this.
    outbox_stuck_seconds: float = Field(900.0, ge=10, le=86_400)
    #: The listener's address as users reach it (through a reverse proxy with TLS), e.g.
    #: "https://bot.example.org/renewal": every link the bot hands out (calendar feeds) starts
    #: with it. Unset: no calendar feeds.
    public_url: str | None = None

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        if not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", v):
            raise ValueError("public_url must be an http(s) URL without query or fragment")
        return v.rstrip("/")

    @field_validator("listen")
    @classmethod
    def _listen(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        parse_listen(v)
        return v


class StoreConfig(_Section):
    """Where the data lives: SQLite in ``data_dir`` (no ``url``), or a PostgreSQL database that
    several instances of one deployment share (``url``; see README "Running several instances")."""

    #: ``postgresql://user@host:5432/dbname``. Without it: SQLite in data_dir.
    url: str | None = None
    #: The database password, when the URL has none (trust or peer authentication need none).
    password_env: str | None = None
    password_file: Path | None = None
    #: The active instance holds its lease this long (s): a standby takes over at most this long
    #: (plus a poll) after the active one died. Outbox rows are claimed for as long.
    lease_seconds: float = Field(5.0, ge=1.0, le=300.0)
    #: Connections in each instance's pool.
    pool_size: int = Field(4, ge=2, le=64)

    @field_validator("url")
    @classmethod
    def _pg_url(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        if not re.match(r"^postgres(ql)?://", v):
            raise ValueError("must be a postgresql:// URL, e.g. postgresql://renewal@db.example.org/renewal")
        return v

    def resolved_password(self) -> str | None:
        return _secret(None, self.password_env, self.password_file, "store.password")

    def conninfo(self) -> str:
        """The URL with the password (from env or file) added; never log it."""
        assert self.url is not None
        return postgres_conninfo(self.url, self.resolved_password())


def postgres_conninfo(url: str, password: str | None = None) -> str:
    """``url`` plus ``password`` (when given) as a libpq connection string."""
    if password is None:
        return url
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, password=password)


def redact_url(url: str) -> str:
    """A database URL fit for logs and messages: any password in it replaced by ``***``."""
    return re.sub(r"^(\w+://[^:/@]+):[^@]*@", r"\1:***@", url)


class Config(_Section):
    matrix: MatrixConfig
    bot: BotConfig = BotConfig()
    access: AccessConfig = AccessConfig()
    limits: LimitsConfig = LimitsConfig()
    rooms: RoomsConfig = RoomsConfig()
    http: HttpConfig = HttpConfig()
    store: StoreConfig = StoreConfig()

    @property
    def allowed_patterns(self) -> tuple[str, ...]:
        return self.access.allowed_users or (f"@*:{self.matrix.server_name}",)


def _secret(direct: SecretStr | None, env: str | None, file: Path | None, key: str) -> str | None:
    if direct is not None and direct.get_secret_value():
        return direct.get_secret_value()
    if env:
        value = os.environ.get(env)
        if value:
            return value.strip()
    if file:
        try:
            return file.read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise ValueError(f"{key}_file: cannot read {file}: {exc.strerror}") from None
    return None


def _format_error(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "missing":
            msg = "is required"
        elif e["type"] == "extra_forbidden":
            msg = "is not a known key (see config.example.toml)"
        lines.append(f"{key}: {msg}")
    return "invalid config: " + "; ".join(lines)


def parse_config(data: dict[str, Any], *, base_dir: Path | None = None) -> Config:
    """Validate a config mapping; relative paths are taken from ``base_dir``."""
    matrix = data.get("matrix")
    if base_dir is not None and isinstance(matrix, dict):
        # Secret files are read while validating, so they must be resolved before it.
        resolved = dict(matrix)
        for key in ("password_file", "access_token_file", "recovery_key_file"):
            value = resolved.get(key)
            if isinstance(value, str) and value and not Path(value).expanduser().is_absolute():
                resolved[key] = str(base_dir / value)
        data = {**data, "matrix": resolved}
    store = data.get("store")
    if base_dir is not None and isinstance(store, dict):
        value = store.get("password_file")
        if isinstance(value, str) and value and not Path(value).expanduser().is_absolute():
            data = {**data, "store": {**store, "password_file": str(base_dir / value)}}
    try:
        cfg = Config.model_validate(data)
    except ValidationError as err:
        raise ConfigError(_format_error(err)) from None
    if base_dir is not None and not cfg.bot.data_dir.is_absolute():
        bot = cfg.bot.model_copy(update={"data_dir": (base_dir / cfg.bot.data_dir).resolve()})
        cfg = cfg.model_copy(update={"bot": bot})
    return cfg


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and validate a TOML config file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {p}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {p} is not valid TOML: {exc}") from None
    return parse_config(data, base_dir=p.parent.resolve())
