"""compliance_notify=true sends the run's summary to the environment's alert topic, where a subscriber (an SQS queue
here) receives it; without the topic the run says so and still reports. Nothing is deployed, so the run fails
SCM.BASE.1 and the summary says FAILED."""

from __future__ import annotations

import json

from tools.harness.playbook import run_playbook


def compliance(cloud, tmp_path, *args):
    return run_playbook(
        "playbooks/compliance.yml",
        endpoint=cloud.endpoint,
        work_dir=tmp_path / "work",
        args=["-e", f"compliance_report_path={tmp_path / 'reports'}", "-e", "compliance_notify=true", *args],
    )


def subscribed_queue(cloud, topic_name):
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name=topic_name)["TopicArn"]
    queue = sqs.create_queue(QueueName=f"{topic_name}-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    return queue


def received(cloud, queue):
    response = cloud.client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=2)
    return [json.loads(message["Body"]) for message in response.get("Messages", [])]


def test_the_summary_reaches_the_subscribers_of_the_alert_topic(module_cloud, tmp_path):
    queue = subscribed_queue(module_cloud, "dev-alerts")
    decoy = subscribed_queue(module_cloud, "dev-alerts-archive")  # a name that merely starts the same

    run = compliance(module_cloud, tmp_path)

    assert run.returncode == 2, run.explain()
    [envelope] = received(module_cloud, queue)
    assert envelope["Subject"] == "Compliance FAILED: dev"
    report = json.loads((tmp_path / "reports" / "compliance.json").read_text())
    message = json.loads(envelope["Message"])
    assert "SCM.BASE.1" in message.pop("failed_controls")
    assert message.pop("reports") == [
        str(tmp_path / "reports" / f"compliance.{ext}") for ext in ("json", "xml", "html")
    ]
    assert message == report["summary"]
    assert received(module_cloud, decoy) == []


def test_without_the_topic_the_run_says_so_and_still_reports(module_cloud, tmp_path):
    run = compliance(module_cloud, tmp_path, "-e", "monitoring_alert_topic_name=nobody-listens")

    assert run.returncode == 2, run.explain()
    assert [r["msg"] for name, _, r in run.task_results() if name == "Say why the summary was not sent"] == [
        "No SNS topic nobody-listens in us-east-1: the summary was not sent. The observability layer creates it "
        "(monitoring_alert_topic_name)."
    ]
    assert not [name for name, _, r in run.task_results() if r.get("failed") and "alert topic" in name]
    assert (tmp_path / "reports" / "compliance.json").is_file()
