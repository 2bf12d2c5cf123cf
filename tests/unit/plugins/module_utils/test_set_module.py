"""The set module convention (doc fragment securecloud.monitor.set_module, plugins/module_utils/set_module.py): every
set module documents its scope, purge and state through the fragment and builds them with set_argument_spec, old
option names are deprecated aliases until 2.0.0, and the helpers settle purge and refuse an unscoped purge.

The modules whose old option was scope_name_prefix are driven here through their test file's SET_KIT (their Stubber
and resources); cloudwatch_dashboard, cloudwatch_dashboard_set, cloudwatch_alarm_set, budgets_budget_set,
logs_metric_filter_set, iam_role_set, codedeploy_deployment_group_set, codepipeline_pipeline_set and
ecr_repository_set are tested in their own files."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml
from ansible_collections.securecloud.monitor.plugins.module_utils import set_module
from packaging.version import Version

from tests.unit.argument_specs import built_argument_spec
from tests.unit.plugins.modules import test_shield_protection, test_xray_group, test_xray_sampling_rule
from tests.unit.set_convention import assert_deprecated, assert_no_deprecation, fresh_deprecations

REPO = Path(__file__).resolve().parents[4]

# Module -> the option names it had before the convention (deprecated aliases until 2.0.0).
SET_MODULES = {
    "budgets_budget_set": [],
    "cloudwatch_alarm_set": [],
    "cloudwatch_dashboard": ["purge_prefix"],
    "cloudwatch_dashboard_set": [],
    "codedeploy_deployment_group_set": [],
    "ecr_repository_set": [],
    "codepipeline_pipeline_set": [],
    "codebuild_project_set": [],
    "logs_metric_filter_set": [],
    "iam_role_set": [],
    "shield_protection": ["scope_name_prefix"],
    "xray_group": ["scope_name_prefix"],
    "xray_sampling_rule": ["scope_name_prefix"],
}
# Modules with a purge or a prefix that are not set modules of the convention, and why.
NOT_SET_MODULES = {
    "inspector2_account": "its set is the fixed list of scan types, with no name scope (purge and state as here)",
    "cloudtrail_bucket": "s3_key_prefix is a key prefix of the log objects",
    "cloudtrail_trail": "s3_key_prefix is a key prefix of the log objects",
    "posture_controls_info": "read-only",
    "shield_protection_info": "read-only",
}


def documentation(name):
    text = (REPO / "plugins" / "modules" / f"{name}.py").read_text(encoding="utf-8")
    start = text.index('DOCUMENTATION = r"""') + len('DOCUMENTATION = r"""')
    return yaml.safe_load(text[start : text.index('"""', start)])


@pytest.mark.parametrize("name", sorted(SET_MODULES))
def test_every_set_module_documents_the_convention_through_the_fragment(name):
    doc = documentation(name)
    assert "securecloud.monitor.set_module" in doc["extends_documentation_fragment"]
    options = doc["options"]
    for option in ("prefix", "purge", "state"):
        # A module may add to the fragment's entry (required, aliases, its own wording) but not retype it.
        assert "type" not in (options.get(option) or {}), f"{name} redefines {option}: take it from the fragment"
    for old in SET_MODULES[name]:
        assert old not in options, f"{name} still documents {old} as an option of its own"
        assert options["prefix"]["aliases"] == [old]


@pytest.mark.parametrize("name", sorted(SET_MODULES))
def test_every_set_module_builds_the_convention_with_old_names_as_deprecated_aliases(name):
    spec = built_argument_spec(
        importlib.import_module(f"ansible_collections.securecloud.monitor.plugins.modules.{name}")
    )
    assert spec["purge"] == {"type": "bool"}
    assert spec["state"] == {"type": "str", "choices": ["present", "absent"], "default": "present"}
    assert spec["prefix"]["type"] == "str"
    old = SET_MODULES[name]
    assert spec["prefix"].get("aliases", []) == old
    assert spec["prefix"].get("deprecated_aliases", []) == [
        {"name": o, "version": "2.0.0", "collection_name": "securecloud.monitor"} for o in old
    ]
    for option in old:
        assert option not in spec


