"""cloudfront_distribution_web_acl: the name and ID inside web_acl_arn checked against WAF's model (EntityName,
EntityId) before any call (issue 20). Patterns are read from botocore's model; the Stubber has no response, so any
call would fail the module with another message."""

from __future__ import annotations

import botocore.session
import pytest

from tests.unit.plugins.modules.test_cloudfront_distribution_web_acl import ACL, run

WAFV2 = botocore.session.get_session().get_service_model("wafv2")
PREFIX = "arn:aws:wafv2:us-east-1:123456789012:global/webacl"
ACL_ID = ACL.rsplit("/", 1)[1]


@pytest.mark.parametrize(
    ("arn", "said", "shape"),
    [
        (f"{PREFIX}/dev-edge/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "the web ACL id 'a1b2c3d4-", "EntityId"),
        (f"{PREFIX}/dev-edge/{ACL_ID[:-1]}", "the web ACL id ", "EntityId"),
        (f"{PREFIX}/dev.edge/{ACL_ID}", "the web ACL name 'dev.edge' is not in the form AWS accepts", "EntityName"),
    ],
)
def test_a_web_acl_arn_whose_name_or_id_waf_refuses_fails_before_any_call(monkeypatch, capsys, arn, said, shape):
    result = run(monkeypatch, capsys, {"web_acl_arn": arn}, read=False)
    assert result["failed"]
    (error,) = result["errors"]
    assert error.startswith(f"web_acl_arn {arn!r}: {said}")
    assert f"match the pattern {WAFV2.shape_for(shape).metadata['pattern']}" in error


def test_a_name_longer_than_waf_allows_is_refused(monkeypatch, capsys):
    limit = WAFV2.shape_for("EntityName").metadata["max"]
    arn = f"{PREFIX}/{'n' * (limit + 1)}/{ACL_ID}"
    result = run(monkeypatch, capsys, {"web_acl_arn": arn}, read=False)
    assert result["failed"] and f"to {limit} characters" in result["msg"]
