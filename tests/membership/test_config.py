"""Membership settings: off by default, ``[membership]`` in the file, ``BROADSHEET_MEMBERSHIP=1``,
and every setting documented in the README."""

from __future__ import annotations

from pathlib import Path

from broadsheet.config import load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_off_by_default() -> None:
    settings = load_settings(env={})
    assert not settings.membership_enabled
    assert (settings.free_articles_per_month, settings.trial_days) == (3, 14)


def test_membership_table_in_the_file(tmp_path: Path) -> None:
    config = tmp_path / "broadsheet.toml"
    config.write_text(
        "port = 9000\n[membership]\nenabled = true\nfree_articles_per_month = 5\n"
        'trial_days = 7\nwebhook_secret = "s3"\n'
    )
    settings = load_settings(config, {})
    assert settings.membership_enabled and settings.free_articles_per_month == 5
    assert settings.trial_days == 7 and settings.webhook_secret == "s3" and settings.port == 9000
    nested = tmp_path / "nested.toml"
    nested.write_text("[broadsheet]\nport = 1\n[broadsheet.membership]\nenabled = true\n")
    assert load_settings(nested, {}).membership_enabled


def test_environment_wins_and_the_short_alias_works(tmp_path: Path) -> None:
    config = tmp_path / "broadsheet.toml"
    config.write_text("[membership]\nenabled = false\n")
    env = {"BROADSHEET_MEMBERSHIP": "1", "BROADSHEET_FREE_ARTICLES_PER_MONTH": "10"}
    settings = load_settings(config, env)
    assert settings.membership_enabled and settings.free_articles_per_month == 10
    both = {"BROADSHEET_MEMBERSHIP": "1", "BROADSHEET_MEMBERSHIP_ENABLED": "0"}
    assert not load_settings(env=both).membership_enabled


def test_membership_settings_are_documented() -> None:
    text = README.read_text()
    for name in ("membership_enabled", "free_articles_per_month", "trial_days", "webhook_secret",
                 "webhook_tolerance_seconds", "BROADSHEET_MEMBERSHIP=1"):  # fmt: skip
        assert f"`{name}`" in text, name
