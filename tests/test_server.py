"""The real server: `foi-triage serve` on a free loopback port, spoken to over HTTP."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli():
    return [str(Path(sys.executable).parent / "foi-triage")]


def _wait(url, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        try:
            return urllib.request.urlopen(url, timeout=2)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError("server did not start")


def test_serve_classifies_over_http_and_stops_on_sigterm():
    port = _free_port()
    env = {**os.environ, "FOI_API_KEYS": "secret-key"}
    proc = subprocess.Popen([*_cli(), "serve", "--port", str(port), "--threads", "2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        assert json.load(_wait(base + "/readyz", proc))["status"] == "ready"
        body = json.dumps({"text": "1. How many fly-tipping incidents were reported in 2024?\n2. What did clearing them cost?"})
        req = urllib.request.Request(base + "/v1/classify", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json", "X-API-Key": "secret-key"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            result = json.load(resp)
            assert resp.headers["X-Request-ID"]
        assert [q["ref"] for q in result["questions"]] == ["1", "2"]
        assert result["departments"][0]["label"] == "environment"
        denied = urllib.request.Request(base + "/v1/model")
        try:
            urllib.request.urlopen(denied, timeout=5)
            raise AssertionError("expected 401")
        except urllib.error.HTTPError as exc:
            assert exc.code == 401 and json.load(exc)["status"] == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "serving" in err and "curl" in err and "stopped" in err
    assert "fly-tipping" not in err  # request text never reaches the log


def test_serve_refuses_to_start_without_a_model(tmp_path):
    proc = subprocess.run([*_cli(), "serve", "--model", str(tmp_path), "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "cannot start" in proc.stderr and "meta.json is missing" in proc.stderr
