# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CIDR blocks as options: their syntax, and the one form AWS writes them in. No AWS calls here.

botocore's EC2 model types a CIDR block as a plain string, so its syntax is checked here, once. AWS describes a
block by its network address, IPv6 in compressed lowercase (``10.0.0.0/8``, ``2001:db8::/56``); a module that
matches declared blocks against what AWS describes needs the declared one in that form, or it never matches.
"""

import ipaddress

EXAMPLES = "10.0.0.0/16 or 2001:db8::/56"


def canonical_cidr(value):
    """``value`` as AWS writes the block, or None when it is not a CIDR block (an address and a prefix length)."""
    if not isinstance(value, str) or "/" not in value:
        return None
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        return None


def cidr_errors(value, field):
    """A message naming ``field`` and the fix when ``value`` is not a CIDR block in the form AWS writes it."""
    canonical = canonical_cidr(value)
    if canonical is None:
        return [f"{field}: {value!r} is not a CIDR block; give an address and a prefix length such as {EXAMPLES}."]
    if canonical != value:
        return [
            f"{field}: {value!r} is not written as AWS writes that block; AWS describes it as {canonical!r}, so write "
            f"{canonical!r}."
        ]
    return []
