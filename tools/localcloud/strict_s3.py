"""S3's own answers to a request that breaks botocore's model or S3's bucket naming rules.

S3 does not answer with the ``N validation errors detected`` text of the other services: it names the one thing it
refused, in its ``<Error>`` document, with a code that depends on where the value was sent (AWS's transcripts):

* a header (``x-amz-acl``, ``x-amz-server-side-encryption``, ...): ``InvalidArgument`` with ``ArgumentName`` (the
  header) and ``ArgumentValue``; for a canned ACL with an empty message (versity/versitygw#1379 quotes S3's answer
  to ``x-amz-acl: privatee``), for server-side encryption "The encryption method specified is not supported"
  (aws/aws-sdk-cpp#1771); the storage class header has its own code, ``InvalidStorageClass``, "The storage class
  you specified is not valid" (peak/s5cmd#163 quotes S3's answer); other headers' values with a message of ours;
  a copy source that breaks the model's ``bucket/key`` pattern "Invalid copy source object key" (versity/versitygw#1389
  quotes S3's answer to a copy source without a key);
* a query-string parameter (``encoding-type``): ``InvalidArgument`` with ``ArgumentName`` and ``ArgumentValue``;
* the XML body (``<VersioningConfiguration><Status>On``, an ``ObjectOwnership`` that does not exist, a missing
  required element): ``MalformedXML``, "The XML you provided was not well-formed or did not validate against our
  published schema" (aws/aws-sdk-ruby#212; S3's error code list); no body at all where the operation needs one:
  ``MissingRequestBodyError``, "Request Body is empty";
* ``CreateBucket`` with a name that breaks S3's general purpose bucket naming rules (3 to 63 characters, lowercase
  letters, digits, ``.`` and ``-``, no IP address, no reserved prefix or suffix; S3 User Guide, "General purpose
  bucket naming rules"): ``InvalidBucketName``, "The specified bucket is not valid.", with ``BucketName``. The rules
  are the collection's (``bucket_name_errors`` in ``plugins/module_utils/s3_bucket.py``), so the modules' validation
  and the local cloud agree. Only ``CreateBucket`` is checked: buckets made under the older us-east-1 rules (capitals,
  ``_``) still exist on AWS and are addressed by every other call.

botocore's S3 model bounds no name's length and has patterns only on ``CopySource``, ``RenameSource`` and a KMS key
ARN; its enums (ACL, StorageClass, ServerSideEncryption, ObjectOwnership, VersioningConfiguration's Status, ...) are
checked as for every other service, by :func:`strict.problems`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ansible_collections.securecloud.monitor.plugins.module_utils.s3_bucket import bucket_name_errors

from .strict import problems

MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"
# AWS's message for a bad value of these headers; other headers' values are refused with the header named.
ARGUMENT_MESSAGES = {
    "x-amz-acl": "",
    "x-amz-server-side-encryption": "The encryption method specified is not supported",
    "x-amz-copy-source": "Invalid copy source object key",
}


@dataclass(frozen=True)
class S3Refusal:
    code: str
    message: str
    details: dict[str, str] = field(default_factory=dict)  # elements after <Message>: ArgumentName, BucketName, ...


def refusal(operation_model: Any, params: dict[str, Any]) -> S3Refusal | None:
    """What S3 answers to this call (its parsed input), or None when S3 would accept it."""
    if operation_model.name == "CreateBucket" and bucket_name_errors(params.get("Bucket")):
        return S3Refusal("InvalidBucketName", "The specified bucket is not valid.", {"BucketName": params["Bucket"]})
    shape = operation_model.input_shape
    for name, member in shape.members.items():
        value = params.get(name)
        if value is None:
            if name in shape.required_members:
                return _missing(member, name, shape)
            continue
        if problems(value, member):
            return _bad_value(member, name, value)
    return None


def _missing(member: Any, name: str, shape: Any) -> S3Refusal:
    if shape.serialization.get("payload") == name:
        return S3Refusal("MissingRequestBodyError", "Request Body is empty")
    if member.serialization.get("location") in ("header", "querystring"):
        return S3Refusal("InvalidArgument", f"{_wire_name(member, name)} is required", _argument(member, name, ""))
    return S3Refusal("MalformedXML", MALFORMED_XML)


def _bad_value(member: Any, name: str, value: Any) -> S3Refusal:
    location = member.serialization.get("location")
    wire_name = _wire_name(member, name)
    if location == "header" and wire_name == "x-amz-storage-class":
        return S3Refusal("InvalidStorageClass", "The storage class you specified is not valid")
    if location in ("header", "querystring"):
        message = ARGUMENT_MESSAGES.get(wire_name, f"Invalid value for {wire_name}: {value}")
        return S3Refusal("InvalidArgument", message, _argument(member, name, value))
    return S3Refusal("MalformedXML", MALFORMED_XML)


def _wire_name(member: Any, name: str) -> str:
    return member.serialization.get("name", name)


def _argument(member: Any, name: str, value: Any) -> dict[str, str]:
    return {"ArgumentName": _wire_name(member, name), "ArgumentValue": str(value)}
