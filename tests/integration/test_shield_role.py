"""The shield role never buys a subscription on its own: in an account without one, and without
shield_accept_subscription_commitment, it skips with a message and makes no mutating call."""

from __future__ import annotations

from tools.harness import recorder
from tools.harness.playbook import run_playbook


def test_without_subscription_or_commitment_the_role_skips_and_buys_nothing(module_cloud, tmp_path):
    recorder.start(module_cloud.endpoint)
    run = run_playbook(
        "tests/integration/targets/roles/shield_unsubscribed.yml", endpoint=module_cloud.endpoint, work_dir=tmp_path
    )
    calls = recorder.stop(module_cloud.endpoint)

    assert run.returncode == 0, run.explain()
    messages = [r.get("msg", "") for name, _, r in run.task_results() if name.endswith("Say why the layer is skipped")]
    assert messages and "shield_accept_subscription_commitment" in messages[0], messages
    assert [c.operation for c in calls if c.mutating] == []
    assert module_cloud.client("shield").get_subscription_state()["SubscriptionState"] == "INACTIVE"
