"""CloudTrail answers that moto 5.2.5 gives without AWS's defaults (moto serves every other CloudTrail action).

- ``GetEventSelectors``: a trail whose event selectors were never set logs every management event, and AWS says so
  with one selector, ``{ReadWriteType: All, IncludeManagementEvents: true, DataResources: [],
  ExcludeManagementEventSources: []}`` (the AWS CLI reference's example of ``get-event-selectors``); moto answers an
  empty list. A trail's selectors come back in the one form they were put in, as AWS answers: advanced ones alone,
  or basic ones with AWS's defaults for the members the caller left out (moto answers both lists, and basic selectors
  as they were put).
- ``GetTrailStatus``: a trail that delivers to CloudWatch Logs (``CloudWatchLogsLogGroupArn`` set) reports
  ``LatestCloudWatchLogsDeliveryTime`` once it has logged, as AWS does; moto reports the S3 delivery
  (``LatestDeliveryTime``) only. Both deliveries are taken to happen together.

Unknown trails and short names fail with moto's own CloudTrail errors (``TrailNotFoundException``, ...), as AWS's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..registry import ExtensionRequest, action

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
