"""tools/harness/read_only.py: which recorded calls are writes, and the exit code of a guarded run (the recorder's
start and stop replaced by what the local cloud would have recorded; port 9 has no recorder)."""

from __future__ import annotations

import sys

from tools.harness import read_only, recorder
from tools.harness.recorder import Call


def test_writes_are_mutating_calls_but_the_allowed_ones():
    calls = [
        Call("logs", "DescribeLogGroups"),
        Call("logs", "PutRetentionPolicy"),
        Call("sns", "Publish"),
        Call("sts", "AssumeRole"),
        Call("ec2", "RevokeSecurityGroupIngress"),
    ]
    assert read_only.writes(calls) == ["logs:PutRetentionPolicy", "ec2:RevokeSecurityGroupIngress"]


def test_a_write_turns_the_exit_code_into_the_violation(monkeypatch, capsys):
    monkeypatch.setattr(recorder, "start", lambda endpoint: None)
    monkeypatch.setattr(recorder, "stop", lambda endpoint: [Call("logs", "PutRetentionPolicy")])
    assert read_only.guarded([sys.executable, "-c", "pass"], "http://x") == read_only.VIOLATION
    err = capsys.readouterr().err
    assert "VIOLATION" in err and "logs:PutRetentionPolicy x1" in err


def test_reads_only_keep_the_command_exit_code(monkeypatch, capsys):
    monkeypatch.setattr(recorder, "start", lambda endpoint: None)
    monkeypatch.setattr(recorder, "stop", lambda endpoint: [Call("logs", "DescribeLogGroups")])
    assert read_only.guarded([sys.executable, "-c", "raise SystemExit(2)"], "http://x") == 2
    assert "read-only guard: 1 calls, 0 mutating" in capsys.readouterr().err


def test_no_recorder_runs_unguarded(capsys):
    assert read_only.guarded([sys.executable, "-c", "pass"], "http://127.0.0.1:9") == 0
    assert "not guarded" in capsys.readouterr().err
