"""cloudtrail_bucket: S3's rules that botocore's model lacks (bucket tags, the 20 KB bucket policy) and the settings
requests checked against the S3 model before any write (issue 20). The module runs through ``main()`` against
Stubbers that answer only the reads named, so any other call would fail it with another message."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import s3_bucket

from tests.unit.plugins.modules.test_cloudtrail_bucket import ARGS, BUCKET, identity, run


@pytest.mark.parametrize(
    ("tags", "said"),
    [
        ({"aws:owner": "secops"}, "tags key 'aws:owner' is not one S3 takes"),
        ({"k" * 129: "v"}, f"give 1 to {s3_bucket.TAG_KEY_MAX} characters"),
        ({"owner": "o" * 257}, f"tags.owner has 257 characters: give at most {s3_bucket.TAG_VALUE_MAX}"),
        (
            {f"k{i}": "v" for i in range(51)},
            f"tags has 51 tags: an S3 bucket takes at most {s3_bucket.BUCKET_TAGS_MAX}",
        ),
    ],
)
def test_bucket_tags_s3_refuses_fail_before_any_call(monkeypatch, capsys, tags, said):
    result = run(monkeypatch, capsys, ARGS | {"tags": tags}, aws=False)
    assert result["failed"] and said in result["msg"], result["msg"]


def test_a_bucket_policy_over_20_kb_fails_after_the_reads_and_before_any_write(monkeypatch, capsys):
    def reads(stubbers):
        stubbers["s3"].add_client_error("head_bucket", "404", "Not Found", 404, expected_params={"Bucket": BUCKET})
        identity(stubbers)

    trails = [f"management-events-{index:03d}" for index in range(300)]
    result = run(monkeypatch, capsys, ARGS | {"trails": trails}, reads)
    assert result["failed"]
    (error,) = result["errors"]
    assert error.startswith("trails makes a bucket policy of ")
    assert f"S3 takes at most {20 * 1024} bytes" in error
