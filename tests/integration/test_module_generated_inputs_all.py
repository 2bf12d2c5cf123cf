"""Generated valid inputs for every module (issue 20): each generator of tests/integration/generated/ declares
resources drawn at random (seeded) from the options' documented rules and AWS's limits, then changes them. Every task
runs in check mode, for real (with --diff), then again, all modules' tasks in one ansible-playbook run per round on a
local cloud of this file's own. No run fails or crashes, check mode predicts what the run reports, a run again
changes nothing, and each generator's own read-back holds.

Replay or explore with another seed:
    GENERATED_INPUTS_SEED=7 pytest tests/integration/test_module_generated_inputs_all.py
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import random

import pytest

from tests.integration import generated
from tests.integration.generated.base import Generator, problems
from tests.integration.module_runs import connection
from tools.harness.playbook import run_playbook

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("GENERATED_INPUTS_SEED", "2026"))
ROUNDS = 2
RUNS = (("check mode", {"check_mode": True}), ("run", {}), ("run again", {}))


def generator_classes() -> dict[str, type[Generator]]:
    """Every Generator subclass of the package, by its module's name."""
    found = {}
    for info in pkgutil.iter_modules(generated.__path__):
        code = importlib.import_module(f"{generated.__name__}.{info.name}")
        for _name, value in inspect.getmembers(code, inspect.isclass):
            if issubclass(value, Generator) and value is not Generator and value.__module__ == code.__name__:
                found[value.module] = value
    return found


GENERATORS = generator_classes()


def task_name(module: str, index: int, run: str) -> str:
    return f"{module} #{index}, {run}"


def play_round(cloud, work_dir, declared: dict[str, list[dict]], round_index: int) -> dict[str, dict]:
    """Run every module's tasks of the round in one playbook: {task name: result}."""
    options = {module: connection(cloud) if GENERATORS[module].calls_aws else {} for module in declared}
    tasks = [
        {"name": task_name(module, index, run), module: options[module] | arguments, "ignore_errors": True, **extra}
        for module, argument_list in declared.items()
        for index, arguments in enumerate(argument_list)
        for run, extra in RUNS
    ]
    playbook = work_dir / f"generated-round-{round_index}.yml"
    playbook.write_text(json.dumps([{"hosts": "dev", "gather_facts": False, "tasks": tasks}], indent=1))
    played = run_playbook(str(playbook), endpoint=cloud.endpoint, work_dir=work_dir, args=["--diff"])
    results = {name: result for name, _host, result in played.task_results()}
    assert set(results) == {task["name"] for task in tasks}, played.explain()
    return results


@pytest.fixture(scope="module")
def found(module_cloud, tmp_path_factory) -> dict[str, list[str]]:
    """Each module's problems over all rounds, found by one shared run of all generators."""
    work_dir = tmp_path_factory.mktemp("generated")
    generators = {module: cls(rng=random.Random(f"{SEED}-{module}")) for module, cls in GENERATORS.items()}
    for generator in generators.values():
        generator.context = generator.prepare(module_cloud)
    found = {module: [] for module in generators}
    for round_index in range(ROUNDS):
        declared = {module: generator.arguments(round_index) for module, generator in generators.items()}
        results = play_round(module_cloud, work_dir, declared, round_index)
        for module, generator in generators.items():
            triples = [
                tuple(results[task_name(module, index, run)] for run, _extra in RUNS)
                for index in range(len(declared[module]))
            ]
            said = [f"round {round_index}, {problem}" for problem in problems(triples, generator.predicted)]
            if not said:
                try:
                    generator.check(round_index, declared[module], triples, module_cloud)
                except AssertionError as error:
                    said.append(f"round {round_index}, read back: {error}")
            found[module] += said
            generator.previous = declared[module]
    return found


@pytest.mark.parametrize("module", sorted(GENERATORS))
def test_generated_valid_inputs(found, module):
    assert found[module] == [], f"seed {SEED}: " + json.dumps(found[module], indent=1)
