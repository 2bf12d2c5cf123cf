"""CloudTrail answers with AWS's defaults (tools/localcloud/extensions/services/cloudtrail.py): the management-events
selector of a trail whose selectors were never set, basic selectors with their defaults, and the CloudWatch Logs
delivery time of a logging trail that delivers there. Every answer is checked against botocore's output shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import shape_problems
from botocore.exceptions import ClientError

from .conftest import Cloud

BUCKET = "trail-logs-bucket"
# The AWS CLI reference's example answer of get-event-selectors for a trail with no selectors configured.
AWS_DEFAULT_SELECTORS = [
    {"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [], "ExcludeManagementEventSources": []}
]


def _answer(client: Any, operation: str, **params: Any) -> dict[str, Any]:
    """The answer, after checking it against the operation's output shape in botocore's model."""
    response = getattr(client, operation)(**params)
    response.pop("ResponseMetadata")
    output = client.meta.service_model.operation_model(client.meta.method_to_api_mapping[operation]).output_shape
    assert shape_problems(response, output) == []
    return response


def _trail(cloud: Cloud, name: str, cloudwatch_logs: bool = False) -> Any:
    cloud.client("s3").create_bucket(Bucket=BUCKET)
    extra = {}
    if cloudwatch_logs:
        logs = cloud.client("logs")
        logs.create_log_group(logGroupName=f"/trail/{name}")
        role = cloud.client("iam").create_role(RoleName=f"{name}-logs", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        group = logs.describe_log_groups(logGroupNamePrefix=f"/trail/{name}")["logGroups"][0]["arn"]
        extra = {"CloudWatchLogsLogGroupArn": group, "CloudWatchLogsRoleArn": role}
    trails = cloud.client("cloudtrail")
    trails.create_trail(Name=name, S3BucketName=BUCKET, **extra)
    return trails


def test_a_trail_without_selectors_logs_every_management_event(cloud: Cloud):
    trails = _trail(cloud, "audit")
    answer = _answer(trails, "get_event_selectors", TrailName="audit")
    assert answer["EventSelectors"] == AWS_DEFAULT_SELECTORS
    assert "AdvancedEventSelectors" not in answer
    assert answer["TrailARN"] == trails.describe_trails(trailNameList=["audit"])["trailList"][0]["TrailARN"]


def test_basic_selectors_come_back_with_aws_defaults(cloud: Cloud):
    trails = _trail(cloud, "audit")
    trails.put_event_selectors(TrailName="audit", EventSelectors=[{"ReadWriteType": "WriteOnly"}])
    answer = _answer(trails, "get_event_selectors", TrailName="audit")
    assert answer["EventSelectors"] == [{**AWS_DEFAULT_SELECTORS[0], "ReadWriteType": "WriteOnly"}]


def test_advanced_selectors_come_back_alone(cloud: Cloud):
    trails = _trail(cloud, "audit")
    advanced = [{"Name": "management", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]
    trails.put_event_selectors(TrailName="audit", AdvancedEventSelectors=advanced)
    answer = _answer(trails, "get_event_selectors", TrailName="audit")
    assert answer["AdvancedEventSelectors"] == advanced
    assert "EventSelectors" not in answer


@pytest.mark.parametrize("first", ["advanced", "basic"])
def test_one_kind_of_selectors_replaces_the_other(cloud: Cloud, first):
    """PutEventSelectors: "You can use either AdvancedEventSelectors or EventSelectors, but not both. If you apply
    AdvancedEventSelectors to a trail, any existing EventSelectors are overwritten." (AWS API reference)"""
    trails = _trail(cloud, "audit")
    advanced = [{"Name": "data", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}]
    basic = [{"ReadWriteType": "WriteOnly"}]
    kinds = {"advanced": {"AdvancedEventSelectors": advanced}, "basic": {"EventSelectors": basic}}
    second = "basic" if first == "advanced" else "advanced"
    trails.put_event_selectors(TrailName="audit", **kinds[first])
    put = _answer(trails, "put_event_selectors", TrailName="audit", **kinds[second])
    answer = _answer(trails, "get_event_selectors", TrailName="audit")
    if second == "basic":
        assert put["EventSelectors"] == basic
        assert answer["EventSelectors"] == [{**AWS_DEFAULT_SELECTORS[0], "ReadWriteType": "WriteOnly"}]
        assert "AdvancedEventSelectors" not in answer
    else:
        assert put["AdvancedEventSelectors"] == answer["AdvancedEventSelectors"] == advanced
        assert "EventSelectors" not in answer


