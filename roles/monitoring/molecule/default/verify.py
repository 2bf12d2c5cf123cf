"""Prints the monitoring state of the scenario's local cloud as JSON, read through boto3 only: the environment's region
(argument 2) and us-east-1, where the edge's alarms and their topic are."""

import json
import sys

import boto3

endpoint, region = sys.argv[1], sys.argv[2]
aws = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=region)
edge_aws = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
cloudwatch = aws.client("cloudwatch", endpoint_url=endpoint)
sns = aws.client("sns", endpoint_url=endpoint)
kms = aws.client("kms", endpoint_url=endpoint)
edge_sns = edge_aws.client("sns", endpoint_url=endpoint)
edge_topic = next(
    (t["TopicArn"] for t in edge_sns.list_topics()["Topics"] if t["TopicArn"].endswith(":molecule-alerts")), None
)

alarms = cloudwatch.describe_alarms(AlarmNamePrefix="molecule-mon-", AlarmTypes=["MetricAlarm", "CompositeAlarm"])
topic = next((t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":molecule-alerts")), None)
policy = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"]) if topic else {}
budgets = aws.client("budgets", endpoint_url=endpoint)
account = aws.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
budget_alerts = {}
for budget in budgets.describe_budgets(AccountId=account).get("Budgets", []):
    name = budget["BudgetName"]
    alerts = budgets.describe_notifications_for_budget(AccountId=account, BudgetName=name)["Notifications"]
    budget_alerts[name] = {
        "limit": budget["BudgetLimit"]["Amount"],
        "alerts": sorted(f"{n['NotificationType']} {n['Threshold']:g}" for n in alerts),
        "subscribers": sorted(
            s["Address"]
            for n in alerts
            for s in budgets.describe_subscribers_for_notification(AccountId=account, BudgetName=name, Notification=n)[
                "Subscribers"
            ]
        ),
    }
overview = cloudwatch.get_dashboard(DashboardName="molecule-mon-overview") if topic else None
edge_alarms = edge_aws.client("cloudwatch", endpoint_url=endpoint).describe_alarms(
    AlarmNamePrefix="molecule-edge-mon-"
)["MetricAlarms"]
regional_edge_alarms = cloudwatch.describe_alarms(AlarmNamePrefix="molecule-edge-mon-")["MetricAlarms"]
edge_board = (
    json.loads(cloudwatch.get_dashboard(DashboardName="molecule-mon-edge")["DashboardBody"])
    if "molecule-mon-edge"
    in [d["DashboardName"] for d in cloudwatch.list_dashboards(DashboardNamePrefix="molecule-mon-")["DashboardEntries"]]
    else {"widgets": []}
)
print(
    json.dumps(
        {
            "metric_alarms": [a["AlarmName"] for a in alarms["MetricAlarms"]],
            "composite_alarms": [a["AlarmName"] for a in alarms["CompositeAlarms"]],
            "composite_rules": {a["AlarmName"]: a["AlarmRule"] for a in alarms["CompositeAlarms"]},
            "alarm_actions": [
                action for a in alarms["MetricAlarms"] + alarms["CompositeAlarms"] for action in a["AlarmActions"]
            ],
            "topic_arn": topic,
            "dashboards": [
                d["DashboardName"]
                for d in cloudwatch.list_dashboards(DashboardNamePrefix="molecule-mon-")["DashboardEntries"]
            ],
            "overview_widget_types": [w["type"] for w in json.loads(overview["DashboardBody"])["widgets"]]
            if overview
            else [],
            "subscriptions": [s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]]
            if topic
            else [],
            "budgets": budget_alerts,
            "topic_key": sns.get_topic_attributes(TopicArn=topic)["Attributes"].get("KmsMasterKeyId")
            if topic
            else None,
            "alias_key": next(
                (
                    a.get("TargetKeyId")
                    for a in kms.list_aliases()["Aliases"]
                    if a["AliasName"] == "alias/molecule-alerts"
                ),
                None,
            ),
            "topic_policy_principals": [str(s.get("Principal")) for s in policy.get("Statement", [])],
            "edge_alarms": {
                a["AlarmName"]: {
                    "metric": a["MetricName"],
                    "dimensions": {d["Name"]: d["Value"] for d in a["Dimensions"]},
                    "actions": a["AlarmActions"],
                }
                for a in edge_alarms
            },
            "edge_topic_arn": edge_topic,
            "edge_topic_subscriptions": [
                s["Endpoint"] for s in edge_sns.list_subscriptions_by_topic(TopicArn=edge_topic)["Subscriptions"]
            ]
            if edge_topic
            else [],
            "regional_edge_alarms": [a["AlarmName"] for a in regional_edge_alarms],
            "edge_widgets": {
                w["properties"]["title"]: w["properties"]["region"]
                for w in edge_board["widgets"]
                if w["type"] == "metric"
            },
        }
    )
)