def test_every_module_with_a_purge_or_a_name_prefix_is_classified():
    for path in sorted((REPO / "plugins" / "modules").glob("*.py")):
        options = documentation(path.stem).get("options") or {}
        if any(o == "purge" or o.endswith("prefix") for o in options):
            assert path.stem in SET_MODULES or path.stem in NOT_SET_MODULES, (
                f"{path.stem} has a purge or a prefix: make it follow the set module convention (SET_MODULES) or say "
                "why it is not a set module (NOT_SET_MODULES)."
            )


def test_the_old_option_names_are_removed_in_the_next_major_version():
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))
    assert Version(set_module.REMOVED_IN).major == Version(galaxy["version"]).major + 1


# ---------------------------------------------------------------- the modules whose old name was scope_name_prefix

KITS = {
    "shield_protection": test_shield_protection.SET_KIT,
    "xray_group": test_xray_group.SET_KIT,
    "xray_sampling_rule": test_xray_sampling_rule.SET_KIT,
}
kits = pytest.mark.parametrize("kit", list(KITS.values()), ids=list(KITS))


@kits
@pytest.mark.parametrize("old_name", [False, True], ids=["prefix", "old-name-with-purge"])
def test_purge_deletes_the_undeclared_in_scope_only(monkeypatch, capsys, kit, old_name):
    """prefix alone purges (the default); the old option name still purges when the task says purge: true."""
    fresh_deprecations(monkeypatch)

    def setup(stubber):
        kit.reads(stubber, True)
        kit.delete(stubber, "old")

    args = dict(kit.args, purge=True, **{kit.old_option: kit.prefix}) if old_name else dict(kit.args, prefix=kit.prefix)
    result = kit.run(monkeypatch, capsys, args, setup)
    assert result["changed"] is True and kit.names(result) == [kit.declared]
    if old_name:
        assert_deprecated(result, f"{kit.old_option} is deprecated: use prefix, which means the same")
    else:
        assert_no_deprecation(result)


@kits
def test_prefix_with_purge_false_leaves_the_undeclared(monkeypatch, capsys, kit):
    fresh_deprecations(monkeypatch)
    result = kit.run(monkeypatch, capsys, dict(kit.args, prefix=kit.prefix, purge=False), lambda s: kit.reads(s, True))
    assert result["changed"] is False and kit.names(result) == sorted([kit.declared, kit.old])
    assert_no_deprecation(result)


@kits
@pytest.mark.parametrize("check_mode", [True, False])
def test_state_absent_deletes_the_whole_scope_whatever_purge_and_the_list(monkeypatch, capsys, kit, check_mode):
    fresh_deprecations(monkeypatch)

    def setup(stubber):
        kit.reads(stubber, True)
        if not check_mode:
            kit.delete(stubber, "declared")
            kit.delete(stubber, "old")

    args = dict(kit.args, prefix=kit.prefix, purge=False, state="absent")
    result = kit.run(monkeypatch, capsys, args, setup, check_mode=check_mode)
    assert result["changed"] is True and kit.names(result) == []
    assert_no_deprecation(result)


@kits
def test_the_old_option_without_purge_keeps_purge_false_and_warns(monkeypatch, capsys, kit):
    fresh_deprecations(monkeypatch)
    args = dict(kit.args, **{kit.old_option: kit.prefix})
    result = kit.run(monkeypatch, capsys, args, lambda s: kit.reads(s, True))
    assert result["changed"] is False, "the old default was purge=false: the undeclared one must stay"
    assert kit.names(result) == sorted([kit.declared, kit.old])
    assert_deprecated(result, f"{kit.old_option} is deprecated: use prefix", "purge: false")


