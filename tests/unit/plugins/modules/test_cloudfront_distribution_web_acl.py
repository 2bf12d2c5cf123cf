"""cloudfront_distribution_web_acl against a botocore Stubber: a no-op is one read; a change writes the config read,
with only WebACLId changed, under its ETag; check mode reads only; bad ARNs fail before any call."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import cloudfront_distribution_web_acl as module

from tests.unit.aws_stub import AwsStub, stubbed_client

DIST = "E2QWRUHAPOMQZL"
ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/dev-edge-cloudfront/a1b2c3d4-5678-90ab-cdef-0123456789ab"
OTHER = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/other/a1b2c3d4-5678-90ab-cdef-ba9876543210"
CONFIG = {
    "CallerReference": "tf-1",
    "Origins": {
        "Quantity": 1,
        "Items": [{"Id": "api", "DomainName": "abc.execute-api.eu-west-1.amazonaws.com"}],
    },
    "DefaultCacheBehavior": {"TargetOriginId": "api", "ViewerProtocolPolicy": "redirect-to-https"},
    "Comment": "edge of dev",
    "Enabled": True,
}


def run(monkeypatch, capsys, args, stored="", update_to=None, read=True, check=False, diff=False):
    client, stubber = stubbed_client("cloudfront")
    if read:
        config = {**CONFIG, "WebACLId": stored}
        stubber.add_response("get_distribution_config", {"DistributionConfig": config, "ETag": "E1"}, {"Id": DIST})
    if update_to is not None:
        expected = {"Id": DIST, "DistributionConfig": {**CONFIG, "WebACLId": update_to}, "IfMatch": "E1"}
        stubber.add_response("update_distribution", {"ETag": "E2"}, expected)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.module_clients(module, client)
    args = {"distribution_id": DIST, "region": "eu-west-1"} | args
    return aws_stub.run(module, args, stubber, check_mode=check, diff=diff)


def test_the_same_web_acl_is_one_read_and_no_change(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"web_acl_arn": ACL}, stored=ACL)
    assert (result["changed"], result["web_acl_id"], result["etag"]) == (False, ACL, "E1")


def test_setting_it_writes_the_config_read_with_only_the_web_acl_changed(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"web_acl_arn": ACL}, stored="", update_to=ACL, diff=True)
    assert (result["changed"], result["web_acl_id"], result["etag"]) == (True, ACL, "E2")
    assert result["diff"] == {"before": {"web_acl_id": ""}, "after": {"web_acl_id": ACL}}


def test_another_web_acl_is_replaced(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"web_acl_arn": ACL}, stored=OTHER, update_to=ACL)
    assert result["changed"] and result["web_acl_id"] == ACL


def test_check_mode_predicts_the_change_and_only_reads(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"web_acl_arn": ACL}, stored="", check=True, diff=True)
    assert (result["changed"], result["web_acl_id"], result["etag"]) == (True, ACL, "E1")
    assert result["diff"]["after"] == {"web_acl_id": ACL}


def test_absent_removes_our_web_acl(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"web_acl_arn": ACL, "state": "absent"}, stored=ACL, update_to="")
    assert (result["changed"], result["web_acl_id"]) == (True, "")


def test_absent_leaves_another_web_acl(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"web_acl_arn": ACL, "state": "absent"}, stored=OTHER)
    assert (result["changed"], result["web_acl_id"]) == (False, OTHER)


def test_absent_without_an_arn_removes_any_and_is_then_no_change(monkeypatch, capsys):
    assert run(monkeypatch, capsys, {"state": "absent"}, stored=OTHER, update_to="")["changed"]
    assert not run(monkeypatch, capsys, {"state": "absent"}, stored="")["changed"]


def test_a_missing_distribution_names_the_option(aws_stub):
    client, stubber = stubbed_client("cloudfront")
    stubber.add_client_error("get_distribution_config", "NoSuchDistribution", http_status_code=404)
    aws_stub.module_clients(module, client)
    result = aws_stub.run(module, {"distribution_id": DIST, "web_acl_arn": ACL}, stubber)
    assert result["failed"] and result["msg"].startswith(f"distribution_id '{DIST}': no such CloudFront distribution")


@pytest.mark.parametrize(
    ("arn", "says"),
    [
        ("arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev-edge/abc", "is a REGIONAL web ACL"),
        ("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/dev-edge/abc", "is a REGIONAL web ACL"),
        ("a1b2c3d4-5678-90ab-cdef-0123456789ab", "is not a WAFv2 web ACL ARN"),
        ("arn:aws:waf::123456789012:webacl/abc", "is not a WAFv2 web ACL ARN"),
    ],
)
def test_a_web_acl_a_distribution_cannot_take_fails_before_any_call(monkeypatch, capsys, arn, says):
    result = run(monkeypatch, capsys, {"web_acl_arn": arn}, read=False)
    assert result["failed"] and result["msg"].startswith(f"web_acl_arn {arn!r} {says}")
    assert "CLOUDFRONT" in result["msg"]
