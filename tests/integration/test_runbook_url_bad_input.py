"""A runbook URL template that cannot make a link fails the role with a message that names the
variable, before any call to the cloud (checked with the emulator's request recorder)."""

from __future__ import annotations

import json

import pytest

from tools.harness import recorder
from tools.harness.playbook import run_playbook

PLAYBOOK = """\
- name: One role alone
  hosts: all
  gather_facts: false
  roles:
    - role: securecloud.monitor.{role}
"""
# What the roles read from the base layer before they call AWS; ids only, nothing is deployed.
BASE = {
    "environment": "dev",
    "account_id": "123456789012",
    "aws_region": "us-east-1",
    "services": {},
    "nlbs": {},
    "api_gateway": {},
    "kms_key_arn": "",
}
CASES = [
    ("monitoring", "monitoring_runbook_url_template", "ftp://runbooks.example/{runbook}"),
    ("monitoring", "monitoring_runbook_url_template", "https://runbooks.example/page.md"),
    ("audit_trail", "audit_trail_runbook_url_template", "docs/runbooks/{runbook}.md"),
    ("monitoring", "securecloud_runbook_url_template", "https://runbooks example/{runbook}"),
]


@pytest.mark.parametrize(("role", "variable", "value"), CASES, ids=[f"{c[1]}={c[2]}" for c in CASES])
def test_a_bad_runbook_url_template_names_the_variable_and_calls_nothing(cloud, tmp_path, role, variable, value):
    playbook = tmp_path / "role.yml"
    playbook.write_text(PLAYBOOK.format(role=role))
    recorder.start(cloud.endpoint)
    run = run_playbook(
        str(playbook),
        endpoint=cloud.endpoint,
        work_dir=tmp_path,
        args=["-e", json.dumps({"base": BASE, variable: value})],
    )
    calls = recorder.stop(cloud.endpoint)

    assert run.returncode != 0
    messages = " ".join(run.failures())
    assert f"{role}_runbook_url_template must be an http(s) URL with {{runbook}}" in messages, messages
    assert value in messages
    assert calls == []
