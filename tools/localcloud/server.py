"""The server process (``python -m tools.localcloud serve``): moto's WSGI app behind ours, on waitress.

Not werkzeug's development server (moto's own choice): under the Terraform provider's many parallel
keep-alive connections, a request it had already handled now and then failed on the client side at
the socket level, the SDK resent it, and the second attempt met the first one's effect
(InvalidPermission.Duplicate on create, InvalidPermission.NotFound on destroy). waitress is a
production WSGI server with proper HTTP/1.1 connection handling.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any


def build_app(throttle_rate: float = 0.0, seed: int | None = None, details: dict[str, Any] | None = None) -> Any:
    """moto's server app (as moto's own ``moto_server`` builds it) wrapped in the local cloud middleware."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from .app import LocalCloudApp
    from .extensions import load_extensions
    from .faults import FaultInjector

    moto_app = DomainDispatcherApplication(create_backend_app)
    strict = os.environ.get("LOCALCLOUD_LENIENT", "") not in ("1", "true", "yes")
    return LocalCloudApp(moto_app, FaultInjector(throttle_rate, seed), load_extensions(), details, strict=strict)


def serve(host: str, port: int, state_dir: Path | None, throttle_rate: float = 0.0, seed: int | None = None) -> None:
    # moto reads these at import time: set them before anything imports moto.
    os.environ["MOTO_PORT"] = str(port)  # moto builds self-referencing URLs from it
    # ACM issues a DNS-validated certificate once its records exist; moto waits 60 s by default, which Terraform's
    # validation resource then waits out on every deploy with a domain.
    os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "5")
    if state_dir is not None:
        state_dir.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("MOTO_RECORDER_FILEPATH", str(state_dir / "moto_recording"))

    def _exit(signum: int, _frame: Any) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGINT, _exit)

    import waitress

    details = {
        "host": host,
        "port": port,
        "state_dir": str(state_dir) if state_dir else None,
        "recording_file": os.environ.get("MOTO_RECORDER_FILEPATH"),
    }
    app = build_app(throttle_rate, seed, details)
    print(f"localcloud: serving on http://{host}:{port} (pid {os.getpid()})", flush=True)
    # Terraform runs 10 operations at once, each with its own connection, plus waiters and our tools.
    waitress.serve(app, host=host, port=port, threads=16, ident="localcloud", channel_timeout=300)
