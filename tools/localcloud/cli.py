"""``python -m tools.localcloud <command>``: start, stop, reset, status, faults (and serve, used by start).

Exit codes: 0 ok; 1 error; 2 usage error; 3 ``status`` when not running.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_STATE_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
EXIT_OK, EXIT_ERROR, EXIT_NOT_RUNNING = 0, 1, 3
PID_FILE, PORT_FILE, LOG_FILE = "server.pid", "server.port", "server.log"


class CliError(Exception):
    pass


# -- small helpers --------------------------------------------------------------------------------
@dataclass
class Target:
    host: str
    port: int
    state_dir: Path

    @property
    def connect_host(self) -> str:
        return "127.0.0.1" if self.host in ("0.0.0.0", "") else ("::1" if self.host == "::" else self.host)

    @property
    def endpoint(self) -> str:
        host = self.connect_host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / PID_FILE

    @property
    def port_file(self) -> Path:
        return self.state_dir / PORT_FILE

    @property
    def log_file(self) -> Path:
        return self.state_dir / LOG_FILE


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def resolve_target(args: argparse.Namespace, use_state_port: bool = True) -> Target:
    state_dir = Path(args.state_dir or os.environ.get("LOCALCLOUD_STATE_DIR") or DEFAULT_STATE_DIR)
    state_dir = state_dir.expanduser().resolve()
    if args.port is not None:
        port = args.port
    elif os.environ.get("LOCALCLOUD_PORT"):
        try:
            port = int(os.environ["LOCALCLOUD_PORT"])
        except ValueError as exc:
            raise CliError(f"LOCALCLOUD_PORT is not a port number: {os.environ['LOCALCLOUD_PORT']!r}") from exc
    else:
        port = (_read_int(state_dir / PORT_FILE) if use_state_port else None) or DEFAULT_PORT
    if not 0 < port < 65536:
        raise CliError(f"port out of range: {port}")
    return Target(host=args.host or DEFAULT_HOST, port=port, state_dir=state_dir)


def http(target: Target, method: str, path: str, body: Any = None, timeout: float = 5.0) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(target.endpoint + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def health(target: Target, timeout: float = 2.0) -> dict[str, Any] | None:
    """The health document if a local cloud answers on the target port, else None."""
    try:
        status, doc = http(target, "GET", "/_localcloud/health", timeout=timeout)
    except (OSError, urllib.error.URLError, ValueError):
        return None
    if status == 200 and isinstance(doc, dict) and doc.get("service") == "localcloud":
        return doc
    return None


def port_in_use(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug's server does
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie has exited; its parent just has not reaped it yet
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def is_localcloud_process(pid: int) -> bool:
    """True if ``pid`` runs our server (guards against a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return pid_alive(pid)  # no /proc: trust the pid file
    return b"tools.localcloud" in cmdline and b"serve" in cmdline


def running_pid(target: Target) -> int | None:
    """The pid from the state dir, if that process is alive and is a local cloud server."""
    pid = _read_int(target.pid_file)
    if pid and pid_alive(pid) and is_localcloud_process(pid):
        return pid
    return None


def clear_state_files(target: Target) -> None:
    for path in (target.pid_file, target.port_file):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:]) or "(log is empty)"


def say(message: str) -> None:
    print(message, flush=True)


