# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one convention of the set modules (doc fragment ``securecloud.monitor.set_module``): ``prefix`` is the
name scope the task owns, ``purge`` (true when not set) deletes what the scope holds and the task does not
declare, ``state=absent`` deletes the whole scope. No AWS calls here.

The option names the modules had before 1.1.0 stay as deprecated aliases until 2.0.0. A module whose ``purge``
used to default to false keeps that default for a task still written the old way (the old option name, or no
prefix at all), so that renaming nothing never turns into deleting something; the deprecation says what to write.
"""

import functools

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

COLLECTION = "securecloud.monitor"
REMOVED_IN = "2.0.0"


def set_argument_spec(old_prefix=None, prefix_required=True, owner_tag=False):
    """``prefix``, ``purge`` and ``state`` for a module's ``argument_spec``, with ``old_prefix`` as a deprecated
    alias of ``prefix``, and ``owner_tag`` when the module takes it. ``purge`` has no default here: ``settle()``
    fills it in, as the default depends on the names the task uses."""
    prefix = dict(type="str", required=prefix_required)
    if old_prefix:
        prefix.update(
            aliases=[old_prefix],
            deprecated_aliases=[dict(name=old_prefix, version=REMOVED_IN, collection_name=COLLECTION)],
        )
    spec = dict(
        prefix=prefix,
        purge=dict(type="bool"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    if owner_tag:
        spec["owner_tag"] = dict(
            type="dict",
            options=dict(key=dict(type="str", required=True, no_log=False), value=dict(type="str", required=True)),
        )
    return spec


def old_names_used(params, old_prefix):
    """Whether the task names its scope with the deprecated option (Ansible keeps the alias among the params)."""
    return old_prefix is not None and params.get(old_prefix) is not None


def settle(module, old_prefix=None, old_purge_default=None, unscoped=None):
    """Fill in ``module.params['purge']`` in place and add the deprecations that apply.

    ``old_purge_default`` is the default ``purge`` had before the convention (None when it was already true);
    ``unscoped`` says what the scope is when a task gives no prefix (e.g. "every Shield protection in the
    account"), for the modules where leaving it out used to be allowed; such a task is deprecated.
    """
    params = module.params
    by_old_name = old_names_used(params, old_prefix)
    without_prefix = unscoped is not None and params["prefix"] is None
    old_style = old_purge_default is not None and (by_old_name or without_prefix)
    kept_old_default = params["purge"] is None and old_style
    if params["purge"] is None:
        params["purge"] = old_purge_default if old_style else True
    if by_old_name:
        message = f"The option {old_prefix} is deprecated: use prefix, which means the same."
        if kept_old_default:
            old = str(old_purge_default).lower()
            message = (
                f"The option {old_prefix} is deprecated: use prefix. This task gives no purge, so it keeps purge: "
                f"{old}, the old default; with prefix, purge defaults to true, so write purge: {old} when you rename "
                "the option to keep what the task does."
            )
        module.deprecate(message, version=REMOVED_IN, collection_name=COLLECTION)
    if without_prefix:
        module.deprecate(
            f"A task without prefix manages {unscoped}; prefix will be required. Set prefix to the name prefix this "
            "task owns, or to '' for all of them on purpose; purge then defaults to true, so add purge: false if the "
            "task must not delete what it does not declare.",
            version=REMOVED_IN,
            collection_name=COLLECTION,
        )
    return params


def unscoped_errors(params, unscoped):
    """purge=true or state=absent without a prefix would delete ``unscoped``: refused, with the fix."""
    if params["prefix"] is not None:
        return []
    wanted = [f for f, on in (("purge=true", params["purge"]), ("state=absent", params["state"] == "absent")) if on]
    if not wanted:
        return []
    return [
        f"{' and '.join(wanted)} needs prefix: without it the scope is {unscoped}, and all of them that the task "
        "does not declare would be deleted. Set prefix to the prefix of the names this task owns, or to '' to "
        "make all of them the scope on purpose."
    ]


def declared_items(params, option):
    """The resources the task declares: none with state=absent, which empties the scope."""
    return (params.get(option) or []) if params["state"] == "present" else []


def deletes_undeclared(params):
    """Whether the resources in the scope that the task does not declare are deleted."""
    return bool(params["purge"]) or params["state"] == "absent"


def in_scope(params, name):
    """Whether the resource called ``name`` is in the task's scope (every name when ``prefix`` is empty or unset)."""
    prefix = params.get("prefix")
    return not prefix or name.startswith(prefix)


def owns(params, tags):
    """Whether the task owns a scope member with these tags: always without ``owner_tag``, else when the member
    carries the owner tag's key with its value."""
    owner = params.get("owner_tag")
    return not owner or (tags or {}).get(owner["key"]) == owner["value"]


def owner_tag_text(params):
    owner = params["owner_tag"]
    return f"{owner['key']}: {owner['value']}"


def owner_tag_errors(params, option, tags_option="tags"):
    """With ``owner_tag``, every declared resource must carry the owner tag in its ``tags_option``: what the task
    creates is then its own, and a later purge or state=absent of the task deletes it when it is no longer declared
    (without the tag it would be kept as foreign forever)."""
    owner = params.get("owner_tag")
    if not owner:
        return []
    errors = []
    for index, item in enumerate(declared_items(params, option)):
        tags = item.get(tags_option)
        if (tags or {}).get(owner["key"]) != owner["value"]:
            errors.append(
                f"{option}[{index}].{tags_option} {'does not set' if tags is None else 'lacks'} the owner tag "
                f"{owner_tag_text(params)} (owner_tag): add it to {option}[{index}].{tags_option}, so that what the "
                "task declares is its own and a later purge deletes it once it is no longer declared."
            )
    return errors


def split_owned(params, candidates, tags_of):
    """The deletion candidates the task owns, and the names of those it keeps as foreign (``kept_foreign``, sorted).

    ``candidates`` are (name, resource) pairs; ``tags_of(resource)`` is called only with ``owner_tag`` set, once per
    candidate, so a module reads the tags of what it would delete only (nothing on a run with nothing to delete).
    """
    candidates = list(candidates)
    if not params.get("owner_tag"):
        return [resource for _name, resource in candidates], []
    owned, foreign = [], []
    for name, resource in candidates:
        if owns(params, tags_of(resource)):
            owned.append(resource)
        else:
            foreign.append(name)
    return owned, sorted(foreign)


def declared_name_errors_by_item(params, option, kind, items=None):
    """{index: errors} of the names declared in ``option`` (``items``, the declared ones when not given) that are
    outside the scope or declared twice, each error naming its option path (``pipelines[2].name``) and the fix;
    ``kind`` names a resource in the message. For a module that reports each item's errors together."""
    errors = {}
    seen = {}
    for index, item in enumerate(declared_items(params, option) if items is None else items):
        field, name = f"{option}[{index}]", item["name"]
        if not in_scope(params, name):
            errors.setdefault(index, []).append(
                f"{field}.name '{name}' does not start with prefix '{params['prefix']}': the {kind} must be in the "
                "task's scope. Rename it or change prefix."
            )
        if name in seen:
            errors.setdefault(index, []).append(
                f"{field}.name '{name}' is declared twice (also {option}[{seen[name]}]): keep one."
            )
        seen.setdefault(name, index)
    return errors


def declared_name_errors(params, option, kind):
    """The errors of :func:`declared_name_errors_by_item`, in the order of the items."""
    by_item = declared_name_errors_by_item(params, option, kind)
    return [error for index in sorted(by_item) for error in by_item[index]]


class WritePlan:
    """The writes of a set module, each for a named resource, made in order once the whole set is planned (never in
    check mode). A write that fails all the same (retries exhausted, a permission missing) fails the task with the
    result keys ``written`` and ``not_written``: the resources all of whose writes were made, and the others, the one
    that failed first (a resource some of whose writes were made is not written). A rerun plans again from what AWS
    holds, so it writes only what is still missing."""

    def __init__(self):
        self.steps = []

    def add(self, resources, action):
        """Plan ``action()`` (a callable that takes no argument), a write of the resource named ``resources`` or, for
        a call that writes several at once (a batch delete), of each of the names in that list."""
        names = (resources,) if isinstance(resources, str) else tuple(resources)
        self.steps.append((names, action))

    def apply(self, module):
        if module.check_mode:
            return
        for index, (names, action) in enumerate(self.steps):
            try:
                action()
            except AnsibleAWSError as error:
                fail_partway(module, error, ", ".join(names), *self.split(index))

    def split(self, failed):
        """(written, not written) resource names when the write at index ``failed`` fails, each in plan order."""
        not_written = _names(self.steps[failed:])
        written = [name for name in _names(self.steps[:failed]) if name not in not_written]
        return written, not_written


def _names(steps):
    """The resource names of ``steps``, each once, in plan order."""
    return list(dict.fromkeys(name for names, _action in steps for name in names))


def partway_message(failed, written, not_written):
    listed = ", ".join(written) or "none"
    return (
        f"Writing {failed} failed, so the task stopped partway. Written: {listed}. Not written: "
        f"{', '.join(not_written)}. Fix the cause (below) and run the task again: it plans from what AWS holds and "
        "writes only what is missing"
    )


def fail_partway(module, error, failed, written, not_written):
    """Fail the task for the AWS error that stopped the writes, naming what was written and what was not."""
    msg = f"{error.message}: {partway_message(failed, written, not_written)}"
    outcome = dict(written=written, not_written=not_written)
    if error.exception:
        module.fail_json_aws(error.exception, msg=msg, **outcome)
    module.fail_json(msg=msg, **outcome)


class PlannedSetManager:
    """The manager of a set module: it plans every change first, then applies the plan in order, never in check
    mode, so that no call is made before the whole input has been checked against what AWS holds (see WritePlan)."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.changed = False
        self.writes = WritePlan()

    def in_scope(self, name):
        return in_scope(self.params, name)

    def owns(self, tags):
        return owns(self.params, tags)

    def plan(self, resource, step, *args):
        """Plan ``step(client, *args)``, a write of the resource named ``resource``."""
        self.plan_action(resource, functools.partial(step, self.client, *args))

    def plan_action(self, resource, action):
        """Plan a callable that takes no argument (a step that needs what an earlier step returned)."""
        self.changed = True
        self.writes.add(resource, action)

    def apply_plan(self):
        self.writes.apply(self.module)


def set_result(module, changed, option, current, after, created, updated, deleted):
    """The result of a set module that returns ``created``, ``updated`` and ``deleted`` (names, sorted): with them
    ``changed``, the resources after the task under ``option`` sorted by name (``after``: {name: view}) and, with
    --diff, the views of the resources the task touches, before (``current``) and after, by name."""
    result = {
        "changed": changed,
        option: [after[name] for name in sorted(after)],
        "created": created,
        "updated": updated,
        "deleted": deleted,
    }
    if module._diff:
        touched = created + updated + deleted
        result["diff"] = {
            "before": dict((name, current[name]) for name in touched if name in current),
            "after": dict((name, after[name]) for name in touched if name in after),
        }
    return result
