# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Sets whose members Terraform manages one by one (security group rules, network ACL entries, routes): it never
sees a member added by hand. A module reads every member of the listed sets, and keeps only those declared.

No AWS calls here. A member is a dict with ``set_id`` (the group, ACL or route table), ``member_id`` (how the
declaration names it), ``line`` (the member in one line, as the diff shows it) and whatever the caller needs to
remove it. Members the service itself owns (an ACL's default deny, a route table's local route) are passed as
``fixed`` and never removed.
"""


def input_errors(option, sets, set_rule, member_rule, empty):
    """One message per malformed set ID, member list or member ID, each naming its field and the fix.

    ``set_rule`` and ``member_rule`` are (check, noun, example): ``re.match``-like check, what an ID is called, and a
    valid one; ``empty`` says what an empty list does.
    """
    (set_check, set_noun, set_example), (member_check, member_noun, member_example) = set_rule, member_rule
    errors = []
    for set_id, member_ids in sets.items():
        field = f"{option}[{set_id!r}]"
        if not set_check(str(set_id)):
            errors.append(f"{field}: {set_id!r} is not a {set_noun}; give IDs such as {set_example}.")
        if not isinstance(member_ids, list):
            errors.append(f"{field}: give a list of {member_noun}s (an empty list {empty}).")
            continue
        for index, member_id in enumerate(member_ids):
            if not isinstance(member_id, str) or not member_check(member_id):
                errors.append(
                    f"{field}[{index}]: {member_id!r} is not a {member_noun}; give IDs such as {member_example}."
                )
    return errors


def plan(sets, members, fixed=lambda member: False):
    """(members to remove, declared member IDs missing per set) for the members read from AWS."""
    remove = [m for m in members if m["set_id"] in sets and m["member_id"] not in sets[m["set_id"]] and not fixed(m)]
    present = dict((set_id, set(m["member_id"] for m in members if m["set_id"] == set_id)) for set_id in sets)
    missing = dict((set_id, sorted(set(ids) - present[set_id])) for set_id, ids in sorted(sets.items()))
    missing = dict((set_id, ids) for set_id, ids in missing.items() if ids)
    return remove, missing


def lines_by_set(sets, members):
    """Each set's members, one sorted line each: the diff's before (all members) or after (those kept)."""
    return dict((set_id, sorted(m["line"] for m in members if m["set_id"] == set_id)) for set_id in sorted(sets))


def diff_sides(sets, members, removed):
    kept = [m for m in members if m not in removed]
    return lines_by_set(sets, members), lines_by_set(sets, kept)
