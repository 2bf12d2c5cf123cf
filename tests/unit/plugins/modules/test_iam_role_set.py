"""plugins/module_utils/iam.py and plugins/modules/iam_role_set.py: policy documents compared as JSON (IAM returns
them URL-encoded), input checks that make no call, and the module's calls against botocore Stubbers (which validate
every request against IAM's model)."""

from __future__ import annotations

import datetime
import json
from urllib.parse import quote

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import iam
from ansible_collections.securecloud.monitor.plugins.modules import iam_role_set as module

from tests.unit.aws_stub import AwsStub, stubbed_client
from tests.unit.concurrent_stubber import ConcurrentStubber
from tests.unit.set_convention import assert_no_deprecation, fresh_deprecations

ACCOUNT = "123456789012"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
OWN_POLICY = f"arn:aws:iam::{ACCOUNT}:policy/t-code-extra"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Logs", "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}],
}


def declared(name="t-code-build", **extra):
    return {
        "name": name,
        "description": "builds",
        "assume_role_policy": TRUST,
        "managed_policies": [READ_ONLY],
        "inline_policy": {"name": "delivery", "document": POLICY},
        "tags": {"env": "t"},
    } | extra


def encoded(document, spaced=True):
    """A document as IAM sends it: URL-encoded JSON text, with IAM's own spacing and key order."""
    text = json.dumps(document, indent=4 if spaced else None, sort_keys=True)
    return quote(text)


def api_role(name, description="builds", trust=None):
    role = {
        "Path": "/",
        "RoleName": name,
        "RoleId": "AROA" + name.upper().replace("-", "X").ljust(17, "X"),
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
        "CreateDate": datetime.datetime(2026, 1, 1),
        "AssumeRolePolicyDocument": encoded(trust or TRUST),
    }
    if description:
        role["Description"] = description
    return role