def test_both_kinds_of_selectors_at_once_are_refused(cloud: Cloud):
    trails = _trail(cloud, "audit")
    with pytest.raises(ClientError) as err:
        trails.put_event_selectors(
            TrailName="audit",
            EventSelectors=[{"ReadWriteType": "All"}],
            AdvancedEventSelectors=[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}],
        )
    assert err.value.response["Error"]["Code"] == "InvalidParameterCombinationException"


def test_insight_selectors_are_replaced_and_an_empty_list_turns_insights_off(cloud: Cloud):
    trails = _trail(cloud, "audit")
    both = [{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}]
    trails.put_insight_selectors(TrailName="audit", InsightSelectors=both)
    put = _answer(trails, "put_insight_selectors", TrailName="audit", InsightSelectors=both[1:])
    assert put["InsightSelectors"] == both[1:]
    assert _answer(trails, "get_insight_selectors", TrailName="audit")["InsightSelectors"] == both[1:]
    trails.put_insight_selectors(TrailName="audit", InsightSelectors=[])
    assert not _answer(trails, "get_insight_selectors", TrailName="audit").get("InsightSelectors")


def test_a_logging_trail_with_cloudwatch_logs_reports_both_deliveries(cloud: Cloud):
    trails = _trail(cloud, "audit", cloudwatch_logs=True)
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    trails.start_logging(Name="audit")
    status = _answer(trails, "get_trail_status", Name="audit")
    after = datetime.now(UTC) + timedelta(seconds=1)
    assert status["IsLogging"] is True
    assert before <= status["LatestDeliveryTime"] <= after
    assert before <= status["LatestCloudWatchLogsDeliveryTime"] <= after


def test_a_trail_that_never_logged_or_has_no_cloudwatch_logs_reports_no_cloudwatch_delivery(cloud: Cloud):
    trails = _trail(cloud, "to-logs", cloudwatch_logs=True)
    trails.create_trail(Name="to-s3", S3BucketName=BUCKET)
    trails.start_logging(Name="to-s3")
    never = _answer(trails, "get_trail_status", Name="to-logs")
    assert never["IsLogging"] is False and "LatestCloudWatchLogsDeliveryTime" not in never
    s3_only = _answer(trails, "get_trail_status", Name="to-s3")
    assert "LatestDeliveryTime" in s3_only and "LatestCloudWatchLogsDeliveryTime" not in s3_only


def test_a_trail_is_found_by_its_arn_and_an_unknown_one_is_not(cloud: Cloud):
    trails = _trail(cloud, "audit", cloudwatch_logs=True)
    trails.start_logging(Name="audit")
    arn = trails.describe_trails(trailNameList=["audit"])["trailList"][0]["TrailARN"]
    assert "LatestCloudWatchLogsDeliveryTime" in _answer(trails, "get_trail_status", Name=arn)
    assert _answer(trails, "get_event_selectors", TrailName=arn)["TrailARN"] == arn
    for operation, params in (
        ("get_trail_status", {"Name": "missing"}),
        ("get_event_selectors", {"TrailName": "nope"}),
    ):
        with pytest.raises(ClientError) as err:
            getattr(trails, operation)(**params)
        assert err.value.response["Error"]["Code"] == "TrailNotFoundException"
