"""Generated valid inputs of inspector2_account: one task a round, the account's scan types.

Limits used (Amazon Inspector API reference): Enable resourceTypes 1-6 of EC2, ECR, LAMBDA, LAMBDA_CODE (and
CODE_REPOSITORY, which the module leaves alone), accountIds 0-100 twelve-digit IDs (the caller's own account being
always manageable); Disable without resourceTypes disables every scan type. Lambda code scanning (LAMBDA_CODE) only
runs with Lambda standard scanning (LAMBDA) on (Amazon Inspector user guide, "Scanning AWS Lambda functions")."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.values import maybe

SCAN_TYPES = ["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"]


class Inspector2AccountGenerator(Generator):
    module = "securecloud.monitor.inspector2_account"

    def prepare(self, cloud) -> dict:
        return {"account": cloud.client("sts").get_caller_identity()["Account"]}

    def present(self):
        task = {"resource_types": self.rng.sample(SCAN_TYPES, self.rng.randint(1, len(SCAN_TYPES)))}
        if self.rng.random() < 0.3:  # order and duplicates do not matter
            task["resource_types"] += task["resource_types"][:1]
        maybe(self.rng, task, "state", "present")
        maybe(self.rng, task, "purge", self.rng.random() < 0.6)
        if "LAMBDA_CODE" in task["resource_types"] and not self.lambda_stays_on(task):
            task["resource_types"].append("LAMBDA")
        return task

    def lambda_stays_on(self, task):
        """LAMBDA listed, or on from the last round and not purged: Lambda code scanning needs it."""
        listed = "LAMBDA" in task["resource_types"]
        before = self.previous and "LAMBDA" in self.previous[0].get("resource_types", [])
        return listed or (before and task.get("purge") is False and self.previous[0].get("state") != "absent")

    def arguments(self, round_index: int) -> list[dict]:
        task = self.present() if round_index == 0 or self.rng.random() < 0.7 else {"state": "absent"}
        maybe(self.rng, task, "account_ids", [self.context["account"]], chance=0.4)
        if self.rng.random() < 0.3:
            task["wait"] = True
            maybe(self.rng, task, "wait_timeout", self.rng.randint(30, 300))
        return [task]

    def check(self, round_index, declared, results, cloud) -> None:
        task = declared[0]
        status = cloud.client("inspector2").batch_get_account_status(accountIds=[self.context["account"]])
        state = status["accounts"][0]["resourceState"] if status["accounts"] else {}
        on = {key for key, value in state.items() if value.get("status") in ("ENABLED", "ENABLING")}
        keys = {"EC2": "ec2", "ECR": "ecr", "LAMBDA": "lambda", "LAMBDA_CODE": "lambdaCode"}
        if task.get("state") == "absent":
            assert not on, state
        else:
            assert {keys[kind] for kind in task["resource_types"]} <= on, state
