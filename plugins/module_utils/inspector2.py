# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon Inspector (v2): API wrappers for the account status (BatchGetAccountStatus, Enable, Disable), the
conversion of the API's two status shapes into one, and the checks of the inspector2_account module's input.

Every call is wrapped with ``retry.jittered_backoff()`` and turned into :class:`AnsibleInspector2Error` by
:class:`Inspector2ErrorHandler` (the amazon.aws ``module_utils/ec2.py`` pattern). The API takes at most 100 account
IDs per call; the wrappers split longer lists.
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff

_RETRY = jittered_backoff()

# The scan types the module manages (option values, as the API names them).
RESOURCE_TYPES = ("EC2", "ECR", "LAMBDA", "LAMBDA_CODE")
# Every scan type the API takes, with its key in the API's ResourceStatus/ResourceState and in the module's return
# values. CODE_REPOSITORY (Inspector code security) is not in RESOURCE_TYPES: it is left alone unless Inspector is
# switched off in the account (state=absent).
API_KEYS = {
    "EC2": "ec2",
    "ECR": "ecr",
    "LAMBDA": "lambda",
    "LAMBDA_CODE": "lambdaCode",
    "CODE_REPOSITORY": "codeRepository",
}
RETURN_KEYS = {
    "EC2": "ec2",
    "ECR": "ecr",
    "LAMBDA": "lambda",
    "LAMBDA_CODE": "lambda_code",
    "CODE_REPOSITORY": "code_repository",
}
# Enabling and disabling are asynchronous: ENABLING counts as enabled, DISABLING as disabled. SUSPENDING/SUSPENDED
# (an account Inspector suspended) count as disabled, so that the task enables the type again.
ON = ("ENABLED", "ENABLING")
SETTLED = {"ENABLING": "ENABLED", "DISABLING": "DISABLED"}
DISABLED = "DISABLED"

ACCOUNT_ID = re.compile(r"^\d{12}$")
BATCH = 100  # account IDs per call


class AnsibleInspector2Error(AnsibleAWSError):
    pass


class Inspector2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleInspector2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


def inspector2_client(module):
    return module.client("inspector2")


def sts_client(module):
    return module.client("sts")


def _batches(account_ids):
    for start in range(0, len(account_ids), BATCH):
        yield account_ids[start : start + BATCH]


# ---------------------------------------------------------------- calls


@Inspector2ErrorHandler.common_error_handler("get the caller's account")
@_RETRY
def caller_account_id(client):
    return client.get_caller_identity()["Account"]


@Inspector2ErrorHandler.common_error_handler("get the Inspector status of the accounts")
@_RETRY
def _batch_get_account_status(client, account_ids):
    return client.batch_get_account_status(accountIds=account_ids)


def batch_get_account_status(client, account_ids):
    """(AccountState list, FailedAccount list) of every account, in batches of 100."""
    found, failed = [], []
    for batch in _batches(account_ids):
        answer = _batch_get_account_status(client, batch)
        found.extend(answer.get("accounts") or [])
        failed.extend(answer.get("failedAccounts") or [])
    return found, failed


@Inspector2ErrorHandler.common_error_handler("enable Inspector scans")
@_RETRY
def _enable(client, account_ids, resource_types):
    return client.enable(accountIds=account_ids, resourceTypes=resource_types)


@Inspector2ErrorHandler.common_error_handler("disable Inspector scans")
@_RETRY
def _disable(client, account_ids, resource_types):
    return client.disable(accountIds=account_ids, resourceTypes=resource_types)


def _switch(call, client, account_ids, resource_types):
    found, failed = [], []
    for batch in _batches(account_ids):
        answer = call(client, batch, sorted(resource_types))
        found.extend(answer.get("accounts") or [])
        failed.extend(answer.get("failedAccounts") or [])
    return found, failed


def enable(client, account_ids, resource_types):
    """(Account list, FailedAccount list) of an Enable call for the accounts, in batches of 100."""
    return _switch(_enable, client, account_ids, resource_types)


def disable(client, account_ids, resource_types):
    """(Account list, FailedAccount list) of a Disable call for the accounts, in batches of 100."""
    return _switch(_disable, client, account_ids, resource_types)


# ---------------------------------------------------------------- shapes