# -- commands -------------------------------------------------------------------------------------
def cmd_start(args: argparse.Namespace) -> int:
    target = resolve_target(args, use_state_port=False)
    doc = health(target)
    if doc is not None:
        say(f"localcloud already running at {target.endpoint} (pid {doc.get('pid')}, state dir {doc.get('state_dir')})")
        return EXIT_OK

    pid = running_pid(target)
    if pid is not None:
        other = _read_int(target.port_file)
        raise CliError(
            f"a local cloud from state dir {target.state_dir} is already running (pid {pid}, port {other}); "
            f"stop it first, or use another --state-dir"
        )
    clear_state_files(target)  # stale
    if port_in_use(target.host, target.port):
        raise CliError(
            f"port {target.port} on {target.host} is taken by another process (it is not a local cloud); "
            f"free it or choose another port with --port / LOCALCLOUD_PORT"
        )

    target.state_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "tools.localcloud",
        "serve",
        "--host",
        target.host,
        "--port",
        str(target.port),
        "--state-dir",
        str(target.state_dir),
        "--throttle-rate",
        str(args.throttle_rate),
    ]
    if args.seed is not None:
        command += ["--seed", str(args.seed)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    with open(target.log_file, "wb") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )

    deadline = time.monotonic() + args.timeout
    while True:
        code = proc.poll()
        doc = health(target, timeout=1.0)
        if doc is not None and doc.get("pid") == proc.pid:
            break
        if code is not None:
            if doc is not None:  # lost a race with another start: that one is serving
                say(f"localcloud already running at {target.endpoint} (pid {doc.get('pid')})")
                return EXIT_OK
            raise CliError(
                f"the local cloud server exited with code {code} during start-up; "
                f"last lines of {target.log_file}:\n{log_tail(target.log_file)}"
            )
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait(timeout=10)
            raise CliError(
                f"the local cloud did not answer on {target.endpoint} within {args.timeout:.0f} s; "
                f"last lines of {target.log_file}:\n{log_tail(target.log_file)}"
            )
        time.sleep(0.1)

    target.pid_file.write_text(f"{proc.pid}\n")
    target.port_file.write_text(f"{target.port}\n")
    say(f"localcloud running at {target.endpoint} (pid {proc.pid}, state dir {target.state_dir})")
    say(f"  export AWS_ENDPOINT_URL={target.endpoint}  # log: {target.log_file}")
    return EXIT_OK


def _terminate(pid: int, timeout: float) -> str:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return "stopped"
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        if not pid_alive(pid):
            break
        time.sleep(0.05)
    return "killed (did not stop on SIGTERM)"


def cmd_stop(args: argparse.Namespace) -> int:
    target = resolve_target(args)
    pid = running_pid(target)
    if pid is None:
        doc = health(target, timeout=1.0)
        same_dir = doc is not None and doc.get("state_dir") == str(target.state_dir)
        if doc is not None and same_dir and isinstance(doc.get("pid"), int) and is_localcloud_process(doc["pid"]):
            pid = doc["pid"]  # our server, with its pid file gone
        elif doc is not None:
            raise CliError(
                f"a local cloud (pid {doc.get('pid')}) answers on {target.endpoint} but was started with "
                f"state dir {doc.get('state_dir')}; run stop with --state-dir {doc.get('state_dir')}"
            )
        else:
            clear_state_files(target)
            say("localcloud is not running")
            return EXIT_OK
    outcome = _terminate(pid, args.timeout)
    clear_state_files(target)
    say(f"localcloud {outcome} (pid {pid})")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    target = resolve_target(args)
    pid = running_pid(target)
    doc = health(target, timeout=2.0)
    if doc is None:
        if pid is not None:
            message = f"localcloud process {pid} is alive but does not answer on {target.endpoint}"
        else:
            message = f"localcloud is not running (nothing answers on {target.endpoint})"
        if args.json:
            say(json.dumps({"running": False, "endpoint": target.endpoint, "pid": pid, "message": message}))
        else:
            say(message)
        return EXIT_NOT_RUNNING
    info = {
        "running": True,
        "endpoint": target.endpoint,
        "pid": doc.get("pid"),
        "state_dir": doc.get("state_dir"),
        "moto_version": doc.get("moto_version"),
        "uptime_seconds": doc.get("uptime_seconds"),
        "throttle_rate": (doc.get("faults") or {}).get("throttle_rate"),
        "extensions": doc.get("extensions"),
    }
    if args.json:
        say(json.dumps(info, indent=2))
    else:
        say(f"localcloud running at {target.endpoint} (pid {info['pid']}, state dir {info['state_dir']})")
        say(f"  moto {info['moto_version']}, up {info['uptime_seconds']} s, throttle rate {info['throttle_rate']}")
    return EXIT_OK


def _require_running(target: Target) -> None:
    if health(target) is None:
        raise CliError(f"no local cloud answers on {target.endpoint}; start it with: python -m tools.localcloud start")


def cmd_reset(args: argparse.Namespace) -> int:
    target = resolve_target(args)
    _require_running(target)
    status, doc = http(target, "POST", "/_localcloud/reset", body={}, timeout=60)
    if status != 200:
        raise CliError(f"reset failed (HTTP {status}): {doc}")
    say(f"localcloud at {target.endpoint} reset: moto state, extension state and fault config emptied")
    return EXIT_OK


