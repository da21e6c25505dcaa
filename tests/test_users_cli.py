"""``broadsheet users``: add (first admin), list, set-role, reset-password link."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from broadsheet.cli import main


def test_users_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--data-dir", str(tmp_path)]
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main([*base, "users", "add", "Ada@example.org", "--password-stdin"]) == 0
    assert "added ada@example.org (admin)" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("another long password\n"))
    assert main([*base, "users", "add", "bob@example.org", "--password-stdin"]) == 0
    assert main([*base, "users", "set-role", "bob@example.org", "--role", "editor"]) == 0
    assert main([*base, "users", "list"]) == 0
    out = capsys.readouterr().out
    assert "admin   ada@example.org" in out and "editor  bob@example.org" in out
    assert main([*base, "users", "reset-password", "bob@example.org"]) == 0
    assert capsys.readouterr().out.startswith("http://127.0.0.1:8080/reset/")
    assert main([*base, "users", "set-role", "nobody@example.org", "--role", "admin"]) == 2
    assert "no user" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main([*base, "users", "add", "carol@example.org", "--password-stdin"]) == 2
