"""The runbook link every alarm description ends with (` Runbook: <URL>`, the roles' *_runbook_url_template), and
whether the page it names is in docs/runbooks/. Shared by the Molecule verify steps and the integration tests.

    python -m tools.harness.runbooks ENDPOINT REGION PREFIX   # the alarms named PREFIX*, as JSON
"""

from __future__ import annotations

import json
import re
import sys

import boto3

from tools.harness.playbook import REPO

RUNBOOKS = REPO / "docs" / "runbooks"
# The page name is the URL's last part without .md, as in the roles' default template.
LINK = re.compile(r" Runbook: https?://\S+/(?P<page>[a-z0-9-]+)\.md$")


def linked_page(description: str | None) -> str | None:
    """The runbook page a description ends with a link to, or None."""
    found = LINK.search(description or "")
    return found["page"] if found else None


def unlinked(alarms: list[dict]) -> dict[str, str | None]:
    """Alarm name -> description of each alarm (describe_alarms shape) whose description does not end with a link to
    an existing page of docs/runbooks/."""
    return {
        alarm["AlarmName"]: alarm.get("AlarmDescription")
        for alarm in alarms
        if not (page := linked_page(alarm.get("AlarmDescription"))) or not (RUNBOOKS / f"{page}.md").is_file()
    }


def alarms_of(endpoint: str, region: str, prefix: str) -> list[dict]:
    cloudwatch = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=region).client(
        "cloudwatch", endpoint_url=endpoint
    )
    found = cloudwatch.describe_alarms(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    return found["MetricAlarms"] + found["CompositeAlarms"]


if __name__ == "__main__":
    endpoint, region, prefix = sys.argv[1:4]
    alarms = alarms_of(endpoint, region, prefix)
    print(json.dumps({"alarms": len(alarms), "unlinked": unlinked(alarms)}))
