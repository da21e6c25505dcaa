"""``broadsheet serve --workers N``: N processes serve the same data, each with the settings the
command line gave, and the database is migrated once before they start."""

from __future__ import annotations

import ipaddress
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from broadsheet.config import Settings, load_settings
from broadsheet.web.server import FETCH_ENV, _environment


def test_workers_load_exactly_the_parents_settings(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url=None, port=9123, smtp_host="mail.example",
        allow_networks=(ipaddress.ip_network("10.0.0.0/8"),), membership_enabled=True,
        scheduler_tick_seconds=2.5, secret_key=None,
    )  # fmt: skip
    env = _environment(settings, fetch=False)
    assert env[FETCH_ENV] == "0"
    assert load_settings(env=env) == settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def test_two_worker_processes_serve_the_reader(tmp_path: Path) -> None:
    port = _free_port()
    command = [str(Path(sys.executable).parent / "broadsheet"), "--data-dir", str(tmp_path), "serve",
               "--port", str(port), "--workers", "2", "--no-worker"]  # fmt: skip
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        home = b""
        for _ in range(600):  # workers import the app (seconds on a loaded machine)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    home = response.read()
                    break
            except OSError:
                time.sleep(0.1)
        assert b"Broadsheet" in home, (tmp_path / "serve.log").read_text()
        assert (tmp_path / "broadsheet.sqlite3").exists()  # migrated by the parent
        assert len(_serving(server.pid)) == 2, [_command(c) for c in _children(server.pid)]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _serving(pid: int) -> list[int]:
    """The parent's worker processes (uvicorn spawns them through multiprocessing)."""
    return [c for c in _children(pid) if "multiprocessing" in _command(c)
            and "resource_tracker" not in _command(c)]  # fmt: skip
