"""Settings, built once at the edge (CLI, app factory) from a TOML file, ``BROADSHEET_*`` variables
and explicit overrides, in rising order of precedence, then passed down.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from broadsheet.exceptions import ConfigError

__all__ = ["Settings", "load_settings"]

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Broadsheet can be told. Each field maps to ``BROADSHEET_<FIELD>``."""

    data_dir: Path = field(default_factory=lambda: _default_data_dir())
    database_url: str | None = None
    allow_networks: tuple[IPNetwork, ...] = ()
    user_agent: str = "Broadsheet/0.1 (+https://github.com/broadsheet; news reader)"
    fetch_concurrency: int = 16
    fetch_per_host: int = 2
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    fetch_interval_seconds: int = 1800
    max_download_bytes: int = 10 * 1024 * 1024
    min_interval_seconds: int = 900
    max_interval_seconds: int = 86400
    pause_after_errors: int = 10
    lease_seconds: int = 900
    extract_processes: int = 0
    robots_cache_seconds: int = 86400
    scheduler_tick_seconds: float = 60.0
    host: str = "127.0.0.1"
    port: int = 8080
    secret_key: str | None = None
    log_format: str = "text"
    registration: str = "open"
    session_days: int = 30
    login_attempts: int = 5
    login_window_seconds: int = 900
    base_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    # membership (issue 7): off by default; ``[membership]`` in the TOML file, see _membership
    membership_enabled: bool = False
    free_articles_per_month: int = 3
    trial_days: int = 14
    webhook_secret: str | None = None
    webhook_tolerance_seconds: int = 300
    retention_days: int = 0  # articles older than this are removed (0: kept forever)

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'broadsheet.sqlite3'}"


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("broadsheet", appauthor=False))


def _convert(name: str, raw: Any) -> Any:
    """Turn a TOML or environment value into the field's type, with a clear error."""
    try:
        if name == "data_dir":
            return Path(str(raw)).expanduser()
        if name == "allow_networks":
            items = raw.split(",") if isinstance(raw, str) else list(raw)
            return tuple(ipaddress.ip_network(i.strip(), strict=False) for i in items if i.strip())
        default = getattr(Settings(data_dir=Path(".")), name)
        if isinstance(default, bool):
            return str(raw).lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        return None if raw in ("", None) else str(raw)
    except (ValueError, TypeError) as e:
        raise ConfigError(f"bad value for {name}: {raw!r} ({e})") from e


_MEMBERSHIP_KEYS = ("free_articles_per_month", "trial_days", "webhook_secret",
                    "webhook_tolerance_seconds")  # fmt: skip


def _membership_table(document: Mapping[str, Any]) -> dict[str, Any]:
    """The ``[membership]`` table (top level or under ``[broadsheet]``): ``enabled`` is
    ``membership_enabled``; the other keys keep their names."""
    table = document.get("membership") or document.get("broadsheet", {}).get("membership") or {}
    values = {k: _convert(k, table[k]) for k in _MEMBERSHIP_KEYS if k in table}
    if "enabled" in table:
        values["membership_enabled"] = _convert("membership_enabled", table["enabled"])
    return values


def load_settings(
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings: defaults < TOML file < ``BROADSHEET_*`` env < non-None ``overrides``."""
    env = os.environ if env is None else env
    names = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    path = config_file or (Path(env["BROADSHEET_CONFIG"]) if env.get("BROADSHEET_CONFIG") else None)
    if path is not None:
        try:
            document = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"cannot read config file {path}: {e}") from e
        for key, raw in document.get("broadsheet", document).items():
            if key in names:
                values[key] = _convert(key, raw)
        values.update(_membership_table(document))
    if "BROADSHEET_MEMBERSHIP" in env and "BROADSHEET_MEMBERSHIP_ENABLED" not in env:
        values["membership_enabled"] = _convert("membership_enabled", env["BROADSHEET_MEMBERSHIP"])
    for name in names:
        raw = env.get(f"BROADSHEET_{name.upper()}")
        if raw is not None:
            values[name] = _convert(name, raw)
    for name, raw in overrides.items():
        if name not in names:
            raise ConfigError(f"unknown setting {name}")
        if raw is not None:
            values[name] = _convert(name, raw)
    return replace(Settings(), **values)
