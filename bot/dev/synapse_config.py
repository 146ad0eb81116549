"""What a throwaway Synapse is told: its ``homeserver.yaml`` and logging config (JSON is valid YAML,
so no PyYAML is needed), written into its directory before each start."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: Big enough to never be reached in a test, and never 0 (per_second 0 blocks everything).
_HUGE = {"per_second": 100000, "burst_count": 100000}

#: Every rate-limit key Synapse 1.163 knows (see shared/synapse-notes.md), with its sub-keys.
_RATELIMIT_KEYS: dict[str, tuple[str, ...]] = {
    "rc_message": (),
    "rc_registration": (),
    "rc_registration_token_validity": (),
    "rc_login": ("address", "account", "failed_attempts"),
    "rc_joins": ("local", "remote"),
    "rc_joins_per_room": (),
    "rc_invites": ("per_room", "per_user", "per_issuer"),
    "rc_third_party_invite": (),
    "rc_room_creation": (),
    "rc_key_requests": (),
    "rc_3pid_validation": (),
    "rc_presence": ("per_user",),
    "rc_media_create": (),
    "rc_delayed_event_mgmt": (),
    "rc_reports": (),
    "rc_user_directory": (),
    "rc_profile": (),
    "rc_admin_redaction": (),
}


def synapse_config(
    base_dir: Path, *, server_name: str, port: int, secret: str, ratelimits: bool
) -> dict[str, Any]:
    """homeserver.yaml: SQLite, no federation or presence, registration by shared secret only;
    ``ratelimits=False`` raises every ``rc_*`` limit out of reach."""
    d = base_dir
    cfg: dict[str, Any] = {
        "server_name": server_name,
        "report_stats": False,
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(d / "homeserver.db")}},
        "log_config": str(d / "log.config"),
        "media_store_path": str(d / "media_store"),
        "signing_key_path": str(d / f"{server_name}.signing.key"),
        "pid_file": str(d / "homeserver.pid"),
        "enable_registration": False,
        "registration_shared_secret": secret,
        "bcrypt_rounds": 4,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "presence": {"enabled": False},
    }
    if not ratelimits:
        for key, subkeys in _RATELIMIT_KEYS.items():
            cfg[key] = {sub: dict(_HUGE) for sub in subkeys} if subkeys else dict(_HUGE)
    return cfg


def log_config(log_path: Path) -> dict[str, Any]:
    """Synapse's own log: WARNING and above, into ``log_path``."""
    return {
        "version": 1,
        "formatters": {
            "precise": {
                "format": "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - "
                "%(request)s - %(message)s"
            }
        },
        "filters": {"context": {"()": "synapse.logging.context.LoggingContextFilter"}},
        "handlers": {
            "file": {
                "class": "logging.FileHandler",
                "formatter": "precise",
                "filename": str(log_path),
                "filters": ["context"],
                "encoding": "utf8",
            }
        },
        "root": {"level": "WARNING", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }


def write_synapse_config(base_dir: Path, config_path: Path, config: dict[str, Any], log_path: Path) -> None:
    """Write homeserver.yaml and log.config into ``base_dir``."""
    base_dir.mkdir(parents=True, exist_ok=True)
    config_path.write_text(json.dumps(config, indent=2) + "\n")
    (base_dir / "log.config").write_text(json.dumps(log_config(log_path), indent=2) + "\n")