def stub_reads(stubber, roles):
    """ListRoles, then per role in the scope its tags, attachments and inline policy names (in any order) and each
    inline policy. ``roles``: {name: (description, tags, attached ARNs, {policy: document})}; names outside the
    scope are listed only."""
    listed = [api_role(name, *(facets[:1] if facets else ())) for name, facets in roles.items()]
    stubber.add_response("list_roles", {"Roles": listed, "IsTruncated": False})
    for name, facets in roles.items():
        if facets is None:
            continue
        _description, tags, attached, inline = facets
        with stubber.any_order():
            stubber.add_response(
                "list_role_tags",
                {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()], "IsTruncated": False},
                {"RoleName": name},
            )
            stubber.add_response(
                "list_attached_role_policies",
                {"AttachedPolicies": [{"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in attached]},
                {"RoleName": name},
            )
            stubber.add_response("list_role_policies", {"PolicyNames": list(inline)}, {"RoleName": name})
        for policy, document in inline.items():
            stubber.add_response(
                "get_role_policy",
                {"RoleName": name, "PolicyName": policy, "PolicyDocument": encoded(document)},
                {"RoleName": name, "PolicyName": policy},
            )


def as_declared(name="t-code-build"):
    """The facets of an existing role exactly as declared() declares it."""
    return {name: ("builds", {"env": "t"}, [READ_ONLY], {"delivery": POLICY})}


def run(monkeypatch, capsys, args, setup=None, check_mode=False, diff=False, aws=True):
    fresh_deprecations(monkeypatch)
    client, stubber = stubbed_client("iam", stubber_class=ConcurrentStubber)
    aws_stub = AwsStub(monkeypatch, capsys)
    if aws:
        aws_stub.module_clients(module, client)
    else:
        monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda *_a, **_kw: pytest.fail("an AWS client"))
    if setup:
        setup(stubber)
    return aws_stub.run(module, {"prefix": "t-code"} | args, stubber, check_mode=check_mode, diff=diff)


# ---------------------------------------------------------------- shapes


@pytest.mark.parametrize("form", [POLICY, json.dumps(POLICY), encoded(POLICY), encoded(POLICY, spaced=False)])
def test_a_policy_document_reads_the_same_in_every_form_iam_returns(form):
    assert iam.policy_document(form) == POLICY


@pytest.mark.parametrize(
    ("arn", "ok"),
    [
        (READ_ONLY, True),
        (OWN_POLICY, True),
        ("arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForECS", True),
        ("ReadOnlyAccess", False),
        (f"arn:aws:iam::{ACCOUNT}:role/t-code-build", False),
        ("arn:aws:iam:eu-west-1:aws:policy/ReadOnlyAccess", False),
        ("arn:aws:iam::someone:policy/x", False),
        (f"arn:aws:s3:::{ACCOUNT}-bucket", False),
    ],
)
def test_managed_policy_arns(arn, ok):
    assert iam.is_managed_policy_arn(arn) is ok


# ---------------------------------------------------------------- bad input, before any call


@pytest.mark.parametrize(
    ("roles", "said"),
    [
        ([declared("other-build")], "roles[0].name 'other-build' must start with the prefix 't-code'"),
        ([declared(), declared()], "roles[1].name 't-code-build' repeats roles[0].name"),
        ([declared("t-code-" + "x" * 60)], "must have 1 to 64 letters"),
        ([declared(managed_policies=[READ_ONLY, "ReadOnlyAccess"])], "roles[0].managed_policies[1] 'ReadOnlyAccess'"),
        (
            # IAM counts a role's inline policies without whitespace, 10,240 characters at most.
            [
                declared(
                    inline_policy={
                        "name": "delivery",
                        "document": {"Statement": [{"Sid": "x" * 10300, "Effect": "Allow"}]},
                    }
                )
            ],
            "roles[0].inline_policy.document has",
        ),
    ],
)
def test_bad_input_is_refused_before_any_call(monkeypatch, capsys, roles, said):
    result = run(monkeypatch, capsys, {"roles": roles}, aws=False)
    assert result["failed"] and said in result["msg"], result["msg"]


def test_an_empty_prefix_is_refused(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"prefix": "", "state": "absent"}, aws=False)
    assert "prefix is empty" in result["msg"]


def test_the_model_check_names_the_option_before_any_write(monkeypatch, capsys):
    # IAM's model: a policy name matches [\w+=,.@-]+ and a description has at most 1000 characters.
    role = declared(description="d" * 1001, inline_policy={"name": "bad name", "document": POLICY})
    result = run(monkeypatch, capsys, {"roles": [role]}, setup=lambda s: None)
    assert result["failed"]
    assert any(e.startswith("roles[0].description") and "1000" in e for e in result["errors"]), result["errors"]
    assert any(e.startswith("roles[0].inline_policy.name 'bad name'") for e in result["errors"]), result["errors"]


# ---------------------------------------------------------------- runs


def created_role_calls(stubber, role):
    stubber.add_response(
        "create_role",
        {"Role": api_role(role["name"])},
        {
            "RoleName": role["name"],
            "AssumeRolePolicyDocument": json.dumps(role["assume_role_policy"]),
            "Description": role["description"],
            "Tags": [{"Key": k, "Value": v} for k, v in sorted(role["tags"].items())],
        },
    )
    for arn in sorted(role["managed_policies"]):
        stubber.add_response("attach_role_policy", {}, {"RoleName": role["name"], "PolicyArn": arn})
    inline = role["inline_policy"]
    stubber.add_response(
        "put_role_policy",
        {},
        {"RoleName": role["name"], "PolicyName": inline["name"], "PolicyDocument": json.dumps(inline["document"])},
    )


def test_create_makes_the_role_then_its_policies(monkeypatch, capsys):
    role = declared()

    def setup(stubber):
        stub_reads(stubber, {"other-role": None})
        created_role_calls(stubber, role)

    result = run(monkeypatch, capsys, {"roles": [role]}, setup)
    assert result["changed"] and result["changes"] == {"created": ["t-code-build"], "updated": [], "deleted": []}
    assert_no_deprecation(result)


def test_check_mode_reads_only_and_predicts_the_result_of_a_real_run(monkeypatch, capsys):
    role = declared()
    checked = run(monkeypatch, capsys, {"roles": [role]}, lambda s: stub_reads(s, {}), check_mode=True, diff=True)
    assert checked["changed"] and checked["diff"]["before"] == {}

    def setup(stubber):
        stub_reads(stubber, {})
        created_role_calls(stubber, role)

    real = run(monkeypatch, capsys, {"roles": [role]}, setup, diff=True)
    assert (checked["roles"], checked["changes"], checked["diff"]) == (real["roles"], real["changes"], real["diff"])


def test_a_rerun_with_iams_encoding_and_key_order_makes_read_calls_only(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"roles": [declared()]}, lambda s: stub_reads(s, as_declared()), diff=True)
    assert result["changed"] is False and result["diff"]["before"] == result["diff"]["after"]
    assert result["roles"][0]["inline_policies"] == {"delivery": POLICY}


