"""plugins/module_utils/cidr.py: CIDR syntax and the form AWS writes a block in (expectations from the address rules:
network address, IPv6 compressed in lowercase)."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.cidr import canonical_cidr, cidr_errors


@pytest.mark.parametrize("block", ["0.0.0.0/0", "10.0.0.0/8", "192.0.2.128/25", "::/0", "2001:db8::/56"])
def test_blocks_in_aws_form_have_no_error(block):
    assert canonical_cidr(block) == block and cidr_errors(block, "f") == []


@pytest.mark.parametrize(
    ("block", "aws_form"),
    [("10.0.0.1/8", "10.0.0.0/8"), ("2001:DB8::/56", "2001:db8::/56"), ("2001:db8:0:0::/56", "2001:db8::/56")],
)
def test_a_block_aws_writes_otherwise_names_the_form_to_write(block, aws_form):
    (error,) = cidr_errors(block, "route_tables['rtb-1'][0]")
    assert error.startswith(f"route_tables['rtb-1'][0]: {block!r} is not written as AWS writes that block")
    assert error.endswith(f"so write {aws_form!r}.")


@pytest.mark.parametrize("value", ["999.1.1.1/8", "10.0.0.0/33", "10.0.0.0", "::g/0", "", None])
def test_what_is_not_a_block_is_refused(value):
    (error,) = cidr_errors(value, "f")
    assert error.startswith(f"f: {value!r} is not a CIDR block;") and "10.0.0.0/16" in error
