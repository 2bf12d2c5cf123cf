"""Inspector (v2) account status (tools/localcloud/extensions/services/inspector2.py) on a real server, real boto3.

The server switches a scan type in ``TRANSITION_SECONDS`` (1 s): ENABLING/DISABLING first, as AWS answers.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tools.localcloud.extensions.services.inspector2 import TRANSITION_SECONDS

from .conftest import Cloud

ACCOUNT = "123456789012"
MEMBER = "111122223333"
NO_VALIDATION = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)
ALL_DISABLED = {key: "DISABLED" for key in ("ec2", "ecr", "lambda", "lambdaCode", "codeRepository")}


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


@pytest.fixture
def inspector(cloud: Cloud) -> Any:
    return cloud.client("inspector2", config=NO_VALIDATION)


def _status(inspector: Any, *accounts: str) -> dict[str, Any]:
    answer = inspector.batch_get_account_status(**({"accountIds": list(accounts)} if accounts else {}))
    return {a["accountId"]: a for a in answer["accounts"]} | {"failed": answer.get("failedAccounts", [])}


def _types(inspector: Any, account: str = ACCOUNT) -> dict[str, str]:
    return {key: state["status"] for key, state in _status(inspector, account)[account]["resourceState"].items()}


def _settle() -> None:
    time.sleep(TRANSITION_SECONDS + 0.2)


def test_a_fresh_account_is_disabled_and_the_caller_is_the_default(inspector: Any) -> None:
    for status in (_status(inspector), _status(inspector, ACCOUNT)):
        assert status[ACCOUNT]["state"]["status"] == "DISABLED"
        assert _types(inspector) == ALL_DISABLED
        assert status["failed"] == []


def test_enable_goes_through_enabling(inspector: Any) -> None:
    answer = inspector.enable(resourceTypes=["ECR", "EC2"])  # no accountIds: the caller's account
    [account] = answer["accounts"]
    assert account["accountId"] == ACCOUNT and account["status"] == "ENABLING"
    assert account["resourceStatus"] == {
        "ec2": "ENABLING",
        "ecr": "ENABLING",
        "lambda": "DISABLED",
        "lambdaCode": "DISABLED",
        "codeRepository": "DISABLED",
    }
    assert _types(inspector)["ecr"] == "ENABLING"
    _settle()
    status = _status(inspector)[ACCOUNT]
    assert status["state"]["status"] == "ENABLED"
    # State's errorCode and errorMessage are required members of AWS's answer, whatever the status; an enabled type
    # is already enabled (the shape the unit tests of inspector2_account were written against).
    assert status["resourceState"]["ecr"]["errorCode"] == "ALREADY_ENABLED"
    assert _types(inspector) == {
        "ec2": "ENABLED",
        "ecr": "ENABLED",
        "lambda": "DISABLED",
        "lambdaCode": "DISABLED",
        "codeRepository": "DISABLED",
    }
    # Enabling an enabled type changes nothing.
    again = inspector.enable(accountIds=[ACCOUNT], resourceTypes=["ECR"])["accounts"][0]
    assert again["resourceStatus"]["ecr"] == "ENABLED" and again["status"] == "ENABLED"


def test_disable_goes_through_disabling_and_without_types_disables_all(inspector: Any) -> None:
    inspector.enable(resourceTypes=["ECR", "LAMBDA", "CODE_REPOSITORY"])
    _settle()
    answer = inspector.disable(accountIds=[ACCOUNT], resourceTypes=["LAMBDA"])["accounts"][0]
    assert answer["resourceStatus"]["lambda"] == "DISABLING" and answer["status"] == "ENABLED"
    answer = inspector.disable()["accounts"][0]  # every type, the caller's account
    assert answer["status"] == "DISABLING"
    assert answer["resourceStatus"]["ecr"] == "DISABLING" and answer["resourceStatus"]["codeRepository"] == "DISABLING"
    _settle()
    assert _types(inspector) == ALL_DISABLED


def test_enable_during_disabling_turns_back(inspector: Any) -> None:
    inspector.enable(resourceTypes=["ECR"])
    _settle()
    inspector.disable(resourceTypes=["ECR"])
    assert inspector.enable(resourceTypes=["ECR"])["accounts"][0]["resourceStatus"]["ecr"] == "ENABLING"
    _settle()
    assert _types(inspector)["ecr"] == "ENABLED"


def test_other_accounts_need_to_be_associated_members(inspector: Any) -> None:
    answer = inspector.enable(accountIds=[ACCOUNT, MEMBER], resourceTypes=["ECR"])
    assert [a["accountId"] for a in answer["accounts"]] == [ACCOUNT]
    assert answer["failedAccounts"] == [
        {
            "accountId": MEMBER,
            "errorCode": "ACCESS_DENIED",
            "errorMessage": f"Account {MEMBER} is not associated with the administrator account",
        }
    ]
    assert [f["accountId"] for f in _status(inspector, MEMBER)["failed"]] == [MEMBER]
    inspector.associate_member(accountId=MEMBER)  # moto's own action
    answer = inspector.enable(accountIds=[MEMBER], resourceTypes=["EC2"])
    assert answer["failedAccounts"] == [] and answer["accounts"][0]["resourceStatus"]["ec2"] == "ENABLING"
    assert _types(inspector, MEMBER)["ec2"] == "ENABLING"
    assert _types(inspector, ACCOUNT)["ec2"] == "DISABLED"


@pytest.mark.parametrize(
    ("call", "params", "message"),
    [
        ("enable", {"resourceTypes": ["ECR", "KUBERNETES"]}, "Value '[KUBERNETES]' at 'resourceTypes'"),
        ("enable", {}, "Value null at 'resourceTypes'"),
        ("enable", {"resourceTypes": []}, "Member must have length greater than or equal to 1"),
        ("disable", {"resourceTypes": ["ecr"]}, "Member must satisfy enum value set"),
        ("enable", {"accountIds": ["1234"], "resourceTypes": ["ECR"]}, "Value '[1234]' at 'accountIds'"),
        ("batch_get_account_status", {"accountIds": ["12345678901a"]}, "regular expression pattern"),
        ("batch_get_account_status", {"accountIds": [f"{n:012d}" for n in range(101)]}, "less than or equal to 100"),
    ],
)
def test_bad_input_is_a_validation_exception(inspector: Any, call: str, params: dict, message: str) -> None:
    with pytest.raises(ClientError) as err:
        getattr(inspector, call)(**params)
    assert _code(err) == "ValidationException"
    assert message in str(err.value)
    assert _types(inspector) == ALL_DISABLED


def test_reset_forgets_the_status(cloud: Cloud, inspector: Any) -> None:
    inspector.enable(resourceTypes=["ECR"])
    status, _ = cloud.post("/_localcloud/reset")
    assert status == 200
    assert _types(inspector) == ALL_DISABLED


def test_health_lists_the_actions(cloud: Cloud) -> None:
    status, doc = cloud.get("/_localcloud/health")
    assert status == 200
    assert {"inspector2:Enable", "inspector2:Disable", "inspector2:BatchGetAccountStatus"} <= set(doc["extensions"])