def test_an_update_calls_only_what_differs(monkeypatch, capsys):
    """Trust, description, tags, a managed policy swapped and the inline policy changed; an undeclared inline
    policy is deleted after the declared one is put."""
    new_trust = json.loads(json.dumps(TRUST).replace("codebuild", "codepipeline"))
    new_policy = {"Version": "2012-10-17", "Statement": [dict(POLICY["Statement"][0], Resource="arn:aws:logs:*")]}
    role = declared(
        assume_role_policy=new_trust,
        description="builds more",
        managed_policies=[OWN_POLICY],
        inline_policy={"name": "delivery", "document": new_policy},
        tags={"env": "t", "team": "a"},
    )
    current = {"t-code-build": ("builds", {"env": "t", "old": "x"}, [READ_ONLY], {"delivery": POLICY, "debug": {}})}

    def setup(stubber):
        stub_reads(stubber, current)
        name = {"RoleName": "t-code-build"}
        stubber.add_response("update_assume_role_policy", {}, name | {"PolicyDocument": json.dumps(new_trust)})
        stubber.add_response("update_role", {}, name | {"Description": "builds more"})
        stubber.add_response("untag_role", {}, name | {"TagKeys": ["old"]})
        stubber.add_response("tag_role", {}, name | {"Tags": [{"Key": "team", "Value": "a"}]})
        stubber.add_response("attach_role_policy", {}, name | {"PolicyArn": OWN_POLICY})
        stubber.add_response("detach_role_policy", {}, name | {"PolicyArn": READ_ONLY})
        stubber.add_response(
            "put_role_policy", {}, name | {"PolicyName": "delivery", "PolicyDocument": json.dumps(new_policy)}
        )
        stubber.add_response("delete_role_policy", {}, name | {"PolicyName": "debug"})

    result = run(monkeypatch, capsys, {"roles": [role]}, setup, diff=True)
    assert result["changes"] == {"created": [], "updated": ["t-code-build"], "deleted": []}
    before, after = result["diff"]["before"]["t-code-build"], result["diff"]["after"]["t-code-build"]
    assert (before["managed_policies"], after["managed_policies"]) == ([READ_ONLY], [OWN_POLICY])
    assert sorted(before["inline_policies"]) == ["delivery"] and "debug" not in after.get("inline_policies", {})


def test_a_description_not_set_is_left_alone(monkeypatch, capsys):
    role = declared(description=None)
    result = run(monkeypatch, capsys, {"roles": [role]}, lambda s: stub_reads(s, as_declared()))
    assert result["changed"] is False and result["roles"][0]["description"] == "builds"


def deletion(stubber, name, inline=("delivery",), attached=(READ_ONLY,), profiles=()):
    for policy in inline:
        stubber.add_response("delete_role_policy", {}, {"RoleName": name, "PolicyName": policy})
    for arn in attached:
        stubber.add_response("detach_role_policy", {}, {"RoleName": name, "PolicyArn": arn})
    listed = [
        {
            "Path": "/",
            "InstanceProfileName": profile,
            "InstanceProfileId": "AIPA" + profile.upper().ljust(17, "X"),
            "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{profile}",
            "CreateDate": datetime.datetime(2026, 1, 1),
            "Roles": [],
        }
        for profile in profiles
    ]
    stubber.add_response("list_instance_profiles_for_role", {"InstanceProfiles": listed}, {"RoleName": name})
    for profile in profiles:
        stubber.add_response(
            "remove_role_from_instance_profile", {}, {"RoleName": name, "InstanceProfileName": profile}
        )
    stubber.add_response("delete_role", {}, {"RoleName": name})


def test_purge_deletes_an_undeclared_role_with_its_attachments_never_one_outside_the_prefix(monkeypatch, capsys):
    roles = as_declared() | {"t-code-old": ("", {}, [READ_ONLY], {"delivery": POLICY}), "other-role": None}

    def setup(stubber):
        stub_reads(stubber, roles)
        deletion(stubber, "t-code-old", profiles=("t-code-old",))

    result = run(monkeypatch, capsys, {"roles": [declared()]}, setup)
    assert result["changes"] == {"created": [], "updated": [], "deleted": ["t-code-old"]}
    assert [r["name"] for r in result["roles"]] == ["t-code-build"]


def test_purge_false_keeps_an_undeclared_role(monkeypatch, capsys):
    roles = as_declared() | {"t-code-old": ("", {}, [], {})}
    result = run(monkeypatch, capsys, {"roles": [declared()], "purge": False}, lambda s: stub_reads(s, roles))
    assert result["changed"] is False and [r["name"] for r in result["roles"]] == ["t-code-build", "t-code-old"]


def test_state_absent_empties_the_scope_whatever_purge(monkeypatch, capsys):
    def setup(stubber):
        stub_reads(stubber, as_declared() | {"other-role": None})
        deletion(stubber, "t-code-build")

    result = run(monkeypatch, capsys, {"roles": [declared()], "state": "absent", "purge": False}, setup)
    assert result["changes"]["deleted"] == ["t-code-build"] and result["roles"] == []
