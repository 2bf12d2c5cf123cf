"""Shared by the generators (no Generator here): values at the edges of AWS's documented limits."""

from __future__ import annotations

import string

from tests.integration.generated.values import text

# The characters every tagging service takes in keys and values (IAM's and CodeBuild's pattern,
# ``[\p{L}\p{Z}\p{N}_.:/=+\-@]``, is the narrowest).
TAG_CHARS = string.ascii_letters + string.digits + " _.:/=+-@"


def edge_tags(rng, most=50, key_high=128, value_high=256):
    """None, a few or ``most`` tags, each key and value sometimes as long as its limit allows; keys never aws:."""
    count = rng.choice([0, 2, most])
    found = {}
    for index in range(count):
        key = f"k{index}-" + text(rng, 0, rng.choice([10, key_high - 5]), TAG_CHARS)
        found[key.strip()[:key_high]] = text(rng, 0, rng.choice([10, value_high]), TAG_CHARS)[:value_high]
    return found
