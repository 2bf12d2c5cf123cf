"""plugins/module_utils/wafv2.py: the resource types a regional web ACL protects, from botocore's WAFv2 model."""

from __future__ import annotations

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.botocore_model import api_enum
from ansible_collections.securecloud.monitor.plugins.module_utils.wafv2 import (
    RESOURCE_TYPE_ARNS,
    association_problem,
    regional_resource_types,
    resource_type,
)

# One ARN per type, in the formats AssociateWebACL's documentation gives.
EXAMPLES = {
    "APPLICATION_LOAD_BALANCER": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c49",
    "API_GATEWAY": "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3/stages/prod",
    "APPSYNC": "arn:aws:appsync:eu-west-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz",
    "COGNITO_USER_POOL": "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf",
    "APP_RUNNER_SERVICE": "arn:aws:apprunner:eu-west-1:123456789012:service/web/8fe1e10304f84fd2b0df550fe98a71fa",
    "VERIFIED_ACCESS_INSTANCE": "arn:aws:ec2:eu-west-1:123456789012:verified-access-instance/vai-0123456789abcdef0",
    "AMPLIFY": "arn:aws:amplify:eu-west-1:123456789012:apps/d2abc3def4",
    "AGENTCORE_GATEWAY": "arn:aws:bedrock-agentcore:eu-west-1:123456789012:gateway/gw-0123456789",
}


def test_types_are_the_wafv2_model_resource_types():
    model = botocore.session.get_session().get_service_model("wafv2")
    assert set(regional_resource_types()) == set(model.shape_for("ResourceType").enum)
    assert "AMPLIFY" in regional_resource_types()


def test_every_type_of_the_model_has_an_arn_form():
    assert set(regional_resource_types()) <= set(RESOURCE_TYPE_ARNS)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_each_documented_arn_is_recognised_and_can_be_associated(kind):
    assert resource_type(EXAMPLES[kind]) == kind
    assert association_problem(EXAMPLES[kind]) is None


@pytest.mark.parametrize(
    "arn, problem",
    [
        ("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188", "Network Load"),
        ("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/gwy/gw/50dc6c495c0c9188", "Gateway Load"),
        ("arn:aws:apigateway:eu-west-1::/apis/a1b2c3", "HTTP/WebSocket"),
        ("arn:aws:apigateway:eu-west-1::/restapis/a1b2c3", "is not a resource"),
        ("arn:aws:s3:::bucket", "is not a resource"),
        ("prefix arn:aws:amplify:eu-west-1:123456789012:apps/d2abc3def4", "is not a resource"),
        ("", "is not a resource"),
        (None, "is not a resource"),
    ],
)
def test_what_cannot_carry_a_web_acl_is_refused_with_the_reason(arn, problem):
    assert resource_type(arn) is None
    assert problem in association_problem(arn)


def test_api_enum_reads_the_service_model():
    assert "BUILD_GENERAL1_SMALL" in api_enum("codebuild", "ComputeType")
    assert api_enum("wafv2", "Scope") == ("CLOUDFRONT", "REGIONAL")
