from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from broadsheet.config import load_settings
from broadsheet.exceptions import ConfigError


def test_precedence_file_then_env_then_overrides(tmp_path: Path) -> None:
    config = tmp_path / "broadsheet.toml"
    config.write_text("port = 9000\nfetch_concurrency = 4\n[ignored]\nx = 1\n")
    env = {"BROADSHEET_PORT": "9100", "BROADSHEET_ALLOW_NETWORKS": "127.0.0.0/8, 10.0.0.0/8"}
    settings = load_settings(config, env, data_dir=tmp_path, fetch_concurrency=None)
    assert settings.port == 9100 and settings.fetch_concurrency == 4
    assert settings.allow_networks == (
        ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("10.0.0.0/8"),
    )  # fmt: skip
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'broadsheet.sqlite3'}"
    assert load_settings(config, env, port=1).port == 1


def test_database_url_from_env() -> None:
    settings = load_settings(env={"BROADSHEET_DATABASE_URL": "postgresql://db/x"})
    assert settings.resolved_database_url == "postgresql://db/x"


@pytest.mark.parametrize(
    ("env", "message"),
    [({"BROADSHEET_PORT": "eighty"}, "bad value for port"),
     ({"BROADSHEET_ALLOW_NETWORKS": "not-a-cidr"}, "bad value for allow_networks")],
)  # fmt: skip
def test_bad_values_are_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env=env)


def test_unreadable_config_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("port = = 1")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(bad, {})


def test_every_setting_is_documented_in_the_readme() -> None:
    from dataclasses import fields

    from broadsheet.config import Settings

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    missing = [f.name for f in fields(Settings) if f"`{f.name}`" not in readme]
    assert missing == []
