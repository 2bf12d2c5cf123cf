"""S3 answers that moto 5.2.5 gives otherwise than AWS (moto serves every other S3 action).

- ``GetBucketTagging``: a tag whose value is the empty string (S3 takes values of 0 to 256 characters) comes back
  with ``Value: ""``, as AWS answers (``<Value></Value>``; botocore's model makes ``Tag.Value`` required). moto
  stores such a value as null and leaves the ``Value`` element out, which breaks any reader that expects it
  (amazon.aws ``boto3_tag_list_to_ansible_dict``). A bucket without tags fails with ``NoSuchTagSet``, as on AWS.
"""

from __future__ import annotations

from typing import Any

from ..registry import AwsError, ExtensionRequest, action


@action("s3", "GetBucketTagging")
def get_bucket_tagging(req: ExtensionRequest) -> dict[str, Any]:
    tags = req.moto_backend("s3", req.partition).get_bucket_tagging(req.params["Bucket"])["Tags"]
    if not tags:
        raise AwsError("NoSuchTagSet", "The TagSet does not exist", status=404)
    return {"TagSet": [{"Key": tag["Key"], "Value": tag.get("Value") or ""} for tag in tags]}
