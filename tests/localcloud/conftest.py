"""Fixtures for the local cloud tests: real server processes on free ports, real boto3 clients.

Ports: chosen free by the OS, or from ``LOCALCLOUD_TEST_PORTS`` ("4622-4629") when set.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tools.localcloud.extensions.registry import CHECK_ANSWERS_ENV

from .answers import AnswerCheck, extension_operations

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})

_handed_out: set[int] = set()
# How many unchecked extension operations the summary names (a run of a few test files leaves most unchecked).
UNCHECKED_NAMED = 10
# The session's check of extension answers (answers.py), for the summary of what it checked.
_ANSWERS = AnswerCheck(extension_operations())


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nothing listens on (and that this session has not handed out yet)."""
    spec = os.environ.get("LOCALCLOUD_TEST_PORTS")
    if spec:
        low, _, high = spec.partition("-")
        candidates = range(int(low), int(high or low) + 1)
        for port in candidates:
            if port not in _handed_out and _bindable(port):
                _handed_out.add(port)
                return port
        raise RuntimeError(f"no free port left in LOCALCLOUD_TEST_PORTS={spec}")
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port
    raise RuntimeError("no free port")


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALCLOUD_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tools.localcloud", *args],
        cwd=REPO_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def http(endpoint: str, method: str, path: str, body: Any = None, raw: bytes | None = None) -> tuple[int, Any]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(endpoint + path, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, payload = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read()
    try:
        return status, json.loads(payload)
    except ValueError:
        return status, payload.decode("utf-8", "replace")


@contextlib.contextmanager
def serving(server: Any) -> Iterator[str]:
    """The endpoint of an HTTP server (socketserver-style) served from a thread until the block ends."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@dataclass
class Cloud:
    endpoint: str
    port: int
    state_dir: Path
    answers: AnswerCheck | None = None

    def client(self, service: str, config: Config | None = None, **kwargs: Any) -> Any:
        """A boto3 client of the local cloud; the answers of extension operations are checked (see answers.py)."""
        client = boto3.client(service, endpoint_url=self.endpoint, config=config, **{**CREDENTIALS, **kwargs})
        return self.answers.attach(client) if self.answers else client

    def get(self, path: str) -> tuple[int, Any]:
        return http(self.endpoint, "GET", path)

    def post(self, path: str, body: Any = None, raw: bytes | None = None) -> tuple[int, Any]:
        return http(self.endpoint, "POST", path, body=body if body is not None else {}, raw=raw)

    def faults(self, **body: Any) -> dict[str, Any]:
        status, doc = self.post("/_localcloud/faults", body)
        assert status == 200, doc
        return doc

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, "--port", str(self.port), "--state-dir", str(self.state_dir))


@pytest.fixture(scope="session")
def cloud_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    """One local cloud process for the session, started and stopped through the CLI."""
    port = free_port()
    state_dir = tmp_path_factory.mktemp("localcloud-state")
    started = run_cli("start", "--port", str(port), "--state-dir", str(state_dir), env={CHECK_ANSWERS_ENV: "1"})
    assert started.returncode == 0, started.stdout + started.stderr
    cloud = Cloud(endpoint=f"http://127.0.0.1:{port}", port=port, state_dir=state_dir)
    cloud.answers = _ANSWERS
    try:
        yield cloud
    finally:
        stopped = run_cli("stop", "--port", str(port), "--state-dir", str(state_dir))
        if stopped.returncode != 0:  # never leave a server behind
            with contextlib.suppress(Exception):
                os.kill(int((state_dir / "server.pid").read_text()), 9)


@pytest.fixture
def cloud(cloud_server: Cloud) -> Iterator[Cloud]:
    """The session's local cloud, reset (moto, extensions, faults) before and after the test; the test fails at
    teardown when an extension gave an answer that is not in its operation's output shape."""
    status, _ = cloud_server.post("/_localcloud/reset")
    assert status == 200
    assert cloud_server.answers is not None
    cloud_server.answers.reset()
    yield cloud_server
    cloud_server.post("/_localcloud/reset")
    problems = list(cloud_server.answers.problems)
    cloud_server.answers.reset()
    assert problems == [], "extension answers outside botocore's output shapes:\n" + "\n".join(problems)


def put_metric_alarm(cloudwatch: Any, name: str) -> None:
    """A plain metric alarm called ``name`` (CPU of EC2 above 80 %)."""
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/EC2",
        MetricName="CPUUtilization",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=80,
        ComparisonOperator="GreaterThanThreshold",
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Which extension operations had no answer checked in this run (every extension should have a test that checks
    some)."""
    if not _ANSWERS.checked:
        return
    services = {service for service, _ in _ANSWERS.operations}
    unchecked = sorted(f"{service}:{name}" for service, name in _ANSWERS.operations - _ANSWERS.checked)
    untested = sorted(services - {service for service, _ in _ANSWERS.checked})
    named = f" (not: {', '.join(unchecked)})" if 0 < len(unchecked) <= UNCHECKED_NAMED else ""
    terminalreporter.write_line(
        f"extension answers checked: {len(_ANSWERS.checked)} of {len(_ANSWERS.operations)} operations{named}, "
        f"{len(services) - len(untested)} of {len(services)} extensions"
        + (f" (not: {', '.join(untested)})" if untested else "")
    )
