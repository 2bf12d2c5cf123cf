"""The contract of a generator of valid inputs, and what every module must do with them.

A generator names its module and, for each round, the arguments of one or more tasks: round 0 declares resources
afresh, round 1 changes them (some kept, some changed, some left out where the module removes what is not declared,
some new). Every task runs in check mode, for real, then again, in one ansible-playbook run per round against a local
cloud; ``prepare`` makes beforehand, with boto3, what the module needs to exist (a VPC, a role, a bucket)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import ClassVar

# Result keys that check mode must predict exactly when the module returns them.
PREDICTED = ("changed", "created", "updated", "deleted")


@dataclass
class Generator:
    """Subclass per module: set ``module`` and implement ``arguments``; override ``prepare`` when the module needs
    resources to exist first. ``context`` holds what ``prepare`` returned; ``previous`` what the last round declared,
    task by task."""

    module: ClassVar[str]
    rng: random.Random
    context: dict = field(default_factory=dict)
    previous: list[dict] = field(default_factory=list)
    # Result keys beyond PREDICTED that check mode must predict (each module's own summary of the change).
    predicted: ClassVar[tuple[str, ...]] = ()
    # False for a module that makes no AWS call (and takes no connection options).
    calls_aws: ClassVar[bool] = True

    def prepare(self, cloud) -> dict:
        """Make, with boto3 clients of ``cloud.client(service)``, what the module's inputs refer to."""
        return {}

    def arguments(self, round_index: int) -> list[dict]:
        """The module arguments of each task of this round (without the connection options)."""
        raise NotImplementedError

    def check(self, round_index: int, declared: list[dict], results: list[tuple[dict, dict, dict]], cloud) -> None:
        """Module-specific assertions on (check, real, again) per task; reading back with boto3 is welcome."""


def problems(results: list[tuple[dict, dict, dict]], predicted: tuple[str, ...]) -> list[str]:
    """What each task's (check mode, real run, run again) did wrong: a failure, a crash, check mode predicting other
    than the run, or a run again that changes something."""
    found = []
    for index, (check, real, again) in enumerate(results):
        for name, result in (("check mode", check), ("run", real), ("run again", again)):
            if result.get("failed"):
                found.append(f"task {index}, {name} failed: {str(result.get('msg'))[:600]}")
        if found:
            continue
        for key in PREDICTED + predicted:
            if key in real and check.get(key) != real.get(key):
                found.append(f"task {index}: check mode predicted {key}={check.get(key)!r}, the run {real.get(key)!r}")
        if again.get("changed") is not False:
            found.append(f"task {index}: the run again changed something: {again.get('diff', again)}")
    return found
