"""What the throwaway Synapse is told (bot/dev/synapse_config.py), without starting one."""
from __future__ import annotations

import json
from pathlib import Path

from bot.dev.synapse_config import synapse_config, write_synapse_config


def test_without_ratelimits_every_limit_is_out_of_reach_but_never_zero(tmp_path: Path) -> None:
    cfg = synapse_config(tmp_path, server_name="localhost", port=8008, secret="s", ratelimits=False)
    assert cfg["rc_message"] == {"per_second": 100000, "burst_count": 100000}
    assert cfg["rc_login"]["failed_attempts"]["per_second"] == 100000
    kept = synapse_config(tmp_path, server_name="localhost", port=8008, secret="s", ratelimits=True)
    assert not any(k.startswith("rc_") for k in kept), "Synapse's own limits, as deployed"


def test_the_config_listens_on_loopback_and_registers_by_shared_secret_only(tmp_path: Path) -> None:
    cfg = synapse_config(tmp_path, server_name="hs.test", port=8123, secret="xyz", ratelimits=True)
    (listener,) = cfg["listeners"]
    assert listener["port"] == 8123 and listener["bind_addresses"] == ["127.0.0.1"]
    assert cfg["enable_registration"] is False and cfg["registration_shared_secret"] == "xyz"
    write_synapse_config(tmp_path, tmp_path / "homeserver.yaml", cfg, tmp_path / "hs.log")
    assert json.loads((tmp_path / "homeserver.yaml").read_text()) == cfg
    log = json.loads((tmp_path / "log.config").read_text())
    assert log["handlers"]["file"]["filename"] == str(tmp_path / "hs.log")
