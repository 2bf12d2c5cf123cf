"""AWS Backup selections and plan updates, which moto 5.2.5 lacks: CreateBackupSelection, GetBackupSelection,
ListBackupSelections, DeleteBackupSelection, UpdateBackupPlan; DeleteBackupPlan refusing a plan that still
has selections, as AWS does; and CreateBackupPlan accepting the name of a deleted plan (moto keeps deleted plans
and refused their names for ever: a stack destroyed and applied again failed).

Selections live per account and region in ``req.store['selections']`` (plan id -> selection id -> record);
plans are moto's.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from moto.backup.models import Plan
from moto.moto_api._internal import mock_random

from ..registry import AwsError, ExtensionRequest, action, validation_error

SELECTION_NAME = re.compile(r"^[a-zA-Z0-9\-\_\.]{1,50}$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
MAX_SELECTIONS_PER_PLAN = 50


def _selections(req: ExtensionRequest) -> dict[str, dict[str, dict[str, Any]]]:
    return req.store.setdefault("selections", {})


def _plan(req: ExtensionRequest) -> Any:
    req.require("BackupPlanId")
    plan_id = req.params["BackupPlanId"]
    plan = req.moto_backend("backup").plans.get(plan_id)
    if plan is None or plan.deletion_date is not None:
        raise AwsError("ResourceNotFoundException", "Failed reading Backup plan with provided version", status=400)
    return plan


def _selection(req: ExtensionRequest) -> dict[str, Any]:
    plan = _plan(req)
    req.require("SelectionId")
    found = _selections(req).get(plan.backup_plan_id, {}).get(req.params["SelectionId"])
    if found is None:
        raise AwsError(
            "ResourceNotFoundException", f"Backup selection {req.params['SelectionId']} not found", status=400
        )
    return found


@action("backup", "CreateBackupSelection")
def create_backup_selection(req: ExtensionRequest) -> dict[str, Any]:
    plan = _plan(req)
    req.require("BackupSelection")
    selection = req.params["BackupSelection"]
    name = selection.get("SelectionName") or ""
    if not SELECTION_NAME.fullmatch(name):
        raise validation_error(
            f"Invalid selection name '{name}': 1-50 letters, digits, hyphens, underscores or periods."
        )
    if not ROLE_ARN.fullmatch(selection.get("IamRoleArn") or ""):
        raise validation_error(f"Invalid IamRoleArn: {selection.get('IamRoleArn')!r}")
    if not (selection.get("Resources") or selection.get("ListOfTags") or selection.get("Conditions")):
        raise validation_error("A backup selection needs Resources, ListOfTags or Conditions.")
    plan_selections = _selections(req).setdefault(plan.backup_plan_id, {})
    if any(s["BackupSelection"]["SelectionName"] == name for s in plan_selections.values()):
        raise AwsError("AlreadyExistsException", f"Backup selection with name {name} already exists", status=400)
    if len(plan_selections) >= MAX_SELECTIONS_PER_PLAN:
        raise AwsError("LimitExceededException", "Too many selections for this backup plan", status=400)
    selection_id = str(uuid.UUID(int=mock_random.getrandbits(128)))
    record = {
        "SelectionId": selection_id,
        "BackupPlanId": plan.backup_plan_id,
        "CreationDate": time.time(),
        "CreatorRequestId": req.params.get("CreatorRequestId"),
        "BackupSelection": {
            "SelectionName": name,
            "IamRoleArn": selection["IamRoleArn"],
            "Resources": list(selection.get("Resources") or []),
            "ListOfTags": list(selection.get("ListOfTags") or []),
            "NotResources": list(selection.get("NotResources") or []),
            "Conditions": selection.get("Conditions")
            or {"StringEquals": [], "StringNotEquals": [], "StringLike": [], "StringNotLike": []},
        },
    }
    plan_selections[selection_id] = record
    return {"SelectionId": selection_id, "BackupPlanId": plan.backup_plan_id, "CreationDate": record["CreationDate"]}


@action("backup", "GetBackupSelection")
def get_backup_selection(req: ExtensionRequest) -> dict[str, Any]:
    return {k: v for k, v in _selection(req).items() if v is not None}


@action("backup", "ListBackupSelections")
def list_backup_selections(req: ExtensionRequest) -> dict[str, Any]:
    plan = _plan(req)
    return {
        "BackupSelectionsList": [
            {
                "SelectionId": s["SelectionId"],
                "SelectionName": s["BackupSelection"]["SelectionName"],
                "BackupPlanId": s["BackupPlanId"],
                "CreationDate": s["CreationDate"],
                "IamRoleArn": s["BackupSelection"]["IamRoleArn"],
            }
            for s in _selections(req).get(plan.backup_plan_id, {}).values()
        ]
    }


@action("backup", "DeleteBackupSelection")
def delete_backup_selection(req: ExtensionRequest) -> dict[str, Any]:
    record = _selection(req)
    del _selections(req)[record["BackupPlanId"]][record["SelectionId"]]
    return {}


@action("backup", "DeleteBackupPlan")
def delete_backup_plan(req: ExtensionRequest) -> dict[str, Any]:
    plan = _plan(req)
    if _selections(req).get(plan.backup_plan_id):
        raise AwsError(
            "InvalidRequestException",
            "Related backup plan selections must be deleted prior to backup plan deletion",
            status=400,
        )
    plan_id, arn, deletion_date, version_id = req.moto_backend("backup").delete_backup_plan(plan.backup_plan_id)
    return {"BackupPlanId": plan_id, "BackupPlanArn": arn, "DeletionDate": deletion_date, "VersionId": version_id}


@action("backup", "UpdateBackupPlan")
def update_backup_plan(req: ExtensionRequest) -> dict[str, Any]:
    plan = _plan(req)
    req.require("BackupPlan")
    new = req.params["BackupPlan"]
    if new.get("BackupPlanName") != plan.backup_plan["BackupPlanName"]:
        raise validation_error("The backup plan name cannot be changed.")
    old_ids = {r["RuleName"]: r.get("RuleId") for r in plan.backup_plan.get("Rules", [])}
    for rule in new.get("Rules", []):
        rule.setdefault("ScheduleExpression", "cron(0 5 ? * * *)")
        rule.setdefault("StartWindowMinutes", 480)
        rule.setdefault("CompletionWindowMinutes", 10080)
        rule.setdefault("ScheduleExpressionTimezone", "Etc/UTC")
        rule["RuleId"] = old_ids.get(rule["RuleName"]) or str(uuid.UUID(int=mock_random.getrandbits(128)))
    plan.backup_plan = new
    plan.advanced_backup_settings = new.get("AdvancedBackupSettings") or []
    plan.version_id = mock_random.get_random_string(length=48)
    return {
        "BackupPlanId": plan.backup_plan_id,
        "BackupPlanArn": plan.backup_plan_arn,
        "CreationDate": plan.creation_date,
        "VersionId": plan.version_id,
        "AdvancedBackupSettings": plan.advanced_backup_settings,
    }


@action("backup", "ListTags")
def list_tags(req: ExtensionRequest) -> dict[str, Any]:
    """Tags of a vault or plan, also when the path has no trailing slash.

    The model's path is ``/tags/{ResourceArn}/``; the Go SDK (Terraform's provider) sends it without the
    trailing slash, and moto, which takes the ARN as the path's second-to-last segment, then answered no tags
    for every resource: drift of every tag on every plan.
    """
    req.require("ResourceArn")
    return {"Tags": req.moto_backend("backup").list_tags(resource_arn=req.params["ResourceArn"].rstrip("/"))}


@action("backup", "CreateBackupPlan")
def create_backup_plan(req: ExtensionRequest) -> dict[str, Any]:
    req.require("BackupPlan")
    backend = req.moto_backend("backup")
    new = req.params["BackupPlan"]
    name = new.get("BackupPlanName") or ""
    if not name or not new.get("Rules"):
        raise validation_error("BackupPlanName and at least one rule are required.")
    if any(p.backup_plan["BackupPlanName"] == name and p.deletion_date is None for p in backend.plans.values()):
        raise AwsError("AlreadyExistsException", "Backup plan with the same plan document already exists", status=400)
    plan = Plan(backup_plan=new, creator_request_id=req.params.get("CreatorRequestId"), backend=backend)
    if req.params.get("BackupPlanTags"):
        backend.tag_resource(plan.backup_plan_arn, req.params["BackupPlanTags"])
    backend.plans[plan.backup_plan_id] = plan
    return {
        "BackupPlanId": plan.backup_plan_id,
        "BackupPlanArn": plan.backup_plan_arn,
        "CreationDate": plan.creation_date,
        "VersionId": plan.version_id,
        "AdvancedBackupSettings": plan.advanced_backup_settings,
    }


@action("backup", "ListRecoveryPointsByBackupVault")
def list_recovery_points_by_backup_vault(req: ExtensionRequest) -> dict[str, Any]:
    """The recovery points of a vault: none, since the local cloud runs no backup jobs (moto has no recovery
    points), but an unknown vault is an error, as on AWS. Terraform lists them before deleting a vault with
    force_destroy; moto answered 404 with no body, and the destroy failed."""
    req.require("BackupVaultName")
    name = req.params["BackupVaultName"]
    if name not in req.moto_backend("backup").vaults:
        raise AwsError("ResourceNotFoundException", f"Backup vault with name {name} does not exist", status=400)
    return {"RecoveryPoints": []}
