"""``check-config`` as a new operator meets it (QA): the copied example must not pass as ready."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def check(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RENEWAL_BOT_PASSWORD": "a real one"}
    return subprocess.run([sys.executable, "-m", "bot", "check-config", "--config", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, env=env)


def test_the_unedited_example_names_every_value_to_change(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text((ROOT / "config.example.toml").read_text())
    r = check(cfg)
    assert r.returncode == 1, r.stdout + r.stderr
    out = r.stdout + r.stderr
    for key in ("matrix.homeserver", "matrix.user_id", "matrix.password", "access.allowed_users", "access.admins"):
        assert key in out, (key, out)
    assert "change-me" not in out  # a password is never echoed, not even the example's
    assert "Traceback" not in out


def test_an_edited_config_is_ok(tmp_path: Path) -> None:
    text = (ROOT / "config.example.toml").read_text()
    text = (text.replace("matrix.example.org", "matrix.family.id").replace("example.org", "family.id")
            .replace('password = "change-me"', 'password_env = "RENEWAL_BOT_PASSWORD"'))
    cfg = tmp_path / "config.toml"
    cfg.write_text(text)
    r = check(cfg)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "OK" in r.stdout


def test_subcommand_help_is_plain_text_not_docstring_markup() -> None:
    """``db --help`` showed the module docstring as written for developers: ````backup````,
    ``:class:`DataDirLock````, ``:mod:`bot.store.copy````."""
    for args in (["db", "--help"], ["catalog", "check", "--help"], ["scam-check", "--help"]):
        r = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert r.returncode == 0, r.stderr
        assert "``" not in r.stdout and ":class:`" not in r.stdout and ":mod:`" not in r.stdout, (args, r.stdout)


def test_run_waits_for_a_homeserver_that_does_not_answer_and_stops_cleanly(tmp_path: Path) -> None:
    """QA: with the homeserver not answering at the first start (at boot, DNS or Synapse not up
    yet), ``run`` exited 3 ("refused login") at once, and the systemd unit does not restart on 3:
    the bot stayed down. It now waits and tries again, and SIGTERM meanwhile is a clean exit 0."""
    import signal
    import socket
    import time

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[matrix]\nhomeserver = "http://127.0.0.1:{port}"\nuser_id = "@rb:qa.test"\n'
                   f'password_env = "RENEWAL_BOT_PASSWORD"\nencryption = false\n'
                   f'[bot]\ndata_dir = "{tmp_path / "data"}"\n')
    env = {**os.environ, "RENEWAL_BOT_PASSWORD": "pw"}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--config", str(cfg)], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        seen: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum("trying again" in x for x in seen) < 2:
            line = proc.stderr.readline()
            if not line:
                break
            seen.append(line)
        assert sum("trying again" in x for x in seen) >= 2, "".join(seen)
        assert proc.poll() is None, "".join(seen)  # still waiting, not exited
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
