# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: awx_schedule_rrule
short_description: awx.awx.schedule_rrule that works with ansible-core 2.19
version_added: 1.0.0
description:
  - Calls the C(awx.awx.schedule_rrule) lookup with the same terms and options and returns its rule as a list of one
    string. awx.awx 24.6.1's lookup returns a bare string, which ansible-core 2.19 refuses ("returned str instead of
    list"); this wrapper goes away once awx.awx returns a list.
  - Options are those of C(awx.awx.schedule_rrule) (C(start_date), C(timezone), C(every), C(end_on), C(on_days),
    C(month_day_number), C(on_the)); it needs C(pytz) and C(python-dateutil) like the original.
options:
  _terms:
    description: The frequency (none, minute, hour, day, week, month).
    required: true
author:
  - securecloud.monitor maintainers (@securecloud)
"""

EXAMPLES = r"""
- name: Nightly at 02:30 UTC
  ansible.builtin.debug:
    msg: >-
      {{ lookup('securecloud.monitor.awx_schedule_rrule', 'day', start_date='2026-01-01 02:30:00', timezone='UTC') }}
"""

RETURN = r"""
_raw:
  description: The rrule string, as the only element of a list.
  type: list
  elements: str
"""

from ansible.plugins.loader import lookup_loader  # noqa: E402
from ansible.plugins.lookup import LookupBase  # noqa: E402


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        original = lookup_loader.get("awx.awx.schedule_rrule", loader=self._loader, templar=self._templar)
        rule = original.run(terms, variables=variables, **kwargs)
        return rule if isinstance(rule, list) else [rule]
