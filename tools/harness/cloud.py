"""A local cloud of the caller's own, through the project's real command
(`python -m tools.localcloud`), on a port no other run uses."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config

from tools.harness.playbook import REPO

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalCloud:
    def __init__(self, state_dir: Path, port: int | None = None):
        self.port = port or free_port()
        self.state_dir = Path(state_dir)
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def _cli(self, *args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "tools.localcloud", *args, "--port", str(self.port)]
        command += ["--state-dir", str(self.state_dir)]
        return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> LocalCloud:
        result = self._cli("start")
        if result.returncode != 0:
            raise RuntimeError(f"local cloud did not start: {result.stdout}{result.stderr}")
        return self

    def stop(self) -> None:
        self._cli("stop")

    def reset(self) -> None:
        result = self._cli("reset")
        if result.returncode != 0:
            raise RuntimeError(f"local cloud did not reset: {result.stdout}{result.stderr}")

    def faults(
        self,
        throttle_rate: float | None = None,
        seed: int | None = None,
        latency_ms: int | None = None,
        deny: list[dict] | None = None,
    ) -> dict:
        """Set the throttling fault rate, the latency and the deny faults (when given; see tools/localcloud/faults.py);
        return the current config and counters."""
        url = f"{self.endpoint}/_localcloud/faults"
        given = (("throttle_rate", throttle_rate), ("seed", seed), ("latency_ms", latency_ms), ("deny", deny))
        body = dict((key, value) for key, value in given if value is not None)
        if not body:
            request = urllib.request.Request(url)
        else:
            request = urllib.request.Request(
                url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
            )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def client(self, service: str, **config):
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(retries={"mode": "standard", "max_attempts": 10}, **config),
        )

    def __enter__(self) -> LocalCloud:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
