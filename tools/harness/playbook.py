"""Run a playbook of this repo the way a user does, and read its results.

The JSON stdout callback gives every task's per-host result and the recap, so
callers can assert on `changed` per task rather than on scraped text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class PlaybookRun:
    returncode: int
    seconds: float
    output: dict = field(repr=False)
    stderr: str = field(repr=False)

    @property
    def stats(self) -> dict:
        return self.output.get("stats", {})

    def total(self, key: str) -> int:
        return sum(host.get(key, 0) for host in self.stats.values())

    def task_results(self):
        """(task name, host, result) for every task result of the run."""
        for play in self.output.get("plays", []):
            for task in play.get("tasks", []):
                for host, result in task.get("hosts", {}).items():
                    yield task["task"]["name"], host, result

    def task_seconds(self, name: str) -> float:
        """Time the named task took (the json callback's duration), summed over its occurrences."""
        total = 0.0
        for play in self.output.get("plays", []):
            for task in play.get("tasks", []):
                if task["task"]["name"] == name and task["task"].get("duration", {}).get("end"):
                    duration = task["task"]["duration"]
                    total += (_timestamp(duration["end"]) - _timestamp(duration["start"])).total_seconds()
        return total

    def changed_tasks(self) -> list[str]:
        return [f"{host}: {name}" for name, host, result in self.task_results() if result.get("changed")]

    def failures(self) -> list[str]:
        return [
            f"{host}: {name}: {result.get('msg', '')}"[:2000]
            for name, host, result in self.task_results()
            if result.get("failed") and not result.get("ignore_errors")
        ]

    def explain(self) -> str:
        return f"rc={self.returncode} failures={self.failures()} stderr={self.stderr[-3000:]}"


def _timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def ensure_terraform_config() -> Path:
    """The Terraform CLI config of runs started from here.

    Each pytest-xdist worker gets a plugin cache of its own: Terraform's cache is not safe for concurrent installs
    (see roles/base_infra/tasks/terraform.yml), and two workers may init a new working copy at the same moment.
    """
    suffix = f"-{os.environ['PYTEST_XDIST_WORKER']}" if os.environ.get("PYTEST_XDIST_WORKER") else ""
    config = REPO / ".work" / f"terraformrc{suffix}"
    cache = REPO / ".work" / f"plugin-cache{suffix}"
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "terraform_cli_config.py"), str(config), "--cache-dir", str(cache)],
        check=True,
        capture_output=True,
    )
    return config


def ensure_collection_link() -> Path:
    """The collections path that resolves securecloud.monitor to this checkout (a committed link)."""
    root = REPO / ".collections"
    link = root / "ansible_collections" / "securecloud" / "monitor"
    if not (link / "galaxy.yml").is_file():
        raise RuntimeError(f"{link} should be a link to the checkout (git checkout -- .collections)")
    return root


def ansible_doc(name: str, plugin_type: str = "module") -> tuple[dict | None, str]:
    """The ansible-doc JSON entry of securecloud.monitor.<name> (None when it does not render) and ansible-doc's
    stderr (warnings included), with this checkout as the collection."""
    bin_dir = Path(sys.executable).parent
    proc = subprocess.run(
        [str(bin_dir / "ansible-doc"), "--json", "-t", plugin_type, f"securecloud.monitor.{name}"],
        cwd=REPO,
        env={"ANSIBLE_COLLECTIONS_PATH": str(ensure_collection_link()), "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    entry = json.loads(proc.stdout)[f"securecloud.monitor.{name}"] if proc.returncode == 0 else None
    return entry, proc.stderr


def run_terraform(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    """terraform in a working copy, with the project's CLI config and the local cloud's dummy credentials."""
    env = dict(os.environ, TF_CLI_CONFIG_FILE=str(ensure_terraform_config()), TF_IN_AUTOMATION="1")
    env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    return subprocess.run(["terraform", *args], cwd=workdir, env=env, capture_output=True, text=True, check=False)


def playbook_env(endpoint: str | None, work_dir: Path, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": str(ensure_collection_link()),
            "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
            "ANSIBLE_NOCOLOR": "1",
            "SECURECLOUD_WORK_DIR": str(work_dir),
            "TF_CLI_CONFIG_FILE": str(ensure_terraform_config()),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    env.pop("ANSIBLE_CALLBACKS_ENABLED", None)  # their output would corrupt the JSON on stdout
    if endpoint:
        env["LOCALCLOUD_ENDPOINT"] = endpoint
    env.update(extra or {})
    return env


def run_playbook(
    playbook: str,
    *,
    endpoint: str | None,
    work_dir: Path,
    args: list[str] | None = None,
    inventory: str = "inventories/local",
    env: dict | None = None,
    timeout: int = 1800,
) -> PlaybookRun:
    command = [str(BIN / "ansible-playbook"), "-i", inventory, playbook, *(args or [])]
    started = time.monotonic()
    proc = subprocess.run(
        command,
        cwd=REPO,
        env=playbook_env(endpoint, work_dir, env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.monotonic() - started
    try:
        output = json.loads(proc.stdout[proc.stdout.index("{") :]) if "{" in proc.stdout else {}
    except json.JSONDecodeError:
        output = {"unparsed_stdout": proc.stdout[-5000:]}
    return PlaybookRun(proc.returncode, seconds, output, proc.stderr)
