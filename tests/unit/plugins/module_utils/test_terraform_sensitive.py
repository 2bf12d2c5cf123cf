"""The values Terraform marks sensitive are found in its state and outputs, and masked in a terraform result."""

from __future__ import annotations

import json

from ansible.module_utils.common.parameters import remove_values
from ansible_collections.securecloud.monitor.plugins.module_utils.drift_diff import reduce_diff
from ansible_collections.securecloud.monitor.plugins.module_utils.terraform_sensitive import (
    output_secrets,
    sensitive_leaves,
    state_secrets,
)

CURRENT = "5f0e6c1d2b3a49788f7e6d5c4b3a2910"
PREVIOUS = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


def distribution(header_value, price_class="PriceClass_100"):
    return {
        "price_class": price_class,
        "origin": [
            {
                "domain_name": "abc.execute-api.us-east-1.amazonaws.com",
                "custom_header": [{"name": "x-origin-verify", "value": header_value}],
            }
        ],
    }


# As `terraform show -json` writes the state: values in clear, sensitive_values marking them.
SHOWN = {
    "values": {
        "root_module": {
            "resources": [{"address": "aws_vpc.this", "values": {"id": "vpc-0a1b2c3d4e"}, "sensitive_values": {}}],
            "child_modules": [
                {
                    "address": "module.cloudfront[0]",
                    "resources": [
                        {
                            "address": 'module.cloudfront[0].terraform_data.origin_secret["1"]',
                            "values": {"input": CURRENT, "output": CURRENT, "id": "d0c1-..."},
                            "sensitive_values": {"input": True, "output": True},
                        },
                        {
                            "address": "module.cloudfront[0].aws_cloudfront_distribution.this",
                            "values": distribution(CURRENT),
                            "sensitive_values": {
                                "origin": [{"custom_header": [{"value": True}]}],
                            },
                        },
                        {
                            "address": "module.cloudfront[0].aws_secretsmanager_secret_version.origin",
                            "values": {"secret_string": json.dumps({"current": CURRENT, "previous": PREVIOUS})},
                            "sensitive_values": {"secret_string": True},
                        },
                    ],
                }
            ],
        }
    }
}


def test_sensitive_leaves_follow_the_marker_tree_and_nothing_else():
    assert sensitive_leaves(distribution(CURRENT), {"origin": [{"custom_header": [{"value": True}]}]}) == {CURRENT}
    assert sensitive_leaves(distribution(CURRENT), {}) == set()
    assert sensitive_leaves({"a": {"b": ["x" * 9, {"c": "y" * 9}]}}, {"a": True}) == {"x" * 9, "y" * 9}
    assert sensitive_leaves({"a": "z" * 9}, {"a": False}) == set()


def test_state_secrets_walk_every_module_and_skip_what_is_too_short_to_be_a_secret():
    secret_string = json.dumps({"current": CURRENT, "previous": PREVIOUS})
    assert state_secrets(SHOWN) == {CURRENT, secret_string}
    assert state_secrets({}) == set() and state_secrets(None) == set()
    short = {"values": {"root_module": {"resources": [{"values": {"p": "1234"}, "sensitive_values": {"p": True}}]}}}
    assert state_secrets(short) == set()


def test_output_secrets_take_only_outputs_marked_sensitive():
    outputs = {
        "vpc_id": {"sensitive": False, "type": "string", "value": "vpc-0a1b2c3d4e"},
        "token": {"sensitive": True, "type": ["list", "string"], "value": ["tok-" + "9" * 20]},
    }
    assert output_secrets(outputs) == {"tok-" + "9" * 20}
    assert output_secrets(None) == set()


def test_a_terraform_diff_masked_with_the_state_secrets_quotes_no_secret_but_still_shows_the_change():
    # community.general.terraform's diff when the price class changes: the header value is in before and after.
    address = "module.cloudfront[0].aws_cloudfront_distribution.this"
    result = {
        "changed": True,
        "diff": {
            "before": {"data": [{"resource": address, "change": distribution(CURRENT)}]},
            "after": {"data": [{"resource": address, "change": distribution(CURRENT, "PriceClass_All")}]},
        },
        "stdout": f'~ value = "{CURRENT}"',
    }
    masked = remove_values(result, state_secrets(SHOWN))

    assert CURRENT not in json.dumps(masked)
    assert masked["stdout"] == '~ value = "********"'
    reduced = reduce_diff(masked["diff"])
    assert "PriceClass_100" in json.dumps(reduced) and "PriceClass_All" in json.dumps(reduced)
