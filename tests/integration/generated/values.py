"""Random values within AWS's documented rules, for the generators of valid inputs. Each takes a seeded
``random.Random`` so that a failing run can be replayed from its seed."""

from __future__ import annotations

import string

NAME_CHARS = string.ascii_letters + string.digits + "_-"
TEXT_CHARS = string.ascii_letters + string.digits + " _-./"


def text(rng, low, high, chars=TEXT_CHARS):
    """low to high characters of ``chars``, stripped; "x" where that leaves nothing."""
    return "".join(rng.choice(chars) for _count in range(rng.randint(low, high))).strip() or "x"


def tags(rng, most=3):
    """Up to ``most`` tags: keys of 1-128 characters not starting with aws:, values of 0-256."""
    return {f"k-{text(rng, 1, 20, NAME_CHARS)}": text(rng, 0, 40) for _count in range(rng.randint(0, most))}


def mapping(rng, least, most, key_high, value_high):
    """least to most entries, keys of 1 to key_high name characters, values of 1 to value_high characters."""
    return {text(rng, 1, key_high, NAME_CHARS): text(rng, 1, value_high) for _count in range(rng.randint(least, most))}


def maybe(rng, target, key, value, chance=0.5):
    """Set ``target[key] = value`` with the given chance (an option left out must work as well as one given)."""
    if rng.random() < chance:
        target[key] = value
