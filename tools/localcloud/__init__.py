"""The local cloud: moto's server behind fault injection and extensions. See README.md in this directory.

Run ``python -m tools.localcloud --help`` from the repository root.
"""

__version__ = "0.1.0"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566
DEFAULT_STATE_DIR = ".localcloud"
