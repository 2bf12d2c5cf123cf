"""The values Terraform marks sensitive are found in its state and outputs, and masked in a terraform result."""

from __future__ import annotations

import json

from ansible.module_utils.common.parameters import remove_values
from ansible_collections.securecloud.monitor.plugins.module_utils.drift_diff import reduce_diff
from ansible_collections.securecloud.monitor.plugins.module_utils.terraform_sensitive import (
    output_secrets,
    raw_state_secrets,
    sensitive_leaves,
    sensitive_schema,
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


AWS = 'provider["registry.terraform.io/hashicorp/aws"]'

# The same state as SHOWN, as `terraform state pull` writes it: each instance records the paths that were marked
# sensitive when it was written (here the configuration's: the origin secret and the header carrying it); the
# attributes the provider's schema declares sensitive (secret_string) need not be among them. terraform_data's
# input and output are dynamically typed, stored with their type.
RAW = {
    "version": 4,
    "resources": [
        {
            "mode": "managed",
            "type": "aws_vpc",
            "name": "this",
            "provider": AWS,
            "instances": [{"attributes": {"id": "vpc-0a1b2c3d4e"}, "sensitive_attributes": []}],
        },
        {
            "module": "module.cloudfront[0]",
            "mode": "managed",
            "type": "terraform_data",
            "name": "origin_secret",
            "provider": 'provider["terraform.io/builtin/terraform"]',
            "instances": [
                {
                    "index_key": "1",
                    "attributes": {
                        "input": {"value": CURRENT, "type": "string"},
                        "output": {"value": CURRENT, "type": "string"},
                        "id": "d0c1-...",
                    },
                    "sensitive_attributes": [[{"type": "get_attr", "value": "input"}]],
                }
            ],
        },
        {
            "module": "module.cloudfront[0]",
            "mode": "managed",
            "type": "aws_cloudfront_distribution",
            "name": "this",
            "provider": AWS + ".us_east_1",
            "instances": [
                {
                    "attributes": distribution(CURRENT),
                    "sensitive_attributes": [
                        [
                            {"type": "get_attr", "value": "origin"},
                            {"type": "index", "value": {"value": 0, "type": "number"}},
                            {"type": "get_attr", "value": "custom_header"},
                            {"type": "index", "value": {"value": 0, "type": "number"}},
                            {"type": "get_attr", "value": "value"},
                        ]
                    ],
                }
            ],
        },
        {
            "module": "module.cloudfront[0]",
            "mode": "managed",
            "type": "aws_secretsmanager_secret_version",
            "name": "origin",
            "provider": AWS,
            "instances": [
                {
                    "attributes": {
                        "secret_id": "arn:aws:secretsmanager:us-east-1:123456789012:secret:edge/origin-verify-a1B2c3",
                        "secret_string": json.dumps({"current": CURRENT, "previous": PREVIOUS}),
                    },
                    "sensitive_attributes": [],
                }
            ],
        },
    ],
}

# Excerpt of `terraform providers schema -json` for the AWS provider (sensitive flags as the provider declares them).
SCHEMAS = {
    "format_version": "1.0",
    "provider_schemas": {
        "registry.terraform.io/hashicorp/aws": {
            "resource_schemas": {
                "aws_vpc": {"version": 1, "block": {"attributes": {"id": {"type": "string", "computed": True}}}},
                "aws_secretsmanager_secret_version": {
                    "version": 0,
                    "block": {
                        "attributes": {
                            "secret_id": {"type": "string", "required": True},
                            "secret_string": {"type": "string", "optional": True, "sensitive": True},
                        }
                    },
                },
                "aws_db_instance": {
                    "version": 2,
                    "block": {
                        "attributes": {"password": {"type": "string", "optional": True, "sensitive": True}},
                        "block_types": {
                            "master_user_secret": {
                                "nesting_mode": "list",
                                "block": {"attributes": {"secret_arn": {"type": "string", "computed": True}}},
                            },
                            "s3_import": {
                                "nesting_mode": "list",
                                "block": {"attributes": {"ingestion_role": {"type": "string", "sensitive": True}}},
                            },
                        },
                    },
                },
            },
            "data_source_schemas": {
                "aws_secretsmanager_secret_version": {
                    "version": 0,
                    "block": {"attributes": {"secret_string": {"type": "string", "sensitive": True}}},
                }
            },
        },
        "terraform.io/builtin/terraform": {
            "resource_schemas": {
                "terraform_data": {"version": 0, "block": {"attributes": {"input": {"type": "dynamic"}}}}
            }
        },
    },
}


def test_the_sensitive_schema_keeps_only_what_is_sensitive_with_its_nesting():
    assert sensitive_schema(SCHEMAS) == {
        "registry.terraform.io/hashicorp/aws": {
            "managed": {
                "aws_secretsmanager_secret_version": {"secret_string": True},
                "aws_db_instance": {
                    "password": True,
                    "s3_import": {"nesting": "list", "block": {"ingestion_role": True}},
                },
            },
            "data": {"aws_secretsmanager_secret_version": {"secret_string": True}},
        }
    }
    assert sensitive_schema({}) == {} and sensitive_schema(None) == {}


def test_the_raw_state_gives_the_secrets_show_json_marks():
    assert raw_state_secrets(RAW, sensitive_schema(SCHEMAS)) == state_secrets(SHOWN)


def test_without_the_schema_the_attributes_only_the_provider_declares_sensitive_are_missed():
    assert raw_state_secrets(RAW, {}) == {CURRENT}


def test_nested_blocks_and_nested_attribute_types_are_followed_into_each_element():
    nested = {"n": {"nesting": "map", "block": {"s": True}}}
    schema = {"aws": {"managed": {"t": {"b": {"nesting": "set", "block": nested}}}}}
    resource = {
        "mode": "managed",
        "type": "t",
        "provider": 'provider["aws"]',
        "instances": [{"attributes": {"b": [{"n": {"k1": {"s": "x" * 9, "o": "open-value"}}}, {"n": None}]}}],
    }
    assert raw_state_secrets({"resources": [resource]}, schema) == {"x" * 9}


def test_a_recorded_path_into_a_set_masks_the_whole_set():
    by_value = {"type": "index", "value": {"value": {"name": "x-origin-verify"}, "type": ["object", {}]}}
    path = [{"type": "get_attr", "value": "origin"}, by_value]
    origin = {"custom_header": [{"value": CURRENT}], "domain_name": "abc.example.com"}
    resource = {
        "mode": "managed",
        "type": "aws_cloudfront_distribution",
        "provider": AWS,
        "instances": [{"attributes": {"origin": [origin]}, "sensitive_attributes": [path]}],
    }
    assert raw_state_secrets({"resources": [resource]}, {}) == {CURRENT, "abc.example.com"}
    assert raw_state_secrets({}, {}) == set() and raw_state_secrets(None, None) == set()
