"""Amazon Inspector (v2) account status as AWS has it: ``Enable``, ``Disable``, ``BatchGetAccountStatus``.

moto 5.2.5 has the three actions, with these gaps (measured against its server):

- ``BatchGetAccountStatus`` answers no account at all for an account never enabled (AWS: the account, every scan
  type ``DISABLED``), and fails with a 500 when ``accountIds`` is left out (AWS: the caller's account);
- ``Enable`` without ``accountIds`` and ``Disable`` without ``accountIds`` or ``resourceTypes`` fail with a 500
  (AWS: the caller's account; every scan type);
- scan types switch at once to ``ENABLED``/``DISABLED``; AWS answers ``ENABLING``/``DISABLING`` and gets there a
  while later, which is what a client's "wait" has to deal with;
- no input checks (scan types, 12-digit account IDs), no ``CODE_REPOSITORY``, and every account ID is accepted,
  where AWS refuses accounts the caller does not administer (``failedAccounts``, ``ACCESS_DENIED``).

State is per account and region (``req.store``, the caller's view), emptied by every reset:
``accounts``: account ID -> scan type key (``ec2``, ``ecr``, ``lambda``, ``lambdaCode``, ``codeRepository``) ->
``{"status", "until"}``; a ``ENABLING``/``DISABLING`` status becomes ``ENABLED``/``DISABLED`` once ``until``
(monotonic seconds) has passed, :data:`TRANSITION_SECONDS` after the call (``LOCALCLOUD_INSPECTOR2_TRANSITION_SECONDS``
in the server's environment changes it; ``0`` switches at once).

Other accounts than the caller's are accepted when they are associated members in moto's Inspector backend
(``AssociateMember``, moto's own action), as for a delegated administrator.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

from ..registry import ExtensionRequest, action, validation_error

TRANSITION_SECONDS = 1.0
# Scan type (API value) -> key in ResourceStatus / ResourceState.
SCAN_TYPES = {
    "EC2": "ec2",
    "ECR": "ecr",
    "LAMBDA": "lambda",
    "LAMBDA_CODE": "lambdaCode",
    "CODE_REPOSITORY": "codeRepository",
}
ACCOUNT_ID = re.compile(r"^\d{12}$")
MAX_ACCOUNTS = 100
SETTLED = {"ENABLING": "ENABLED", "DISABLING": "DISABLED"}


def _transition_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("LOCALCLOUD_INSPECTOR2_TRANSITION_SECONDS", TRANSITION_SECONDS)))
    except ValueError:
        return TRANSITION_SECONDS


# -- input ------------------------------------------------------------------------------------------
def _account_ids(req: ExtensionRequest) -> list[str]:
    """The request's account IDs, checked as AWS checks them; the caller's account when none are given."""
    given = req.params.get("accountIds")
    if not given:
        return [req.account_id]
    if len(given) > MAX_ACCOUNTS:
        raise validation_error(
            "1 validation error detected: Value at 'accountIds' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_ACCOUNTS}"
        )
    for account in given:
        if not isinstance(account, str) or not ACCOUNT_ID.match(account):
            raise validation_error(
                f"1 validation error detected: Value '[{account}]' at 'accountIds' failed to satisfy constraint: "
                "Member must satisfy constraint: [Member must have length less than or equal to 12, Member must "
                "have length greater than or equal to 12, Member must satisfy regular expression pattern: \\d{12}]"
            )
    return list(dict.fromkeys(given))


def _resource_types(req: ExtensionRequest, *, required: bool) -> list[str]:
    """The request's scan types as ResourceStatus keys; every type when none are given and none are required."""
    given = req.params.get("resourceTypes")
    if not given:
        if required:
            raise validation_error(
                "1 validation error detected: Value null at 'resourceTypes' failed to satisfy constraint: "
                "Member must not be null"
                if given is None
                else "1 validation error detected: Value '[]' at 'resourceTypes' failed to satisfy constraint: "
                "Member must have length greater than or equal to 1"
            )
        return list(SCAN_TYPES.values())
    for kind in given:
        if kind not in SCAN_TYPES:
            raise validation_error(
                f"1 validation error detected: Value '[{kind}]' at 'resourceTypes' failed to satisfy constraint: "
                f"Member must satisfy constraint: [Member must satisfy enum value set: [{', '.join(SCAN_TYPES)}]]"
            )
    return [SCAN_TYPES[kind] for kind in dict.fromkeys(given)]


