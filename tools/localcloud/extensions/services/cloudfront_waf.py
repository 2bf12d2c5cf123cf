"""CloudFront's side of WAF: a distribution names its web ACL in its configuration (WebACLId).

moto's UpdateDistribution stores any WebACLId. AWS accepts only a web ACL the caller can use with CloudFront:
a WAFv2 web ACL of scope CLOUDFRONT (``arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID``) that exists,
and answers ``InvalidWebACLId`` ("Web ACL is not accessible by the requester.") for anything else, a REGIONAL
web ACL's ARN included. services/cloudfront.py's UpdateDistribution runs this check first (one handler per
action: both branches of the edge served UpdateDistribution).
"""

from __future__ import annotations

from typing import Any

from ..registry import AwsError, ExtensionRequest

INVALID_WEB_ACL = "Web ACL is not accessible by the requester."


def _cloudfront_web_acl_exists(req: ExtensionRequest, web_acl_id: str) -> bool:
    parts = web_acl_id.split(":")
    if len(parts) < 6 or parts[2] != "wafv2" or parts[3] != "us-east-1" or not parts[5].startswith("global/webacl/"):
        return False
    if parts[4] != req.account_id:
        return False
    return web_acl_id in req.moto_backend("wafv2", "global").wacls


def check_web_acl(req: ExtensionRequest, config: dict[str, Any]) -> None:
    """InvalidWebACLId unless the configuration's WebACLId is empty or an existing CLOUDFRONT web ACL. Called by the
    CloudFront extension's UpdateDistribution (services/cloudfront.py), which serves the action."""
    web_acl_id = config.get("WebACLId") or ""
    if web_acl_id and not _cloudfront_web_acl_exists(req, web_acl_id):
        raise AwsError("InvalidWebACLId", INVALID_WEB_ACL, status=400)
