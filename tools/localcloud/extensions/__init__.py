"""AWS actions moto lacks, added in front of moto. See tools/localcloud/README.md ("Extensions").

Public API for extension modules (one module per service, in ``services/``)::

    from tools.localcloud.extensions import AwsError, ExtensionRequest, action
"""

from __future__ import annotations

import importlib
import pkgutil

from .registry import AwsError, ExtensionRequest, Registry, action, registry, validation_error

__all__ = ["AwsError", "ExtensionRequest", "Registry", "action", "load_extensions", "registry", "validation_error"]


def load_extensions() -> Registry:
    """Import every module under ``services/`` (each registers its actions) and return the registry."""
    from . import services

    for module in pkgutil.iter_modules(services.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{services.__name__}.{module.name}")
    return registry