# -- state ------------------------------------------------------------------------------------------
def _manageable(req: ExtensionRequest, account: str) -> bool:
    """The caller's own account, or an associated member of the caller's Inspector organization."""
    if account == req.account_id:
        return True
    member = getattr(req.moto_backend("inspector2"), "members", {}).get(account)
    return member is not None and getattr(member, "status", None) == "ENABLED"


def _failed(account: str) -> dict[str, Any]:
    return {
        "accountId": account,
        "errorCode": "ACCESS_DENIED",
        "errorMessage": f"Account {account} is not associated with the administrator account",
    }


def _types(req: ExtensionRequest, account: str) -> dict[str, dict[str, Any]]:
    """The scan types of an account, transitions that are due settled."""
    accounts = req.store.setdefault("accounts", {})
    types = accounts.setdefault(account, {key: {"status": "DISABLED", "until": 0.0} for key in SCAN_TYPES.values()})
    now = time.monotonic()
    for entry in types.values():
        if entry["status"] in SETTLED and now >= entry["until"]:
            entry["status"] = SETTLED[entry["status"]]
    return types


# BatchGetAccountStatus's State has errorCode and errorMessage as required members, whatever the status (AWS API
# reference, Inspector v2, "State": errorCode, errorMessage and status, each "Required: Yes"): the code is the one an
# Enable or Disable would meet in that status, from the ErrorCode enum.
STATE_CODES = {
    "ENABLED": ("ALREADY_ENABLED", "Amazon Inspector is already enabled"),
    "ENABLING": ("ENABLE_IN_PROGRESS", "Amazon Inspector is being enabled"),
    "DISABLING": ("DISABLE_IN_PROGRESS", "Amazon Inspector is being disabled"),
    "DISABLED": ("RESOURCE_NOT_FOUND", "Amazon Inspector is not enabled"),
}


def _state(status: str) -> dict[str, str]:
    code, message = STATE_CODES[status]
    return {"status": status, "errorCode": code, "errorMessage": message}


def _account_status(types: dict[str, dict[str, Any]]) -> str:
    statuses = {entry["status"] for entry in types.values()}
    for status in ("ENABLED", "ENABLING", "DISABLING"):
        if status in statuses:
            return status
    return "DISABLED"


def _switch(req: ExtensionRequest, account: str, keys: list[str], enable: bool) -> dict[str, Any]:
    types = _types(req, account)
    delay = _transition_seconds()
    target, moving = ("ENABLED", "ENABLING") if enable else ("DISABLED", "DISABLING")
    for key in keys:
        entry = types[key]
        if entry["status"] in (target, moving):
            continue
        entry["status"], entry["until"] = (moving, time.monotonic() + delay) if delay else (target, 0.0)
    return {
        "accountId": account,
        "status": _account_status(types),
        "resourceStatus": {key: entry["status"] for key, entry in types.items()},
    }


def _change(req: ExtensionRequest, enable: bool) -> dict[str, Any]:
    accounts = _account_ids(req)
    keys = _resource_types(req, required=enable)
    done, failed = [], []
    for account in accounts:
        if _manageable(req, account):
            done.append(_switch(req, account, keys, enable))
        else:
            failed.append(_failed(account))
    return {"accounts": done, "failedAccounts": failed}


# -- actions ----------------------------------------------------------------------------------------
@action("inspector2", "Enable")
def enable(req: ExtensionRequest) -> dict[str, Any]:
    return _change(req, enable=True)


@action("inspector2", "Disable")
def disable(req: ExtensionRequest) -> dict[str, Any]:
    return _change(req, enable=False)


@action("inspector2", "BatchGetAccountStatus")
def batch_get_account_status(req: ExtensionRequest) -> dict[str, Any]:
    found, failed = [], []
    for account in _account_ids(req):
        if not _manageable(req, account):
            failed.append(_failed(account))
            continue
        types = _types(req, account)
        found.append(
            {
                "accountId": account,
                "state": _state(_account_status(types)),
                "resourceState": {key: _state(entry["status"]) for key, entry in types.items()},
            }
        )
    return {"accounts": found, "failedAccounts": failed}
