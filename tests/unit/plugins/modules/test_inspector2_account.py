"""plugins/modules/inspector2_account.py and plugins/module_utils/inspector2.py against botocore Stubbers: input
checks, the set comparison (ENABLING counts as enabled, DISABLING as disabled), purge, absent, several accounts,
refused accounts, waiting, check mode and diff."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import inspector2
from ansible_collections.securecloud.monitor.plugins.modules import inspector2_account as module

from tests.unit.aws_stub import AwsStub, stubbed_client

ACCOUNT = "123456789012"
MEMBER = "111122223333"
REGION = "eu-west-1"
KEYS = {
    "EC2": "ec2",
    "ECR": "ecr",
    "LAMBDA": "lambda",
    "LAMBDA_CODE": "lambdaCode",
    "CODE_REPOSITORY": "codeRepository",
}


def stubbed(service):
    return stubbed_client(service, REGION)


class Clock:
    """time.monotonic/time.sleep of the module: sleeping moves the clock, nothing really waits."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def run_module(monkeypatch, capsys, args, setup=None, sts=True, check_mode=False, diff=False, aws=True, clock=None):
    """Run ``main()`` with ``args`` (region eu-west-1) against Stubbers; an unstubbed call fails the module. With
    ``sts`` the caller's account is asked first (account_ids not set)."""
    client, stubber = stubbed("inspector2")
    sts_client, sts_stubber = stubbed("sts")
    if sts and aws:
        sts_stubber.add_response(
            "get_caller_identity",
            {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/ci", "UserId": "AIDAEXAMPLE"},
            {},
        )
    if setup:
        setup(stubber)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(module, aws, inspector2_client=client, sts_client=sts_client)
    clock = clock or Clock()
    monkeypatch.setattr(module.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(module.time, "sleep", clock.sleep)
    full_args = dict(args, region=REGION)
    return aws_stub.run(module, full_args, stubber, sts_stubber, check_mode=check_mode, diff=diff)


def api_state(account=ACCOUNT, error=None, **statuses):
    """An AccountState of BatchGetAccountStatus; scan types not given are DISABLED."""

    def state(status, kind):
        code, message = (error or {}).get(
            kind, ("ALREADY_ENABLED" if status == "ENABLED" else "RESOURCE_NOT_FOUND", "-")
        )
        return {"status": status, "errorCode": code, "errorMessage": message}

    resource_state = dict(
        (key, state(statuses.get(kind, "DISABLED"), kind)) for kind, key in KEYS.items() if key != "codeRepository"
    )
    if "CODE_REPOSITORY" in statuses:
        resource_state["codeRepository"] = state(statuses["CODE_REPOSITORY"], "CODE_REPOSITORY")
    overall = inspector2.account_status(dict((kind, statuses.get(kind, "DISABLED")) for kind in KEYS))
    return {
        "accountId": account,
        "state": {"status": overall, "errorCode": "ALREADY_ENABLED", "errorMessage": "-"},
        "resourceState": resource_state,
    }


def api_account(account=ACCOUNT, **statuses):
    """An Account of an Enable/Disable answer."""
    resource_status = dict((key, statuses.get(kind, "DISABLED")) for kind, key in KEYS.items())
    return {
        "accountId": account,
        "status": inspector2.account_status(dict((kind, statuses.get(kind, "DISABLED")) for kind in KEYS)),
        "resourceStatus": resource_status,
    }


def read(stubber, *states, account_ids=(ACCOUNT,), failed=None):
    answer = {"accounts": list(states)}
    if failed:
        answer["failedAccounts"] = failed
    stubber.add_response("batch_get_account_status", answer, {"accountIds": list(account_ids)})


def switch(stubber, operation, types, *accounts, account_ids=(ACCOUNT,), failed=None):
    answer = {"accounts": list(accounts)}
    if failed:
        answer["failedAccounts"] = failed
    stubber.add_response(operation, answer, {"accountIds": list(account_ids), "resourceTypes": sorted(types)})


# ---------------------------------------------------------------- input checks (no AWS call at all)

BAD_INPUT = [
    ({"resource_types": ["ECR"], "account_ids": ["12345"]}, ["account_ids[0] '12345' is not an AWS account ID", "12"]),
    (
        {"resource_types": ["ECR"], "account_ids": [ACCOUNT, "1234-5678-9012"]},
        ["account_ids[1] '1234-5678-9012'", "without spaces or dashes"],
    ),
    ({"resource_types": ["ECR"], "account_ids": []}, ["account_ids is an empty list", "leave it unset"]),
    ({"resource_types": []}, ["resource_types is empty", "state=absent"]),
    ({"resource_types": ["ECR"], "wait": True, "wait_timeout": 0}, ["wait_timeout is 0", "at least 1"]),
    ({"resource_types": ["ECR", "ecr"]}, ["resource_types must be one or more of", "EC2, ECR, LAMBDA, LAMBDA_CODE"]),
    ({"resource_types": ["CODE_REPOSITORY"]}, ["resource_types", "Got no match for: CODE_REPOSITORY"]),
    ({}, ["state is present but all of the following are missing: resource_types"]),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_aws_call(monkeypatch, capsys, args, expected):
    result = run_module(monkeypatch, capsys, args, aws=False)
    assert result["failed"] is True
    for part in expected:
        assert part in result["msg"], result["msg"]


def test_every_problem_is_reported_at_once():
    errors = inspector2.validate(
        {"account_ids": ["1", "x"], "state": "present", "resource_types": [], "wait": True, "wait_timeout": -5}
    )
    assert [e.split(" ", 1)[0] for e in errors] == [
        "account_ids[0]",
        "account_ids[1]",
        "resource_types",
        "wait_timeout",
    ]


# ---------------------------------------------------------------- shapes


def test_account_from_api_reads_both_shapes_and_fills_missing_types():
    state = api_state(ECR="ENABLING", EC2="ENABLED")
    del state["resourceState"]["lambdaCode"]
    shape = inspector2.account_from_api(state)
    assert shape["resource_status"] == {
        "EC2": "ENABLED",
        "ECR": "ENABLING",
        "LAMBDA": "DISABLED",
        "LAMBDA_CODE": "DISABLED",
        "CODE_REPOSITORY": "DISABLED",
    }
    assert shape["status"] == "ENABLED" and shape["errors"]["EC2"] == "ALREADY_ENABLED: -"
    answer = inspector2.account_from_api(api_account(LAMBDA="DISABLING", CODE_REPOSITORY="ENABLED"))
    assert answer["resource_status"]["LAMBDA"] == "DISABLING" and answer["errors"] == {}
    assert inspector2.enabled_types(answer) == ["CODE_REPOSITORY"]
    assert inspector2.account_to_return(answer)["resource_status"] == {
        "ec2": "DISABLED",
        "ecr": "DISABLED",
        "lambda": "DISABLING",
        "lambda_code": "DISABLED",
        "code_repository": "ENABLED",
    }


def test_enabling_counts_as_enabled_and_disabling_and_suspended_as_disabled():
    shape = inspector2.account_from_api(api_state(EC2="ENABLING", ECR="DISABLING", LAMBDA="SUSPENDED"))
    assert inspector2.enabled_types(shape) == ["EC2"]


def test_account_status_adds_up_the_types():
    assert inspector2.account_status({"EC2": "ENABLING", "ECR": "ENABLED"}) == "ENABLED"
    assert inspector2.account_status({"EC2": "ENABLING", "ECR": "DISABLED"}) == "ENABLING"
    assert inspector2.account_status({"EC2": "DISABLING", "ECR": "DISABLED"}) == "DISABLING"
    assert inspector2.account_status({"EC2": "DISABLED"}) == "DISABLED"


def test_long_account_lists_are_read_in_batches_of_100():
    ids = [f"{n:012d}" for n in range(1, 152)]
    client, stubber = stubbed("inspector2")
    stubber.add_response(
        "batch_get_account_status", {"accounts": [api_state(i) for i in ids[:100]]}, {"accountIds": ids[:100]}
    )
    stubber.add_response(
        "batch_get_account_status", {"accounts": [api_state(i) for i in ids[100:]]}, {"accountIds": ids[100:]}
    )
    with stubber:
        found, failed = inspector2.batch_get_account_status(client, ids)
    assert [a["accountId"] for a in found] == ids and failed == []
    stubber.assert_no_pending_responses()


# ---------------------------------------------------------------- present


def test_check_mode_on_a_fresh_account_predicts_enabling_without_calling_enable(monkeypatch, capsys):
    result = run_module(
        monkeypatch,
        capsys,
        {"resource_types": ["ECR", "EC2"]},
        lambda s: read(s, api_state()),
        check_mode=True,
        diff=True,
    )
    assert result["changed"] is True
    [account] = result["accounts"]
    assert account["account_id"] == ACCOUNT and account["status"] == "ENABLING"
    assert account["resource_status"] == {
        "ec2": "ENABLING",
        "ecr": "ENABLING",
        "lambda": "DISABLED",
        "lambda_code": "DISABLED",
        "code_repository": "DISABLED",
    }
    assert account["enabled_resource_types"] == ["EC2", "ECR"]
    assert result["diff"] == {"before": {}, "after": {ACCOUNT: {"enabled_resource_types": ["EC2", "ECR"]}}}


def test_check_mode_with_wait_predicts_the_settled_status(monkeypatch, capsys):
    result = run_module(
        monkeypatch, capsys, {"resource_types": ["ECR"], "wait": True}, lambda s: read(s, api_state()), check_mode=True
    )
    assert result["accounts"][0]["resource_status"]["ecr"] == "ENABLED"


def test_enable_calls_enable_once_for_the_missing_types(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, api_state(EC2="ENABLED"))
        switch(stubber, "enable", ["ECR"], api_account(EC2="ENABLED", ECR="ENABLING"))

    result = run_module(monkeypatch, capsys, {"resource_types": ["ECR", "EC2"]}, setup)
    assert result["changed"] is True
    assert result["accounts"][0]["resource_status"]["ecr"] == "ENABLING"
    assert result["accounts"][0]["enabled_resource_types"] == ["EC2", "ECR"]


def test_a_type_being_enabled_is_no_change(monkeypatch, capsys):
    result = run_module(
        monkeypatch,
        capsys,
        {"resource_types": ["ECR", "EC2"]},
        lambda s: read(s, api_state(EC2="ENABLED", ECR="ENABLING")),
    )
    assert result["changed"] is False
    assert result["accounts"][0]["resource_status"]["ecr"] == "ENABLING"


def test_a_type_being_disabled_is_enabled_again(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, api_state(ECR="DISABLING"))
        switch(stubber, "enable", ["ECR"], api_account(ECR="ENABLING"))

    assert run_module(monkeypatch, capsys, {"resource_types": ["ECR"]}, setup)["changed"] is True


def test_purge_disables_the_managed_types_not_listed_but_not_code_repository(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, api_state(ECR="ENABLED", LAMBDA="ENABLED", LAMBDA_CODE="ENABLING", CODE_REPOSITORY="ENABLED"))
        switch(
            stubber,
            "enable",
            ["EC2"],
            api_account(
                EC2="ENABLING", ECR="ENABLED", LAMBDA="ENABLED", LAMBDA_CODE="ENABLING", CODE_REPOSITORY="ENABLED"
            ),
        )
        switch(
            stubber,
            "disable",
            ["LAMBDA", "LAMBDA_CODE"],
            api_account(
                EC2="ENABLING", ECR="ENABLED", LAMBDA="DISABLING", LAMBDA_CODE="DISABLING", CODE_REPOSITORY="ENABLED"
            ),
        )

    result = run_module(monkeypatch, capsys, {"resource_types": ["ECR", "EC2"]}, setup, diff=True)
    assert result["changed"] is True
    assert result["accounts"][0]["enabled_resource_types"] == ["CODE_REPOSITORY", "EC2", "ECR"]
    assert result["diff"]["before"][ACCOUNT]["enabled_resource_types"] == [
        "CODE_REPOSITORY",
        "ECR",
        "LAMBDA",
        "LAMBDA_CODE",
    ]
    assert result["diff"]["after"][ACCOUNT]["enabled_resource_types"] == ["CODE_REPOSITORY", "EC2", "ECR"]


def test_without_purge_other_types_are_left_alone(monkeypatch, capsys):
    result = run_module(
        monkeypatch,
        capsys,
        {"resource_types": ["ECR"], "purge": False},
        lambda s: read(s, api_state(ECR="ENABLED", LAMBDA="ENABLED")),
    )
    assert result["changed"] is False
    assert result["accounts"][0]["enabled_resource_types"] == ["ECR", "LAMBDA"]


def test_given_accounts_skip_sts_and_share_one_call_per_set_of_types(monkeypatch, capsys):
    third = "444455556666"
    ids = [MEMBER, ACCOUNT, third]

    def setup(stubber):
        read(
            stubber,
            api_state(MEMBER),
            api_state(ACCOUNT, ECR="ENABLED"),
            api_state(third),
            account_ids=sorted(ids),
        )
        switch(stubber, "enable", ["EC2"], api_account(ACCOUNT, EC2="ENABLING", ECR="ENABLED"), account_ids=[ACCOUNT])
        switch(
            stubber,
            "enable",
            ["EC2", "ECR"],
            api_account(MEMBER, EC2="ENABLING", ECR="ENABLING"),
            api_account(third, EC2="ENABLING", ECR="ENABLING"),
            account_ids=[MEMBER, third],
        )

    result = run_module(
        monkeypatch, capsys, {"resource_types": ["ECR", "EC2"], "account_ids": [*ids, ACCOUNT]}, setup, sts=False
    )
    assert result["changed"] is True
    assert [a["account_id"] for a in result["accounts"]] == sorted(ids)
    assert all(a["enabled_resource_types"] == ["EC2", "ECR"] for a in result["accounts"])


def test_an_account_inspector_refuses_to_read_fails_before_any_change(monkeypatch, capsys):
    failed = [{"accountId": MEMBER, "errorCode": "ACCESS_DENIED", "errorMessage": "not a member"}]

    def setup(stubber):
        read(stubber, account_ids=[MEMBER], failed=failed)

    result = run_module(monkeypatch, capsys, {"resource_types": ["ECR"], "account_ids": [MEMBER]}, setup, sts=False)
    assert result["failed"] is True and result["changed"] is False
    assert f"{MEMBER}: ACCESS_DENIED not a member" in result["msg"] and "delegated administrator" in result["msg"]
    assert result["failed_accounts"] == [
        {"account_id": MEMBER, "error_code": "ACCESS_DENIED", "error_message": "not a member"}
    ]


def test_an_account_refused_by_enable_fails_the_task_as_changed(monkeypatch, capsys):
    failed = [{"accountId": MEMBER, "errorCode": "ACCOUNT_IS_ISOLATED", "errorMessage": "isolated"}]

    def setup(stubber):
        read(stubber, api_state(MEMBER), api_state(ACCOUNT), account_ids=[MEMBER, ACCOUNT])
        switch(
            stubber,
            "enable",
            ["ECR"],
            api_account(ACCOUNT, ECR="ENABLING"),
            account_ids=[MEMBER, ACCOUNT],
            failed=failed,
        )

    result = run_module(
        monkeypatch, capsys, {"resource_types": ["ECR"], "account_ids": [ACCOUNT, MEMBER]}, setup, sts=False
    )
    assert result["failed"] is True and result["changed"] is True
    assert "could not enable the scan types of 1 account(s)" in result["msg"] and "ACCOUNT_IS_ISOLATED" in result["msg"]
    assert [a["account_id"] for a in result["accounts"]] == [MEMBER, ACCOUNT]


def test_an_api_error_names_the_call(monkeypatch, capsys):
    def setup(stubber):
        stubber.add_client_error(
            "batch_get_account_status",
            "AccessDeniedException",
            "not allowed",
            403,
            expected_params={"accountIds": [ACCOUNT]},
        )

    result = run_module(monkeypatch, capsys, {"resource_types": ["ECR"]}, setup)
    assert result["failed"] is True
    assert "get the Inspector status of the accounts" in result["msg"] and "not allowed" in result["msg"]


# ---------------------------------------------------------------- absent


def test_absent_disables_every_type_code_repository_included(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, api_state(ECR="ENABLED", EC2="ENABLING", CODE_REPOSITORY="ENABLED"))
        switch(
            stubber,
            "disable",
            ["CODE_REPOSITORY", "EC2", "ECR"],
            api_account(ECR="DISABLING", EC2="DISABLING", CODE_REPOSITORY="DISABLING"),
        )

    result = run_module(monkeypatch, capsys, {"state": "absent", "purge": False}, setup, diff=True)
    assert result["changed"] is True
    assert result["accounts"][0]["enabled_resource_types"] == [] and result["accounts"][0]["status"] == "DISABLING"
    assert result["diff"]["after"] == {}


def test_absent_on_a_disabled_account_is_no_change(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, {"state": "absent"}, lambda s: read(s, api_state(ECR="DISABLING")))
    assert result["changed"] is False


# ---------------------------------------------------------------- wait


def test_wait_reads_until_inspector_is_done(monkeypatch, capsys):
    clock = Clock()

    def setup(stubber):
        read(stubber, api_state(LAMBDA="ENABLED"))
        switch(stubber, "enable", ["ECR"], api_account(ECR="ENABLING", LAMBDA="ENABLED"))
        switch(stubber, "disable", ["LAMBDA"], api_account(ECR="ENABLING", LAMBDA="DISABLING"))
        read(stubber, api_state(ECR="ENABLING", LAMBDA="DISABLED"))
        read(stubber, api_state(ECR="ENABLED"))

    result = run_module(monkeypatch, capsys, {"resource_types": ["ECR"], "wait": True}, setup, clock=clock)
    assert result["changed"] is True
    assert result["accounts"][0]["resource_status"]["ecr"] == "ENABLED"
    assert result["accounts"][0]["resource_status"]["lambda"] == "DISABLED"
    assert clock.sleeps == [1, 2]


def test_wait_without_change_on_a_settled_account_makes_no_further_read(monkeypatch, capsys):
    clock = Clock()
    result = run_module(
        monkeypatch,
        capsys,
        {"resource_types": ["ECR"], "wait": True},
        lambda s: read(s, api_state(ECR="ENABLED")),
        clock=clock,
    )
    assert result["changed"] is False and clock.sleeps == []


def test_wait_also_waits_for_an_earlier_change(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, api_state(ECR="ENABLING"))
        read(stubber, api_state(ECR="ENABLED"))

    result = run_module(monkeypatch, capsys, {"resource_types": ["ECR"], "wait": True}, setup)
    assert result["changed"] is False and result["accounts"][0]["status"] == "ENABLED"


def test_wait_fails_with_inspectors_error_when_a_type_did_not_switch(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, api_state())
        switch(stubber, "enable", ["EC2"], api_account(EC2="ENABLING"))
        read(stubber, api_state(error={"EC2": ("SSM_UNAVAILABLE", "SSM is not available")}))

    result = run_module(monkeypatch, capsys, {"resource_types": ["EC2"], "wait": True}, setup)
    assert result["failed"] is True and result["changed"] is True
    assert f"{ACCOUNT} EC2 is DISABLED (SSM_UNAVAILABLE: SSM is not available)" in result["msg"]


def test_wait_gives_up_after_wait_timeout(monkeypatch, capsys):
    clock = Clock()

    def setup(stubber):
        read(stubber, api_state())
        switch(stubber, "enable", ["ECR"], api_account(ECR="ENABLING"))
        for _ in range(3):
            read(stubber, api_state(ECR="ENABLING"))

    result = run_module(
        monkeypatch, capsys, {"resource_types": ["ECR"], "wait": True, "wait_timeout": 5}, setup, clock=clock
    )
    assert result["failed"] is True and result["changed"] is True
    assert (
        "did not finish within wait_timeout=5 seconds" in result["msg"] and f"{ACCOUNT} ECR ENABLING" in result["msg"]
    )
    assert clock.sleeps == [1, 2, 2]
    assert result["accounts"][0]["resource_status"]["ecr"] == "ENABLING"
