"""Shared by the generators of set modules (no Generator here): fresh member names under the task's prefix, and
round 1's change of a set: some members kept as they were, some declared anew under their names, the rest left out
(the module deletes them); the callers add new ones."""

from __future__ import annotations

from tests.integration.generated.values import text


def new_member_name(rng, context, high, chars):
    """A name under ``context["prefix"]``, unique by a counter kept in ``context``, sometimes as long as ``high``."""
    context["count"] = context.get("count", 0) + 1
    name = f"{context['prefix']}{context['count']}-"
    return name + text(rng, 1, rng.choice([10, high - len(name)]), chars)


def kept_or_remade(rng, previous, remake):
    """About 30% of ``previous`` kept as they were, 40% remade by ``remake(member)``, the other 30% left out."""
    members = []
    for member in previous:
        roll = rng.random()
        if roll < 0.3:
            members.append(member)
        elif roll < 0.7:
            members.append(remake(member))
    return members


def next_set(rng, current, make):
    """Some of ``current`` kept, some made anew under their names, some left out, some new ones (names by make)."""
    changed = kept_or_remade(rng, current, lambda item: make(item["name"]))
    return changed + [make(None) for _count in range(rng.randint(0, 2))]
