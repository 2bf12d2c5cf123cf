"""The local cloud: moto's server behind fault injection and extensions. See README.md in this directory.

Run ``python -m tools.localcloud --help`` from the repository root.
"""

import sys
from pathlib import Path

__version__ = "0.1.0"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566
DEFAULT_STATE_DIR = ".localcloud"

# The checkout as the collection (the committed link .collections/ansible_collections/securecloud/monitor), so that
# the local cloud uses the collection's own module_utils (strict.py: the modules' pattern matching) rather than a copy.
_COLLECTIONS = str(Path(__file__).resolve().parents[2] / ".collections")
if _COLLECTIONS not in sys.path:
    sys.path.append(_COLLECTIONS)
