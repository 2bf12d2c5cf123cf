"""S3 in the local cloud's strict mode (tools/localcloud/strict_s3.py) beyond the table of test_strict_services.py:
virtual-hosted requests are checked as path-style ones are, a configuration call without its body is refused as S3
refuses it, bucket names outside S3's naming rules are refused on CreateBucket only, and the calls the project makes
(the hardened bucket of module_utils/s3_bucket.py, the Terraform state backend's reads and writes) still pass."""

from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import s3_bucket
from botocore.exceptions import ClientError

from .conftest import Cloud
from .test_strict import UNCHECKED

BUCKET = "strict-s3-virtual"
# A SigV4 header with S3's credential scope: the local cloud reads the service from it and checks no signature.
AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
VERSIONING = (
    '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>{}</Status>'
    "</VersioningConfiguration>"
)


def virtual_hosted(cloud: Cloud, method: str, bucket: str, query: str, body: bytes = b"") -> tuple[int, bytes]:
    """A raw request addressed as AWS's virtual-hosted style addresses it: the bucket in the Host header."""
    request = urllib.request.Request(f"{cloud.endpoint}/?{query}", data=body, method=method)
    request.add_header("Host", f"{bucket}.s3.amazonaws.com")
    request.add_header("Authorization", AUTHORIZATION)
    request.add_header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
    request.add_header("Content-Type", "application/xml")  # not urllib's form default, which moto reads as a form
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def error_code(body: bytes) -> str | None:
    root = ET.fromstring(body)
    assert root.tag == "Error"  # S3's error document: <Error> at the root
    return root.findtext("Code")


def test_a_virtual_hosted_request_is_checked_as_a_path_style_one(cloud: Cloud):
    cloud.client("s3").create_bucket(Bucket=BUCKET)
    status, body = virtual_hosted(cloud, "PUT", BUCKET, "versioning", VERSIONING.format("On").encode())
    assert (status, error_code(body)) == (400, "MalformedXML")
    status, body = virtual_hosted(cloud, "PUT", BUCKET, "versioning", VERSIONING.format("Enabled").encode())
    assert status == 200, body
    assert cloud.client("s3").get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"


def test_a_configuration_call_without_its_body_is_refused(cloud: Cloud):
    cloud.client("s3").create_bucket(Bucket=BUCKET)
    status, body = virtual_hosted(cloud, "PUT", BUCKET, "tagging")
    assert (status, error_code(body)) == (400, "MissingRequestBodyError")


def test_a_bad_query_parameter_is_named(cloud: Cloud):
    list_input = botocore.session.get_session().get_service_model("s3").operation_model("ListObjectsV2").input_shape
    encoding = list_input.members["EncodingType"]
    assert "base64" not in encoding.enum
    s3 = cloud.client("s3", config=UNCHECKED)
    with pytest.raises(ClientError) as err:
        s3.list_objects_v2(Bucket=BUCKET, EncodingType="base64")
    error = err.value.response["Error"]
    assert error["Code"] == "InvalidArgument"
    assert (error["ArgumentName"], error["ArgumentValue"]) == (encoding.serialization["name"], "base64")


def test_bucket_naming_rules_apply_to_create_bucket_only(cloud: Cloud):
    """A bucket made under the older us-east-1 rules ('My_Bucket') is still addressed: S3 answers that it is not
    there, not that its name is invalid."""
    s3 = cloud.client("s3", config=UNCHECKED)
    with pytest.raises(ClientError) as err:
        s3.get_bucket_versioning(Bucket="My_Bucket")
    assert err.value.response["Error"]["Code"] == "NoSuchBucket"


def test_the_hardened_bucket_calls_pass(cloud: Cloud):
    """module_utils/s3_bucket.py's own calls for a hardened bucket (every setting, tags, a TLS-only policy), then its
    reads: none refused, and a second plan finds nothing to change."""
    s3 = cloud.client("s3")
    kms_key = cloud.client("kms").create_key()["KeyMetadata"]["Arn"]
    lifecycle = {"transition_days": 30, "transition_storage_class": "STANDARD_IA", "noncurrent_expiration_days": 90}
    desired = s3_bucket.hardened_settings(
        kms_key_arn=kms_key,
        policy={"Version": "2012-10-17", "Statement": [s3_bucket.deny_insecure_transport(f"arn:aws:s3:::{BUCKET}")]},
        lifecycle_rules=[s3_bucket.lifecycle_rule("archive", lifecycle)],
    )
    s3_bucket.create_bucket(s3, BUCKET, "eu-west-1")
    s3_bucket.apply_changes(s3, BUCKET, s3_bucket.plan_changes({}, desired, declared_tags={"env": "dev"}))
    current = s3_bucket.read_settings(s3, BUCKET)
    assert current["tags"] == {"env": "dev"}
    assert s3_bucket.plan_changes(current, desired, declared_tags={"env": "dev"}) == []


def test_the_state_backend_calls_pass(cloud: Cloud):
    """What Terraform's S3 backend does with its state object (HeadBucket, PutObject with SSE-KMS, GetObject,
    ListObjectsV2), as boto3 sends it."""
    s3 = cloud.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.head_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="env/dev/terraform.tfstate", Body=b"{}", ServerSideEncryption="aws:kms")
    assert s3.get_object(Bucket=BUCKET, Key="env/dev/terraform.tfstate")["Body"].read() == b"{}"
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="env/")["Contents"]] == [
        "env/dev/terraform.tfstate"
    ]
