"""Whether an IAM role's trust policy lets an AWS service assume it (checked by several emulated services)."""

from __future__ import annotations

import json
import urllib.parse


def trusts_service(policy_document: str, service: str) -> bool:
    """True when an Allow statement of the (JSON or URL-encoded JSON) trust policy lets ``service`` AssumeRole."""
    try:
        document = json.loads(policy_document)
    except ValueError:
        document = json.loads(urllib.parse.unquote(policy_document))
    statements = document.get("Statement") or []
    for statement in statements if isinstance(statements, list) else [statements]:
        actions = statement.get("Action") or []
        actions = [actions] if isinstance(actions, str) else actions
        principal = statement.get("Principal") or {}
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        services = [services] if isinstance(services, str) else services
        if (
            statement.get("Effect") == "Allow"
            and any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions)
            and service in services
        ):
            return True
    return False
