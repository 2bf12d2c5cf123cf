"""The start / status / reset / stop cycle, through the CLI in subprocesses."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from .conftest import CREDENTIALS, NO_RETRIES, Cloud, free_port, http, run_cli


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def _wait_dead(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_start_status_reset_stop_cycle(tmp_path: Path) -> None:
    port = free_port()
    state = tmp_path / "state"
    opts = ("--port", str(port), "--state-dir", str(state))
    endpoint = f"http://127.0.0.1:{port}"

    before = run_cli("status", *opts)
    assert before.returncode == 3, before.stdout + before.stderr
    assert "not running" in before.stdout

    started = run_cli("start", *opts)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        assert endpoint in started.stdout
        pid = int((state / "server.pid").read_text())
        assert int((state / "server.port").read_text()) == port
        assert _alive(pid)
        assert (state / "server.log").exists()

        status, health = http(endpoint, "GET", "/_localcloud/health")
        assert status == 200
        assert health["service"] == "localcloud" and health["pid"] == pid
        assert health["host"] == "127.0.0.1"
        assert "shield:GetSubscriptionState" in health["extensions"]

        running = run_cli("status", *opts)
        assert running.returncode == 0, running.stdout + running.stderr
        assert endpoint in running.stdout and str(pid) in running.stdout

        again = run_cli("start", *opts)  # idempotent
        assert again.returncode == 0, again.stdout + again.stderr
        assert "already running" in again.stdout
        assert int((state / "server.pid").read_text()) == pid

        s3 = boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)
        s3.create_bucket(Bucket="cycle-bucket")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["cycle-bucket"]
        run_cli("faults", "--throttle-rate", "0.5", *opts)

        reset = run_cli("reset", *opts)
        assert reset.returncode == 0, reset.stdout + reset.stderr
        assert s3.list_buckets()["Buckets"] == []
        assert http(endpoint, "GET", "/_localcloud/faults")[1]["throttle_rate"] == 0.0
    finally:
        stopped = run_cli("stop", *opts)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert "stopped" in stopped.stdout
    assert _wait_dead(pid)
    assert not (state / "server.pid").exists()

    after = run_cli("status", *opts)
    assert after.returncode == 3
    stop_again = run_cli("stop", *opts)
    assert stop_again.returncode == 0 and "not running" in stop_again.stdout
    reset_down = run_cli("reset", *opts)
    assert reset_down.returncode == 1 and "no local cloud answers" in reset_down.stderr


def test_start_fails_clearly_when_port_is_taken(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", port))
        squatter.listen(1)
        result = run_cli("start", "--port", str(port), "--state-dir", str(tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"port {port}" in result.stderr and "taken by another process" in result.stderr
    assert not (tmp_path / "server.pid").exists()


def test_port_and_state_dir_from_environment(tmp_path: Path) -> None:
    port = free_port()
    env = {"LOCALCLOUD_PORT": str(port), "LOCALCLOUD_STATE_DIR": str(tmp_path / "envstate")}
    started = run_cli("start", env=env)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        assert (tmp_path / "envstate" / "server.pid").exists()
        assert http(f"http://127.0.0.1:{port}", "GET", "/_localcloud/health")[0] == 200
        assert run_cli("status", env=env).returncode == 0
    finally:
        stopped = run_cli("stop", env=env)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert run_cli("status", env=env).returncode == 3


def test_faults_via_cli_reach_the_running_server(cloud: Cloud) -> None:
    shown = cloud.cli("faults")
    assert shown.returncode == 0, shown.stderr
    assert '"throttle_rate": 0.0' in shown.stdout

    changed = cloud.cli("faults", "--throttle-rate", "1.0", "--seed", "3")
    assert changed.returncode == 0, changed.stderr
    sts = cloud.client("sts", config=NO_RETRIES)
    with pytest.raises(ClientError) as err:
        sts.get_caller_identity()
    assert err.value.response["Error"]["Code"] == "Throttling"

    off = cloud.cli("faults", "--off")
    assert off.returncode == 0, off.stderr
    assert sts.get_caller_identity()["Account"] == "123456789012"

    bad = cloud.cli("faults", "--throttle-rate", "1.5")
    assert bad.returncode == 2 and "between 0.0 and 1.0" in bad.stderr
