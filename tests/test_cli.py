from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet.cli import main


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys; from broadsheet.cli import _parser; _parser().format_help();"
        "heavy = {'sqlalchemy', 'httpx', 'fastapi', 'trafilatura', 'lxml', 'numpy', 'torch'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_init_then_empty_export_and_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "init"]) == 0
    assert (tmp_path / "broadsheet.sqlite3").exists()
    assert main(["--data-dir", str(tmp_path), "db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path), "export", "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--data-dir", str(tmp_path), "sources", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--data-dir", str(tmp_path), "expire"]) == 0
    assert capsys.readouterr().out == "removed 0 expired articles\n"


def test_add_reports_failures_per_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Loopback is not allowed by default, so the guard refuses it: a clear error, no crash.
    assert main(["--data-dir", str(tmp_path), "add", "http://127.0.0.1:9/feed"]) == 1
    assert "blocked address" in capsys.readouterr().err
