"""Run a command that must not change the account (a compliance run without remediation, a --check run) with the
local cloud's request recorder on, and fail loudly if the local cloud saw a mutating call.

    python -m tools.harness.read_only --endpoint http://127.0.0.1:4566 -- ansible-playbook ... playbooks/compliance.yml

The command's own exit code is kept, unless the recorder saw a write: then the writes are listed on stderr and the
exit code is :data:`VIOLATION`. One summary line on stderr (``read-only guard: N calls, M mutating``) says what was
seen either way. When nothing answers at the endpoint's recorder (real AWS, or no local cloud), the command runs
unguarded and a line says so. ``make compliance`` (without REMEDIATE) runs through this.

Calls that change no resource (:data:`ALLOWED`: the compliance summary published to the alert topic, the
environment's role assumed for the run's credentials) are not writes here.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import urllib.error

from tools.harness import recorder

VIOLATION = 3
ALLOWED = frozenset({"sns:Publish", "sts:AssumeRole"})


def writes(calls: list[recorder.Call]) -> list[str]:
    return [f"{c.service}:{c.operation}" for c in calls if c.mutating and f"{c.service}:{c.operation}" not in ALLOWED]


def guarded(command: list[str], endpoint: str) -> int:
    try:
        recorder.start(endpoint)
    except (urllib.error.URLError, OSError) as error:
        print(f"read-only guard: no local cloud recorder at {endpoint} ({error}); not guarded", file=sys.stderr)
        return subprocess.run(command, check=False).returncode
    try:
        returncode = subprocess.run(command, check=False).returncode
    finally:
        calls = recorder.stop(endpoint)
    found = writes(calls)
    print(f"read-only guard: {len(calls)} calls, {len(found)} mutating", file=sys.stderr)
    if found:
        summary = recorder.summarise([c for c in calls if f"{c.service}:{c.operation}" in found])
        print(
            "read-only guard: VIOLATION - a run that must not change the account made mutating calls: "
            + ", ".join(f"{operation} x{count}" for operation, count in summary["mutating_by_operation"].items()),
            file=sys.stderr,
        )
        return VIOLATION
    return returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="the local cloud, e.g. http://127.0.0.1:4566")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    return guarded(command, args.endpoint)


if __name__ == "__main__":
    sys.exit(main())