@kits
def test_no_prefix_keeps_the_old_unscoped_task_without_purge_and_warns(monkeypatch, capsys, kit):
    fresh_deprecations(monkeypatch)
    result = kit.run(monkeypatch, capsys, kit.args, lambda s: kit.reads(s, False))
    assert result["changed"] is False
    assert kit.names(result) == sorted([kit.declared, kit.old, kit.outside])
    assert_deprecated(result, "without prefix", "prefix will be required")


@kits
def test_state_absent_without_prefix_is_refused_before_any_call(monkeypatch, capsys, kit):
    fresh_deprecations(monkeypatch)
    result = kit.run(monkeypatch, capsys, {"state": "absent"}, aws=False)
    assert result["failed"] and "state=absent needs prefix" in result["msg"]


# ---------------------------------------------------------------- the helpers


class FakeModule:
    def __init__(self, **params):
        self.params = dict({"prefix": None, "purge": None, "state": "present"}, **params)
        self.deprecations = []

    def deprecate(self, msg, version=None, collection_name=None):
        assert (version, collection_name) == ("2.0.0", "securecloud.monitor")
        self.deprecations.append(msg)


@pytest.mark.parametrize(
    ("params", "purge", "warned"),
    [
        ({"prefix": "web-"}, True, []),
        ({"prefix": "web-", "purge": False}, False, []),
        ({"prefix": ""}, True, []),
        ({"prefix": "web-", "old": "web-"}, False, ["old is deprecated: use prefix", "purge: false"]),
        ({"prefix": "web-", "old": "web-", "purge": True}, True, ["old is deprecated: use prefix, which means"]),
        ({}, False, ["without prefix manages everything", "prefix will be required"]),
        ({"purge": True}, True, ["without prefix"]),
    ],
)
def test_settle_keeps_the_old_default_for_old_style_tasks_only(params, purge, warned):
    module = FakeModule(**params)
    set_module.settle(module, old_prefix="old", old_purge_default=False, unscoped="everything")
    assert module.params["purge"] is purge
    text = " ".join(module.deprecations)
    assert all(part in text for part in warned), text
    assert bool(module.deprecations) is bool(warned)


def test_settle_for_a_module_whose_purge_always_defaulted_to_true():
    module = FakeModule(prefix="web-", old="web-")
    set_module.settle(module, old_prefix="old")
    assert module.params["purge"] is True
    assert module.deprecations == ["The option old is deprecated: use prefix, which means the same."]
    module = FakeModule()
    set_module.settle(module, old_prefix="old")
    assert module.params["purge"] is True and module.deprecations == []


@pytest.mark.parametrize(
    ("params", "needs"),
    [
        ({"prefix": None, "purge": True, "state": "present"}, "purge=true needs prefix"),
        ({"prefix": None, "purge": False, "state": "absent"}, "state=absent needs prefix"),
        ({"prefix": None, "purge": True, "state": "absent"}, "purge=true and state=absent needs prefix"),
        ({"prefix": None, "purge": False, "state": "present"}, None),
        ({"prefix": "", "purge": True, "state": "absent"}, None),
    ],
)
def test_unscoped_errors(params, needs):
    errors = set_module.unscoped_errors(params, "every thing")
    if needs is None:
        assert errors == []
    else:
        assert len(errors) == 1 and errors[0].startswith(needs) and "every thing" in errors[0] and "''" in errors[0]


def test_declared_items_and_deletes_undeclared():
    params = {"state": "present", "purge": False, "things": [1]}
    assert set_module.declared_items(params, "things") == [1] and not set_module.deletes_undeclared(params)
    params["state"] = "absent"
    assert set_module.declared_items(params, "things") == [] and set_module.deletes_undeclared(params)


