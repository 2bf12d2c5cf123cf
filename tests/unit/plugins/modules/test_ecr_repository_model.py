"""ecr_repository: CreateRepository and the policy writes checked against the ECR model before any call (issue 20),
and the KMS key forms ECR takes. Bounds and patterns are read from botocore's model."""

from __future__ import annotations

import botocore.session
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.securecloud.monitor.plugins.modules import ecr_repository
from ansible_collections.securecloud.monitor.plugins.modules.ecr_repository import (
    build_argument_spec,
    input_errors,
    model_errors,
)

from tests.unit.aws_stub import stubbed_client

ECR = botocore.session.get_session().get_service_model("ecr")
NAME = ECR.operation_model("CreateRepository").input_shape.members["repositoryName"]
LIFECYCLE_MIN = ECR.operation_model("PutLifecyclePolicy").input_shape.members["lifecyclePolicyText"].metadata["min"]
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
LIFECYCLE = {
    "rules": [
        {
            "rulePriority": 1,
            "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30},
            "action": {"type": "expire"},
        }
    ]
}


def params(**overrides):
    result = ArgumentSpecValidator(build_argument_spec()).validate({"name": "dev/billing-app"} | overrides)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def test_valid_options_have_no_errors():
    assert model_errors(ECR, params(lifecycle_policy=LIFECYCLE, encryption_type="KMS", kms_key=KEY)) == []
    assert model_errors(ECR, params(state="absent", name="X")) == []


def test_a_name_outside_the_models_pattern_names_the_option():
    (error,) = model_errors(ECR, params(name="Dev/Billing"))
    assert error.startswith("name 'Dev/Billing' is not in the form AWS accepts")
    assert NAME.metadata["pattern"] in error


def test_a_name_shorter_than_the_model_allows_is_refused():
    (error,) = model_errors(ECR, params(name="a"))
    assert error.startswith("name 'a' has 1 characters") and f"give {NAME.metadata['min']} to" in error


def test_a_lifecycle_policy_shorter_than_ecr_takes_names_the_option():
    (error,) = model_errors(ECR, params(lifecycle_policy={"rules": []}))
    assert error.startswith("lifecycle_policy ") and f"give {LIFECYCLE_MIN} to" in error


def test_a_kms_key_in_none_of_the_forms_kms_names_keys_is_refused():
    (error,) = input_errors(params(encryption_type="KMS", kms_key="billing-key"))
    assert error.startswith("kms_key 'billing-key' is not a KMS key") and "alias/NAME" in error
    for form in (
        KEY,
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "alias/ecr",
        "arn:aws:kms:us-east-1:123456789012:alias/e",
    ):
        assert input_errors(params(encryption_type="KMS", kms_key=form)) == []


def test_main_refuses_before_any_call(aws_stub):
    client, stubber = stubbed_client("ecr")  # nothing stubbed: any call fails the module
    aws_stub.module_clients(ecr_repository, client)
    result = aws_stub.run(ecr_repository, {"name": "Dev/Billing"}, stubber)
    assert result["failed"] and result["msg"].startswith("name 'Dev/Billing' is not in the form AWS accepts"), result
