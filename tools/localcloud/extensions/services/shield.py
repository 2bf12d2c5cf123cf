"""Shield Advanced actions moto 5.2.5 lacks.

moto keeps one Shield backend per account and partition (``shield_backends[account]["aws"]``), with the
subscription made by CreateSubscription; these handlers read that same backend.
"""

from __future__ import annotations

from typing import Any

from ..registry import ExtensionRequest, action


@action("shield", "GetSubscriptionState")
def get_subscription_state(req: ExtensionRequest) -> dict[str, Any]:
    backend = req.moto_backend("shield", req.partition)
    return {"SubscriptionState": "ACTIVE" if backend.subscription is not None else "INACTIVE"}
