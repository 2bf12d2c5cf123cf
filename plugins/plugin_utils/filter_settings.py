# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Checks the filter plugins make on the settings a role passes them (controller side, so in plugin_utils:
module_utils may not import ansible.errors)."""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean


def checked_settings(filter_name, settings, required=(), numbers=()):
    """settings, after checking it is a dict with every key of required set and every key of numbers a number."""
    if not isinstance(settings, dict):
        raise AnsibleFilterError(f"{filter_name}: settings must be a dict, got {type(settings).__name__}.")
    missing = [key for key in required if not settings.get(key)]
    if missing:
        raise AnsibleFilterError(f"{filter_name}: settings lack {', '.join(missing)}.")
    for key in numbers:
        try:
            float(settings.get(key))
        except (TypeError, ValueError):
            raise AnsibleFilterError(
                f"{filter_name}: settings.{key} must be a number, got {settings.get(key)!r}."
            ) from None
    return settings


def as_bool(value):
    """As Ansible's bool filter: 'yes', 'on', '1', 'true' and true are true."""
    return boolean(value, strict=False)


def as_int(value):
    """As Jinja's int filter: '5' and '5.0' both give 5."""
    return int(float(value))
