# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Independent read calls made at the same time.

A module that checks several facets of one resource (its configuration, tags, logging, associations) needs one
read per facet, and each read only needs the resource's id. Made one after the other, every extra facet adds a
round trip to the run; made at the same time, the facets cost the slowest one. botocore clients are thread safe,
and each call keeps its own retries.
"""

from concurrent.futures import ThreadPoolExecutor


def read_concurrently(**calls):
    """Run the zero-argument callables at the same time; return ``{name: result}``.

    An exception raised by a call is raised here (the first one by argument order), after every call has ended.
    """
    if len(calls) < 2:
        return dict((name, call()) for name, call in calls.items())
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = dict((name, pool.submit(call)) for name, call in calls.items())
    return dict((name, future.result()) for name, future in futures.items())
