"""CloudTrail answers that moto 5.2.5 gives without AWS's defaults (moto serves every other CloudTrail action).

- ``GetEventSelectors``: a trail whose event selectors were never set logs every management event, and AWS says so
  with one selector, ``{ReadWriteType: All, IncludeManagementEvents: true, DataResources: [],
  ExcludeManagementEventSources: []}`` (the AWS CLI reference's example of ``get-event-selectors``); moto answers an
  empty list. A trail's selectors come back in the one form they were put in, as AWS answers: advanced ones alone,
  or basic ones with AWS's defaults for the members the caller left out (moto answers both lists, and basic selectors
  as they were put).
- ``PutEventSelectors``: a trail uses one kind of selectors, and putting one kind replaces the other, as AWS's API
  reference says ("You can use either AdvancedEventSelectors or EventSelectors, but not both. If you apply
  AdvancedEventSelectors to a trail, any existing EventSelectors are overwritten."); moto kept advanced selectors
  under basic ones put after them, so the trail went on answering the advanced ones.
- ``PutInsightSelectors``: the selectors given replace the trail's (an empty list turns Insights off), as on AWS;
  moto appended them to the ones the trail had.
- ``GetTrailStatus``: a trail that delivers to CloudWatch Logs (``CloudWatchLogsLogGroupArn`` set) reports
  ``LatestCloudWatchLogsDeliveryTime`` once it has logged, as AWS does; moto reports the S3 delivery
  (``LatestDeliveryTime``) only. Both deliveries are taken to happen together.

Unknown trails and short names fail with moto's own CloudTrail errors (``TrailNotFoundException``, ...), as AWS's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..registry import AwsError, ExtensionRequest, action

DEFAULT_SELECTOR = {"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": []}
# GetTrailStatus members that moto gives as epoch seconds; rendered as the model's timestamps.
_TIMES = ("LatestDeliveryTime", "StartLoggingTime", "StopLoggingTime")


def _with_defaults(selector: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULT_SELECTOR, "ExcludeManagementEventSources": [], **selector}


@action("cloudtrail", "GetEventSelectors")
def get_event_selectors(req: ExtensionRequest) -> dict[str, Any]:
    req.require("TrailName")
    arn, basic, advanced = req.moto_backend("cloudtrail").get_event_selectors(req.params["TrailName"])
    if advanced:
        return {"TrailARN": arn, "AdvancedEventSelectors": advanced}
    return {"TrailARN": arn, "EventSelectors": [_with_defaults(s) for s in basic or [DEFAULT_SELECTOR]]}


@action("cloudtrail", "PutEventSelectors")
def put_event_selectors(req: ExtensionRequest) -> dict[str, Any]:
    req.require("TrailName")
    basic, advanced = req.params.get("EventSelectors"), req.params.get("AdvancedEventSelectors")
    if basic is not None and advanced is not None:
        raise AwsError(
            "InvalidParameterCombinationException",
            "Invalid request provided: Cannot specify both EventSelectors and AdvancedEventSelectors.",
        )
    trail = req.moto_backend("cloudtrail").get_trail(req.params["TrailName"])
    trail.event_selectors, trail.advanced_event_selectors = basic or [], advanced or []
    if advanced is not None:
        return {"TrailARN": trail.arn, "AdvancedEventSelectors": advanced}
    return {"TrailARN": trail.arn, "EventSelectors": basic or []}


@action("cloudtrail", "PutInsightSelectors")
def put_insight_selectors(req: ExtensionRequest) -> dict[str, Any]:
    req.require("TrailName")
    trail = req.moto_backend("cloudtrail").get_trail(req.params["TrailName"])
    trail.insight_selectors = list(req.params.get("InsightSelectors") or [])
    return {"TrailARN": trail.arn, "InsightSelectors": trail.insight_selectors}


@action("cloudtrail", "GetTrailStatus")
def get_trail_status(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Name")
    backend = req.moto_backend("cloudtrail")
    status = backend.get_trail_status(req.params["Name"])
    answer = status.description()
    for name in _TIMES:
        if isinstance(answer.get(name), int):
            answer[name] = datetime.fromtimestamp(answer[name]).replace(tzinfo=UTC)  # moto: mktime of a UTC time
    trail = next(t for t in backend.describe_trails(include_shadow_trails=True) if t.status is status)
    if trail.cw_log_group_arn and answer.get("LatestDeliveryTime"):
        answer["LatestCloudWatchLogsDeliveryTime"] = answer["LatestDeliveryTime"]
    return answer
