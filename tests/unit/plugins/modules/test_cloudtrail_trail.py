"""plugins/modules/cloudtrail_trail.py against a botocore Stubber: input checks, name filtering, no-op re-run,
home region, updates."""

from __future__ import annotations

from ansible_collections.securecloud.monitor.plugins.modules import cloudtrail_trail as module

from tests.unit.aws_stub import AwsStub, stubbed_client

ACCOUNT = "123456789012"
REGION = "eu-west-1"
NAME = "management-events"
ARN = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/{NAME}"
ARGS = {"name": NAME, "s3_bucket_name": "trail-logs", "region": REGION, "insights": ["ApiCallRateInsight"]}


def run(monkeypatch, capsys, args, setup=None, check_mode=False, diff=False, aws=True):
    client, stubber = stubbed_client("cloudtrail", REGION)
    if setup:
        setup(stubber)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(module, aws, cloudtrail_client=client)
    return aws_stub.run(module, args, stubber, check_mode=check_mode, diff=diff)


def described(name=NAME, home=REGION, **extra):
    trail = {
        "Name": name,
        "TrailARN": f"arn:aws:cloudtrail:{home}:{ACCOUNT}:trail/{name}",
        "HomeRegion": home,
        "S3BucketName": "trail-logs",
        "IsMultiRegionTrail": True,
        "IncludeGlobalServiceEvents": True,
        "LogFileValidationEnabled": True,
    }
    trail.update(extra)
    return trail


def reads(stubber, trails, logging=True, selectors=None, insights=("ApiCallRateInsight",), tags=None):
    stubber.add_response(
        "describe_trails", {"trailList": trails}, {"trailNameList": [NAME], "includeShadowTrails": True}
    )
    if not any(t["Name"] == NAME for t in trails):
        return
    stubber.add_response("get_event_selectors", selectors or {}, {"TrailName": NAME})
    stubber.add_response("get_trail_status", {"IsLogging": logging}, {"Name": NAME})
    if insights:
        stubber.add_response(
            "get_insight_selectors", {"InsightSelectors": [{"InsightType": t} for t in insights]}, {"TrailName": NAME}
        )
    else:
        stubber.add_client_error("get_insight_selectors", "InsightNotEnabledException")
    tag_list = [{"Key": k, "Value": v} for k, v in (tags or {}).items()]
    stubber.add_response(
        "list_tags", {"ResourceTagList": [{"ResourceId": ARN, "TagsList": tag_list}]}, {"ResourceIdList": [ARN]}
    )


def test_bad_input_fails_before_any_client_is_made(monkeypatch, capsys):
    args = {
        "name": "my--trail",
        "s3_bucket_name": "Logs",
        "region": REGION,
        "multi_region": True,
        "include_global_service_events": False,
        "kms_key_arn": "alias/ct",
        "cloudwatch_logs": {"log_group_arn": "ct", "role_arn": "ct"},
        "event_selectors": [{}],
        "advanced_event_selectors": [{"field_selectors": [{"field": "eventName", "equals": ["x"]}]}],
    }
    result = run(monkeypatch, capsys, args, aws=False)
    starts = [e.split(" ")[0] for e in result["errors"]]
    for field in (
        "name",
        "s3_bucket_name",
        "kms_key_arn",
        "include_global_service_events",
        "cloudwatch_logs.log_group_arn",
        "cloudwatch_logs.role_arn",
        "event_selectors",
        "advanced_event_selectors[0].field_selectors",
    ):
        assert field in starts, (field, result["errors"])


def test_rerun_makes_reads_only_and_ignores_other_trails(monkeypatch, capsys):
    """moto's DescribeTrails returns every trail whatever name is asked: the others are filtered out."""
    others = [described("other-trail"), described("audit", home="us-east-1")]
    result = run(monkeypatch, capsys, ARGS, lambda s: reads(s, [*others, described()]), diff=True)
    assert result["changed"] is False
    assert result["trail"]["arn"] == ARN
    # A trail without selectors reads as the default selector (AWS answers it; moto answers nothing).
    assert result["trail"]["event_selectors"] == [module.ct.DEFAULT_EVENT_SELECTOR]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_missing_trail_is_created_with_tags_then_insights_and_logging(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [described("other-trail")])
        stubber.add_response(
            "create_trail",
            {"TrailARN": ARN, "Name": NAME},
            {
                "Name": NAME,
                "S3BucketName": "trail-logs",
                "IsMultiRegionTrail": True,
                "IncludeGlobalServiceEvents": True,
                "EnableLogFileValidation": True,
                "TagsList": [{"Key": "team", "Value": "secops"}],
            },
        )
        stubber.add_response(
            "put_insight_selectors",
            {},
            {"TrailName": NAME, "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]},
        )
        stubber.add_response("start_logging", {}, {"Name": NAME})

    result = run(monkeypatch, capsys, dict(ARGS, tags={"team": "secops"}), setup)
    assert result["changed"] is True
    assert result["trail"]["arn"] == ARN and result["trail"]["logging"] is True


def test_check_mode_create_returns_no_arn(monkeypatch, capsys):
    result = run(monkeypatch, capsys, ARGS, lambda s: reads(s, []), check_mode=True)
    assert result["changed"] is True and result["trail"]["arn"] is None


def test_a_trail_from_another_home_region_is_refused(monkeypatch, capsys):
    def setup(stubber):
        stubber.add_response(
            "describe_trails",
            {"trailList": [described(home="us-east-1")]},
            {"trailNameList": [NAME], "includeShadowTrails": True},
        )

    result = run(monkeypatch, capsys, ARGS, setup)
    assert result["failed"] and "region: us-east-1" in result["msg"]


def test_update_sends_only_what_differs(monkeypatch, capsys):
    group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:ct"
    role = f"arn:aws:iam::{ACCOUNT}:role/ct"

    def setup(stubber):
        reads(stubber, [described(KmsKeyId="arn:aws:kms:x")], tags={"team": "secops", "old": "1"}, insights=())
        stubber.add_response(
            "update_trail",
            {},
            {
                "Name": NAME,
                "KmsKeyId": "",
                "CloudWatchLogsLogGroupArn": group + ":*",
                "CloudWatchLogsRoleArn": role,
            },
        )
        stubber.add_response(
            "put_event_selectors",
            {},
            {
                "TrailName": NAME,
                "EventSelectors": [
                    {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True, "DataResources": []}
                ],
            },
        )
        stubber.add_response("remove_tags", {}, {"ResourceId": ARN, "TagsList": [{"Key": "old"}]})
        stubber.add_response("stop_logging", {}, {"Name": NAME})

    args = dict(
        ARGS,
        insights=[],
        kms_key_arn="",
        cloudwatch_logs={"log_group_arn": group, "role_arn": role},
        event_selectors=[{"read_write_type": "WriteOnly"}],
        tags={"team": "secops"},
        logging=False,
    )
    result = run(monkeypatch, capsys, args, setup, diff=True)
    assert result["changed"] is True
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["kms_key_arn"] == "arn:aws:kms:x" and "kms_key_arn" not in after
    assert after["cloudwatch_logs"] == {"log_group_arn": group + ":*", "role_arn": role}
    assert after["event_selectors"][0]["read_write_type"] == "WriteOnly"
    assert after["tags"] == {"team": "secops"}


def test_absent(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [described()])
        stubber.add_response("delete_trail", {}, {"Name": NAME})

    result = run(monkeypatch, capsys, {"name": NAME, "state": "absent", "region": REGION}, setup)
    assert result["changed"] is True and result["trail"] == {}
