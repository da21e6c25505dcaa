from __future__ import annotations

import importlib
import subprocess
import sys

import broadsheet.rank.foryou as foryou

MODULES = (
    "candidates",
    "config",
    "coread",
    "embed",
    "evaluation",
    "feed",
    "mind",
    "profile",
    "scoring",
    "signals",
    "simulation",
)


def test_public_names_exist_and_are_listed_once() -> None:
    assert len(set(foryou.__all__)) == len(foryou.__all__)
    for name in foryou.__all__:
        assert getattr(foryou, name) is not None
    for module in MODULES:
        mod = importlib.import_module(f"broadsheet.rank.foryou.{module}")
        for name in mod.__all__:
            assert hasattr(mod, name), f"{module}.{name}"


def test_importing_does_not_load_the_embedding_model() -> None:
    code = "import sys, broadsheet.rank.foryou; print('wordllama' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
