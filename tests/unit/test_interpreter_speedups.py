"""tools/interpreter_speedups.py: what Python imports from a zip file (an AnsiballZ payload) is compiled once, then
served from the cache, with each code object naming the zip it came from; the collector is left as Python sets it."""

from __future__ import annotations

import gc
import importlib
import sys
import traceback
import zipfile
import zipimport

import pytest

from tools import interpreter_speedups as speedups

PROBE = """
def outer():
    def inner():
        raise ValueError("from the probe")
    return inner


ANSWER = 42
"""


@pytest.fixture
def compiles(monkeypatch, tmp_path):
    """The sources the real compiler was given, with the cache (in tmp_path) installed and empty."""
    seen = []
    real = speedups._compile_source

    def counting(pathname, source):
        seen.append(pathname)
        return real(pathname, source)

    monkeypatch.setattr(speedups, "_compile_source", counting)
    monkeypatch.setattr(speedups, "CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(speedups, "_compiled", {})
    monkeypatch.setattr(zipimport, "_compile_source", speedups.compile_source)
    return seen


def import_from_zip(monkeypatch, zip_path, source=PROBE):
    with zipfile.ZipFile(zip_path, "w") as payload:
        payload.writestr("zc_probe.py", source)
    monkeypatch.syspath_prepend(str(zip_path))
    sys.modules.pop("zc_probe", None)
    importlib.invalidate_caches()
    module = importlib.import_module("zc_probe")
    sys.modules.pop("zc_probe", None)
    return module


def test_a_module_is_compiled_once_not_twice(monkeypatch, tmp_path, compiles):
    module = import_from_zip(monkeypatch, tmp_path / "one.zip")

    assert module.ANSWER == 42
    assert compiles == [str(tmp_path / "one.zip" / "zc_probe.py")]  # Python 3.11's zipimport alone compiles twice


def test_the_next_process_reads_the_bytecode_with_its_own_file_name(monkeypatch, tmp_path, compiles):
    import_from_zip(monkeypatch, tmp_path / "first.zip")
    monkeypatch.setattr(speedups, "_compiled", {})  # as a new process starts

    module = import_from_zip(monkeypatch, tmp_path / "second.zip")

    assert len(compiles) == 1
    inner = module.outer()
    with pytest.raises(ValueError) as raised:
        inner()
    where = traceback.extract_tb(raised.tb)[-1]
    assert (where.filename, where.lineno, where.line) == (
        str(tmp_path / "second.zip" / "zc_probe.py"),
        4,
        'raise ValueError("from the probe")',
    )


def test_another_source_is_compiled_for_itself(monkeypatch, tmp_path, compiles):
    import_from_zip(monkeypatch, tmp_path / "first.zip")

    module = import_from_zip(monkeypatch, tmp_path / "second.zip", PROBE.replace("42", "43"))

    assert module.ANSWER == 43 and len(compiles) == 2


def test_an_unreadable_cache_entry_is_compiled_again(monkeypatch, tmp_path, compiles):
    import_from_zip(monkeypatch, tmp_path / "first.zip")
    [entry] = (tmp_path / "cache").iterdir()
    entry.write_bytes(b"not bytecode")
    monkeypatch.setattr(speedups, "_compiled", {})

    module = import_from_zip(monkeypatch, tmp_path / "second.zip")

    assert module.ANSWER == 42 and len(compiles) == 2


def test_install_serves_zip_imports_from_the_cache_and_leaves_the_collector_alone(monkeypatch):
    monkeypatch.setattr(zipimport, "_compile_source", zipimport._compile_source)
    thresholds = gc.get_threshold()

    speedups.install()

    assert zipimport._compile_source is speedups.compile_source
    assert gc.get_threshold() == thresholds
