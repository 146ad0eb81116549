"""The bot's cross-signing identity, as other users' clients see it through ``/keys/query``.

Checked with the real Synapse and independently of the bot's code: the signatures are verified
here with ``cryptography`` from the server's answer.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bot.dev.server import Homeserver, Registered
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import BotFactory
from tests.integration.matrix_user import MakeUser

pytestmark = pytest.mark.integration


def _b64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _valid(obj: dict[str, Any], user_id: str, public: str) -> bool:
    sig = obj.get("signatures", {}).get(user_id, {}).get(f"ed25519:{public}")
    if sig is None:
        return False
    signed = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    canonical = json.dumps(signed, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    try:
        Ed25519PublicKey.from_public_bytes(_b64(public)).verify(_b64(sig), canonical)
    except InvalidSignature:
        return False
    return True


def _only_key(obj: dict[str, Any]) -> str:
    ((key_id, public),) = obj["keys"].items()
    assert key_id == f"ed25519:{public}" and "=" not in key_id  # unpadded, as rust-sdk needs
    return public


def cross_signed(hs: Homeserver, viewer: Registered, bot_user: str, device_id: str) -> str:
    """Assert that ``device_id`` is signed by the SSK and the SSK by the MSK; return the MSK."""
    keys = hs.request("POST", "/_matrix/client/v3/keys/query", {"device_keys": {bot_user: []}},
                      token=viewer.access_token)
    msk = _only_key(keys["master_keys"][bot_user])
    ssk_obj = keys["self_signing_keys"][bot_user]
    ssk = _only_key(ssk_obj)
    assert _valid(ssk_obj, bot_user, msk), "the self-signing key is not signed by the master key"
    device = keys["device_keys"][bot_user][device_id]
    assert _valid(device, bot_user, ssk), f"device {device_id} is not signed by the self-signing key"
    return msk


def _device(bot: BotProcess) -> str:
    return json.loads((bot.data_dir / "session.json").read_text())["device_id"]


def _cli(bot: BotProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "cross-signing", *args, "--config", str(bot.config_path)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_identity_survives_restart_store_loss_and_comes_back_with_the_recovery_key(
    homeserver: Homeserver, make_user: MakeUser, bot_factory: BotFactory, tmp_path: Path
) -> None:
    viewer = make_user("viewer")
    bot = bot_factory()
    log = bot.log_text()
    assert "RECOVERY KEY" in log and "cross-signing identity: master key" in log
    dev1 = _device(bot)
    msk = cross_signed(homeserver, viewer, bot.user_id, dev1)
    for name in ("cross-signing.json", "recovery-key.txt"):
        assert stat.S_IMODE((bot.data_dir / name).stat().st_mode) == 0o600
    recovery = (bot.data_dir / "recovery-key.txt").read_text().strip()
    assert recovery not in log.replace(recovery, "", 1), "the recovery key is printed once only"
    for seed in json.loads((bot.data_dir / "cross-signing.json").read_text())["master"], recovery.replace(" ", ""):
        assert seed not in log.replace(recovery, ""), "no private key in the log"

    # A restart: same device, same identity, and no cross-signing request at all.
    bot.terminate()
    bot.start()
    assert "cross-signed device" not in bot.log_text() and "RECOVERY KEY" not in bot.log_text()
    assert _device(bot) == dev1 and cross_signed(homeserver, viewer, bot.user_id, dev1) == msk

    # Crypto-store loss: a new device, signed by the same identity.
    bot.kill()
    shutil.rmtree(bot.data_dir / "crypto")
    bot.start()
    dev2 = _device(bot)
    assert dev2 != dev1 and "cross-signed device" in bot.log_text()
    assert cross_signed(homeserver, viewer, bot.user_id, dev2) == msk
    bot.terminate()

    # A second instance with an empty data_dir and the recovery key: same identity again.
    key_file = tmp_path / "recovery.key"
    key_file.write_text(recovery + "\n")
    again = BotProcess(homeserver, bot.user, tmp_path / "again", matrix={"recovery_key_file": str(key_file)})
    again.start()
    try:
        assert "restored from secret storage" in again.log_text() and "RECOVERY KEY" not in again.log_text()
        dev3 = _device(again)
        assert dev3 not in (dev1, dev2)
        assert cross_signed(homeserver, viewer, again.user_id, dev3) == msk
    finally:
        again.stop()

    # Without the recovery key the bot says clearly what is wrong and how to get out of it ...
    lost = BotProcess(homeserver, bot.user, tmp_path / "lost")
    lost.start()
    try:
        text = lost.log_text()
        assert "already has a cross-signing identity" in text and "cross-signing reset" in text
        assert "recovery_key_file" in text
    finally:
        lost.stop()
    # ... and `cross-signing reset` (with the password) makes a new identity that signs the device.
    done = _cli(lost, "reset")
    assert done.returncode == 0, done.stderr
    assert "RECOVERY KEY" in done.stderr and "new cross-signing identity" in done.stdout
    new_msk = cross_signed(homeserver, viewer, lost.user_id, _device(lost))
    assert new_msk != msk
    status = _cli(lost, "status")
    assert status.returncode == 0 and "device cross-signed: yes" in status.stdout, status.stdout + status.stderr


def test_access_token_and_device_id_from_config_no_password(
    homeserver: Homeserver, make_user: MakeUser, tmp_path: Path
) -> None:
    """A bot given only an access token and its device (as on a MAS server without passwords):
    it uses that device, makes no other, and cross-signs it without any authentication (MSC3967)."""
    viewer = make_user("viewer")
    account = make_user("tokenbot")
    bot = BotProcess(homeserver, account, tmp_path / "tok", matrix={
        "password": "", "access_token": account.access_token, "device_id": account.device_id})
    bot.start()
    try:
        assert _device(bot) == account.device_id
        cross_signed(homeserver, viewer, bot.user_id, account.device_id)
        devices = homeserver.request("GET", "/_matrix/client/v3/devices", token=account.access_token)["devices"]
        assert [d["device_id"] for d in devices] == [account.device_id]
    finally:
        bot.stop()
    wrong = BotProcess(homeserver, account, tmp_path / "wrong", matrix={
        "password": "", "access_token": account.access_token, "device_id": "NOTMYDEVICE"})
    with pytest.raises(AssertionError, match="not to matrix.device_id"):
        wrong.start(timeout=30)
