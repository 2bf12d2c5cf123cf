"""plugins/modules/shield_protection_info.py against a botocore Stubber: the shape it returns, the name-prefix and
resource filters, no subscription read as no protection, and check mode changing nothing."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import shield_protection_info as module

from tests.unit.plugins.module_utils.test_shield import ACCOUNT, DISTRIBUTION, EIP, HEALTH_CHECK, ZONE, run_module
from tests.unit.plugins.modules.test_shield_protection import ID_A, ID_B, ID_C, parn, protection

LISTED = [
    protection(ID_A, "dev-distribution-E2EXAMPLE1", DISTRIBUTION, [HEALTH_CHECK.rsplit("/", 1)[-1]], "count"),
    protection(ID_B, "dev-hostedzone-Z123EXAMPLE", ZONE),
    protection(ID_C, "prod-eip", EIP, alar="block"),
]


def listed(stubber, protections=LISTED):
    stubber.add_response("list_protections", {"Protections": protections}, {})


def test_every_protection_in_the_shape_of_shield_protection_sorted_by_name(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, module, {}, listed)
    assert result["changed"] is False
    assert [p["name"] for p in result["protections"]] == [
        "dev-distribution-E2EXAMPLE1",
        "dev-hostedzone-Z123EXAMPLE",
        "prod-eip",
    ]
    assert result["protections"][0] == {
        "id": ID_A,
        "name": "dev-distribution-E2EXAMPLE1",
        "protection_arn": parn(ID_A),
        "resource_arn": DISTRIBUTION,
        "resource_type": "CLOUDFRONT_DISTRIBUTION",
        "health_check_arns": [HEALTH_CHECK],
        "application_layer_automatic_response": "count",
    }
    assert [p["application_layer_automatic_response"] for p in result["protections"]] == [
        "count",
        "disabled",
        "block",
    ]


@pytest.mark.parametrize(
    "args, names",
    [
        ({"name_prefix": "dev-"}, ["dev-distribution-E2EXAMPLE1", "dev-hostedzone-Z123EXAMPLE"]),
        ({"resource_arns": [EIP, ZONE]}, ["dev-hostedzone-Z123EXAMPLE", "prod-eip"]),
        ({"name_prefix": "dev-", "resource_arns": [EIP]}, []),
        ({"resource_arns": []}, []),
    ],
)
def test_filters(monkeypatch, capsys, args, names):
    result = run_module(monkeypatch, capsys, module, args, listed)
    assert [p["name"] for p in result["protections"]] == names


def test_no_subscription_is_no_protection(monkeypatch, capsys):
    def setup(stubber):
        stubber.add_client_error(
            "list_protections", "ResourceNotFoundException", "The subscription does not exist.", 400
        )

    assert run_module(monkeypatch, capsys, module, {}, setup)["protections"] == []


def test_access_denied_fails_naming_the_call(monkeypatch, capsys):
    def setup(stubber):
        stubber.add_client_error("list_protections", "AccessDeniedException", "no", 400)

    result = run_module(monkeypatch, capsys, module, {}, setup)
    assert result["failed"] and "list protections" in result["msg"].lower()


def test_check_mode_reads_the_same(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, module, {"name_prefix": "prod-"}, listed, check_mode=True)
    assert result["changed"] is False and [p["resource_arn"] for p in result["protections"]] == [EIP]
    assert ACCOUNT in result["protections"][0]["protection_arn"]
