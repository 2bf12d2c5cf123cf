"""plugins/modules/ecr_repository.py: input checks, the declared view (what the task leaves alone stays), and the
calls converge makes for each setting (botocore Stubber, which checks each request against the ECR model)."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.securecloud.monitor.plugins.module_utils import ecr
from ansible_collections.securecloud.monitor.plugins.modules.ecr_repository import (
    build_argument_spec,
    converge,
    declared_view,
    encryption_errors,
    input_errors,
)

NAME = "dev/billing-app"
ARN = f"arn:aws:ecr:us-east-1:123456789012:repository/{NAME}"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
LIFECYCLE = {
    "rules": [
        {
            "rulePriority": 1,
            "description": "Keep the last 30 images",
            "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30},
            "action": {"type": "expire"},
        }
    ]
}


def params(**overrides):
    raw = {
        "name": NAME,
        "image_tag_mutability": "IMMUTABLE",
        "scan_on_push": True,
        "encryption_type": "KMS",
        "kms_key": KEY,
        "lifecycle_policy": LIFECYCLE,
    } | overrides
    raw = {key: value for key, value in raw.items() if value is not None}
    result = ArgumentSpecValidator(build_argument_spec()).validate(raw)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def aws_repository(**overrides):
    return {
        "repositoryName": NAME,
        "repositoryArn": ARN,
        "repositoryUri": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{NAME}",
        "imageTagMutability": "IMMUTABLE",
        "imageScanningConfiguration": {"scanOnPush": True},
        "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": KEY},
    } | overrides


def current(**overrides):
    return ecr.repository_view(aws_repository(**overrides), LIFECYCLE, None, [])


def test_bad_input_names_the_option():
    assert input_errors(params(lifecycle_policy="[1]")) == ["lifecycle_policy: give a JSON object (a dict), not list."]
    assert input_errors(params(encryption_type="AES256")) == ["kms_key: give it with encryption_type=KMS."]
    [error] = encryption_errors(params(), current(encryptionConfiguration={"encryptionType": "AES256"}))
    assert error.startswith("encryption_type/kms_key: repository dev/billing-app is encrypted with AES256")


def test_a_repository_as_declared_is_unchanged_and_unset_options_are_left_alone():
    assert declared_view(params(), current()) == current()
    loose = params(image_tag_mutability=None, scan_on_push=None, lifecycle_policy=None)
    drifted = current(imageTagMutability="MUTABLE", imageScanningConfiguration={"scanOnPush": False})
    assert declared_view(loose, drifted) == drifted


@pytest.fixture
def stubbed(active_stub):
    return active_stub("ecr")


def test_settings_changed_out_of_band_are_put_back_one_call_each(stubbed):
    client, stubber = stubbed
    drifted = ecr.repository_view(
        aws_repository(imageTagMutability="MUTABLE", imageScanningConfiguration={"scanOnPush": False}),
        {"rules": []},
        {"Statement": []},
        [],
    )
    stubber.add_response("put_image_tag_mutability", {}, {"repositoryName": NAME, "imageTagMutability": "IMMUTABLE"})
    stubber.add_response(
        "put_image_scanning_configuration",
        {},
        {"repositoryName": NAME, "imageScanningConfiguration": {"scanOnPush": True}},
    )
    stubber.add_response(
        "put_lifecycle_policy",
        {},
        {"repositoryName": NAME, "lifecyclePolicyText": json.dumps(LIFECYCLE, sort_keys=True)},
    )
    stubber.add_response("delete_repository_policy", {}, {"repositoryName": NAME})
    p = params(repository_policy={})
    converge(client, p, drifted, declared_view(p, drifted))


def test_create_passes_every_setting(stubbed):
    client, stubber = stubbed
    stubber.add_response(
        "create_repository",
        {"repository": aws_repository()},
        {
            "repositoryName": NAME,
            "imageTagMutability": "IMMUTABLE",
            "imageScanningConfiguration": {"scanOnPush": True},
            "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": KEY},
        },
    )
    stubber.add_response(
        "put_lifecycle_policy",
        {},
        {"repositoryName": NAME, "lifecyclePolicyText": json.dumps(LIFECYCLE, sort_keys=True)},
    )
    arn, _ = converge(client, params(), None, declared_view(params(), None))
    assert arn == ARN
