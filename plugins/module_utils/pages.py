# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading every page of a list call that botocore has no paginator for."""


def all_pages(call, result_key, **params):
    """Every item of a NextToken-paginated call."""
    items = []
    while True:
        response = call(**params)
        items.extend(response.get(result_key) or [])
        token = response.get("NextToken")
        if not token:
            return items
        params["NextToken"] = token
