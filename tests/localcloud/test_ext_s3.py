"""S3 answers as AWS gives them (tools/localcloud/extensions/services/s3.py): a bucket tag whose value is empty
comes back with ``Value: ""``; a bucket without tags, or no bucket at all, fails with AWS's error codes. Every answer
is checked against botocore's output shape."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import shape_problems
from botocore.exceptions import ClientError

from .conftest import Cloud


def test_an_empty_tag_value_comes_back_as_the_empty_string(cloud: Cloud):
    s3 = cloud.client("s3")
    s3.create_bucket(Bucket="tagged-bucket")
    # S3 tag values are 0 to 256 characters (PutBucketTagging, "Using cost allocation S3 bucket tags").
    tag_set = [{"Key": "empty", "Value": ""}, {"Key": "team", "Value": "secops"}]
    s3.put_bucket_tagging(Bucket="tagged-bucket", Tagging={"TagSet": tag_set})
    answer = s3.get_bucket_tagging(Bucket="tagged-bucket")
    answer.pop("ResponseMetadata")
    assert shape_problems(answer, s3.meta.service_model.operation_model("GetBucketTagging").output_shape) == []
    assert sorted(answer["TagSet"], key=lambda tag: tag["Key"]) == tag_set


@pytest.mark.parametrize(("create", "code"), [(True, "NoSuchTagSet"), (False, "NoSuchBucket")])
def test_no_tags_or_no_bucket_fail_as_on_aws(cloud: Cloud, create, code):
    s3 = cloud.client("s3")
    if create:
        s3.create_bucket(Bucket="untagged-bucket")
    with pytest.raises(ClientError) as raised:
        s3.get_bucket_tagging(Bucket="untagged-bucket")
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