@pytest.mark.parametrize("diff", [False, True])
def test_set_result_sorts_the_resources_and_diffs_only_those_touched(diff):
    module = FakeModule()
    module._diff = diff
    current = {"a": {"v": 1}, "b": {"v": 2}, "gone": {"v": 3}}
    after = {"b": {"v": 9}, "a": {"v": 1}, "new": {"v": 4}}
    result = set_module.set_result(module, True, "items", current, after, ["new"], ["b"], ["gone"])
    assert result["items"] == [{"v": 1}, {"v": 9}, {"v": 4}]
    assert (result["changed"], result["created"], result["updated"], result["deleted"]) == (
        True,
        ["new"],
        ["b"],
        ["gone"],
    )
    expected = {"before": {"b": {"v": 2}, "gone": {"v": 3}}, "after": {"new": {"v": 4}, "b": {"v": 9}}}
    assert result.get("diff") == (expected if diff else None)


# ---------------------------------------------------------------- owner_tag

OWNER_TAG_MODULES = ["cloudwatch_alarm_set", "shield_protection", "xray_group", "xray_sampling_rule"]


@pytest.mark.parametrize("name", sorted(SET_MODULES))
def test_owner_tag_comes_from_the_convention_when_a_module_takes_it(name):
    doc = documentation(name)
    spec = built_argument_spec(
        importlib.import_module(f"ansible_collections.securecloud.monitor.plugins.modules.{name}")
    )
    takes = name in OWNER_TAG_MODULES
    assert ("owner_tag" in spec) is takes
    assert ("securecloud.monitor.set_module.owner_tag" in doc["extends_documentation_fragment"]) is takes
    if takes:
        assert "owner_tag" not in doc["options"], f"{name} documents owner_tag itself: take it from the fragment"
        assert spec["owner_tag"] == set_module.set_argument_spec(owner_tag=True)["owner_tag"]
        text = (REPO / "plugins" / "modules" / f"{name}.py").read_text(encoding="utf-8")
        returned = yaml.safe_load(text.split('RETURN = r"""')[1].split('"""')[0])
        assert returned["kept_foreign"]["returned"] == "when O(owner_tag) is set"


OWNER = {"key": "securecloud:environment", "value": "prod"}


@pytest.mark.parametrize(
    ("owner_tag", "tags", "owned"),
    [
        (None, None, True),
        (None, {"securecloud:environment": "prod-eu"}, True),
        (OWNER, {"securecloud:environment": "prod"}, True),
        (OWNER, {"securecloud:environment": "prod-eu"}, False),
        (OWNER, {}, False),
        (OWNER, None, False),
    ],
)
def test_owns(owner_tag, tags, owned):
    assert set_module.owns({"owner_tag": owner_tag}, tags) is owned


def test_split_owned_reads_tags_only_with_an_owner_tag():
    candidates = [("prod-b", "B"), ("prod-eu-a", "A"), ("prod-c", "C")]
    tags = {"A": {"securecloud:environment": "prod-eu"}, "B": {"securecloud:environment": "prod"}, "C": {}}

    def unread(resource):
        raise AssertionError("no tag read without owner_tag")

    assert set_module.split_owned({"owner_tag": None}, candidates, unread) == (["B", "A", "C"], [])
    read = []
    owned, kept = set_module.split_owned({"owner_tag": OWNER}, candidates, lambda r: read.append(r) or tags[r])
    assert (owned, kept, read) == (["B"], ["prod-c", "prod-eu-a"], ["B", "A", "C"])


def test_owner_tag_errors_name_each_declared_item_without_the_tag():
    params = {
        "state": "present",
        "owner_tag": OWNER,
        "things": [{"tags": {"securecloud:environment": "prod"}}, {"tags": None}, {"tags": {"k": "v"}}],
    }
    errors = set_module.owner_tag_errors(params, "things")
    assert len(errors) == 2
    assert errors[0].startswith("things[1].tags does not set the owner tag securecloud:environment: prod")
    assert errors[1].startswith("things[2].tags lacks the owner tag")
    assert set_module.owner_tag_errors(dict(params, owner_tag=None), "things") == []
    assert set_module.owner_tag_errors(dict(params, state="absent"), "things") == []
