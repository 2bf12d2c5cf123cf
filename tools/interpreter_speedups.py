"""What the project's virtualenv does at every interpreter start to spend less CPU; `make setup` installs it (a .pth
file in site-packages imports this module and calls install()). Nothing it changes alters what a program computes.

- A bytecode cache for what Python imports from zip files: the module payloads Ansible runs (AnsiballZ). Every
  module task starts an interpreter that imports its module_utils (ansible's, amazon.aws's, ours: about 80 files)
  from a zip file, for which zipimport keeps no bytecode, and Python 3.11's compiles each file twice (once to find
  the module, once to run it). The cache compiles each source once per process and keeps the bytecode under the
  virtualenv, keyed by the source's SHA-256 and the interpreter's bytecode version, for the next process. Each code
  object keeps the file name of the zip it was imported from. Any other import from a zip file is served the same
  way.

A compliance run of one environment on the local cloud took 209-249 CPU seconds without it (5 runs) and 190-202 with
it (docs/compliance.md has the figures). Raising the garbage collector's thresholds here as well cut that run further,
but make test as a whole took more CPU with both (9792 against 8848 CPU s, one run each on different days, so
different machines): it is not done. Measured on the same day, a clean-clone make test took 5849 machine CPU s and
3364 s with this cache and base_infra_terraform_gogc, against 6277 and 3545 without.

    python tools/interpreter_speedups.py   # install into the running interpreter's environment (make setup does)
"""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import sys
import sysconfig
import zipimport
from importlib.util import MAGIC_NUMBER

CACHE_DIR = os.path.join(sys.prefix, "zipimport-cache")
INSTALLED_NAME = "securecloud_interpreter_speedups"
_compile_source = zipimport._compile_source
_compiled: dict[str, object] = {}


def _with_filename(code, filename):
    """code and every code object nested in it with co_filename set to filename."""
    consts = tuple(_with_filename(c, filename) if isinstance(c, type(code)) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def _load(path):
    try:
        with open(path, "rb") as cached:
            return marshal.loads(cached.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _store(path, code):
    partial = f"{path}.{os.getpid()}.partial"
    try:
        os.makedirs(CACHE_DIR, exist_ok=True)
        with open(partial, "wb") as cached:
            cached.write(marshal.dumps(code))
        os.replace(partial, path)  # atomic: a concurrent reader sees the whole file or none
    except OSError:
        pass


def compile_source(pathname, source):
    """zipimport's _compile_source, served from the process's memo, then the cache, then the compiler."""
    key = hashlib.sha256(MAGIC_NUMBER + source).hexdigest()
    code = _compiled.get(key)
    if code is None:
        path = os.path.join(CACHE_DIR, key)
        code = _load(path)
        if code is None:
            code = _compile_source(pathname, source)
            _store(path, code)
        _compiled[key] = code
    return code if code.co_filename == pathname else _with_filename(code, pathname)


def install():
    zipimport._compile_source = compile_source


def install_into_environment():
    """Copy this module into the interpreter's site-packages with a .pth file that installs it at every start."""
    site_packages = sysconfig.get_paths()["purelib"]
    shutil.copyfile(__file__, os.path.join(site_packages, f"{INSTALLED_NAME}.py"))
    with open(os.path.join(site_packages, f"{INSTALLED_NAME}.pth"), "w", encoding="utf-8") as pth:
        pth.write(f"import {INSTALLED_NAME}; {INSTALLED_NAME}.install()\n")
    print(f"interpreter speed-ups installed in {site_packages} (zipimport bytecode cache: {CACHE_DIR})")


if __name__ == "__main__":
    install_into_environment()