def account_from_api(account):
    """An AccountState (BatchGetAccountStatus) or Account (Enable/Disable) as
    ``{account_id, status, resource_status: {TYPE: STATUS}, errors: {TYPE: "CODE: message"}}``.

    Scan types the API does not report are DISABLED; keys the API has and the module does not know are dropped.
    """
    if "resourceState" in account:
        states = account.get("resourceState") or {}
        status = (account.get("state") or {}).get("status") or DISABLED
        resource_status, errors = {}, {}
        for kind, key in API_KEYS.items():
            state = states.get(key) or {}
            resource_status[kind] = state.get("status") or DISABLED
            if state.get("errorCode"):
                errors[kind] = f"{state['errorCode']}: {state.get('errorMessage', '')}".rstrip(": ")
        return {
            "account_id": account["accountId"],
            "status": status,
            "resource_status": resource_status,
            "errors": errors,
        }
    statuses = account.get("resourceStatus") or {}
    return {
        "account_id": account["accountId"],
        "status": account.get("status") or DISABLED,
        "resource_status": dict((kind, statuses.get(key) or DISABLED) for kind, key in API_KEYS.items()),
        "errors": {},
    }


def enabled_types(account):
    """The scan types of an account that are on or being switched on, sorted."""
    return sorted(kind for kind, status in account["resource_status"].items() if status in ON)


def account_status(resource_status):
    """The account status the scan types add up to (as a check-mode prediction)."""
    statuses = set(resource_status.values())
    for status in ("ENABLED", "ENABLING", "DISABLING"):
        if status in statuses:
            return status
    return DISABLED


def account_to_return(account):
    """The RV(accounts[]) element of an account."""
    return {
        "account_id": account["account_id"],
        "status": account["status"],
        "resource_status": dict((RETURN_KEYS[kind], status) for kind, status in account["resource_status"].items()),
        "enabled_resource_types": enabled_types(account),
    }


def unsettled(account, kinds):
    """``TYPE STATUS`` of the given scan types that are still ENABLING/DISABLING."""
    return [
        f"{kind} {account['resource_status'][kind]}"
        for kind in sorted(kinds)
        if account["resource_status"][kind] in SETTLED
    ]


# ---------------------------------------------------------------- messages and checks


def failed_accounts_message(failed, what):
    """One sentence for the failedAccounts of a call, with the usual fix."""
    details = "; ".join(
        f"{item.get('accountId')}: {item.get('errorCode', 'error')} {item.get('errorMessage', '')}".rstrip()
        for item in failed
    )
    return (
        f"Inspector could not {what} of {len(failed)} account(s) ({details}). Accounts other than the caller's must "
        "be members of the caller's Inspector organization, with the caller as its delegated administrator; check "
        "account_ids, or run the task with the credentials of the account itself."
    )


# "If you want to activate Lambda code scanning, you must activate Lambda standard scanning first", and deactivating
# standard scanning deactivates code scanning: https://docs.aws.amazon.com/inspector/latest/user/scanning-lambda.html
CODE_SCAN_FIX = (
    "Inspector scans Lambda code only together with Lambda standard scanning. Add LAMBDA to resource_types, or remove "
    "LAMBDA_CODE."
)


def code_scan_alone(resource_types):
    """Whether ``resource_types`` has Lambda code scanning without the standard scanning it needs."""
    kinds = set(resource_types or [])
    return "LAMBDA_CODE" in kinds and "LAMBDA" not in kinds


def validate(params):
    """Every problem with the task's input, as messages that name the option and the fix (no AWS call)."""
    errors = []
    account_ids = params.get("account_ids")
    if account_ids is not None:
        if not account_ids:
            errors.append(
                "account_ids is an empty list: leave it unset for the account of the task's credentials, or list the "
                "12-digit IDs of the accounts."
            )
        for index, account in enumerate(account_ids):
            if not ACCOUNT_ID.match(account or ""):
                errors.append(
                    f"account_ids[{index}] '{account}' is not an AWS account ID: give its 12 digits, without spaces "
                    "or dashes (for example 123456789012)."
                )
    if params.get("state") == "present" and not params.get("resource_types"):
        errors.append(
            "resource_types is empty: with state=present at least one scan type (EC2, ECR, LAMBDA, LAMBDA_CODE) must "
            "be listed. To switch Inspector off in the account, use state=absent."
        )
    # With purge, LAMBDA would be switched off; without it, whether LAMBDA is on is known once the account is read.
    if params.get("state") == "present" and params.get("purge") and code_scan_alone(params.get("resource_types")):
        errors.append(f"resource_types lists LAMBDA_CODE without LAMBDA: {CODE_SCAN_FIX}")
    if params.get("wait") and (params.get("wait_timeout") or 0) < 1:
        errors.append(
            f"wait_timeout is {params.get('wait_timeout')}: it is the number of seconds to wait for Inspector, at "
            "least 1 (enabling usually takes a few seconds to a few minutes)."
        )
    return errors
