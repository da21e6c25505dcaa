"""Every extraction module says what it exports, and exports what it says."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

PACKAGE = importlib.import_module("broadsheet.extract")
MODULES = sorted(m.name for m in pkgutil.iter_modules(PACKAGE.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_all_is_declared_and_true(name: str) -> None:
    module = importlib.import_module(f"broadsheet.extract.{name}")
    exported = getattr(module, "__all__", None)
    assert exported, f"{name} has no __all__"
    for attribute in exported:
        assert hasattr(module, attribute), f"{name}.__all__ names missing {attribute}"