def _deny_rule(spec: str) -> dict[str, Any]:
    """``Operation[#N][@resource]`` as a deny rule: the operation's calls (only its Nth, only those naming the
    resource)."""
    rest, _, resource = spec.partition("@")
    operation, _, call = rest.partition("#")
    rule: dict[str, Any] = {"operation": operation}
    if call:
        if not call.isdigit():
            raise CliError(f"--deny {spec}: the call after # must be a whole number")
        rule["call"] = int(call)
    if resource:
        rule["resource"] = resource
    return rule


def cmd_faults(args: argparse.Namespace) -> int:
    target = resolve_target(args)
    _require_running(target)
    body: dict[str, Any] = {}
    if args.off:
        body["off"] = True
    if args.throttle_rate is not None:
        body["throttle_rate"] = args.throttle_rate
    if args.latency_ms is not None:
        body["latency_ms"] = args.latency_ms
    if args.seed is not None:
        body["seed"] = args.seed
    if args.reset_counters:
        body["reset_counters"] = True
    if args.deny is not None:
        body["deny"] = [_deny_rule(spec) for spec in args.deny if spec]
    if body:
        status, doc = http(target, "POST", "/_localcloud/faults", body=body)
    else:
        status, doc = http(target, "GET", "/_localcloud/faults")
    if status != 200:
        raise CliError(f"faults: HTTP {status}: {doc.get('error') if isinstance(doc, dict) else doc}")
    say(json.dumps(doc, indent=2, sort_keys=True))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import serve

    target = resolve_target(args, use_state_port=False)
    serve(target.host, target.port, target.state_dir, throttle_rate=args.throttle_rate, seed=args.seed)
    return EXIT_OK


# -- argument parsing -----------------------------------------------------------------------------
def _rate(value: str) -> float:
    try:
        rate = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from exc
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0.0 and 1.0: {value}")
    return rate


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--host", default=None, help=f"bind/connect address (default {DEFAULT_HOST})")
    common.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"port (default: $LOCALCLOUD_PORT, else the running one, else {DEFAULT_PORT})",
    )
    common.add_argument(
        "--state-dir",
        default=None,
        help=f"pid file, port file, server log, recordings (default: $LOCALCLOUD_STATE_DIR, else {DEFAULT_STATE_DIR})",
    )

    parser = argparse.ArgumentParser(
        prog="python -m tools.localcloud",
        description="The local cloud: an AWS emulator (moto server) with fault injection and extra actions.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    start = sub.add_parser("start", parents=[common], help="start the emulator in the background")
    start.add_argument("--throttle-rate", type=_rate, default=0.0, help="share of API calls to throttle (0.0-1.0)")
    start.add_argument("--seed", type=int, default=None, help="seed for the fault RNG")
    start.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for it to answer (default 30)")
    start.set_defaults(func=cmd_start)

    stop = sub.add_parser("stop", parents=[common], help="stop it (SIGTERM, then SIGKILL)")
    stop.add_argument("--timeout", type=float, default=10.0, help="seconds before SIGKILL (default 10)")
    stop.set_defaults(func=cmd_stop)

    status = sub.add_parser("status", parents=[common], help="is it running? (exit 0 yes, 3 no)")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(func=cmd_status)

    reset = sub.add_parser("reset", parents=[common], help="empty all emulated state, extension state, faults")
    reset.set_defaults(func=cmd_reset)

    faults = sub.add_parser("faults", parents=[common], help="show or change fault injection")
    group = faults.add_mutually_exclusive_group()
    group.add_argument("--throttle-rate", type=_rate, default=None, help="share of API calls to throttle (0.0-1.0)")
    group.add_argument("--off", action="store_true", help="no more faults")
    faults.add_argument(
        "--latency-ms", type=int, default=None, help="delay every AWS API call by this many milliseconds (0 = none)"
    )
    faults.add_argument("--seed", type=int, default=None, help="seed (restarts the RNG sequence)")
    faults.add_argument("--reset-counters", action="store_true", help="zero the injected-fault counters")
    faults.add_argument(
        "--deny",
        action="append",
        metavar="OPERATION[#N][@RESOURCE]",
        help="answer the operation's calls (only the Nth, only those naming RESOURCE) with the access-denied error; "
        "repeat for more; replaces the deny faults set before (--deny '' clears them)",
    )
    faults.set_defaults(func=cmd_faults)

    serve = sub.add_parser("serve", parents=[common], help="run the server in the foreground (used by start)")
    serve.add_argument("--throttle-rate", type=_rate, default=0.0)
    serve.add_argument("--seed", type=int, default=None)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"localcloud: error: {exc}", file=sys.stderr, flush=True)
        return EXIT_ERROR
