"""The resolver: files, then the administrator's overrides by one rule; re-read when a file changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dataops.errors import ConfigError
from dataops.settings import SettingsResolver, resolve


@pytest.fixture
def admin_file(dataops_config) -> Path:
    dataops_config.write_text(
        '[workflows]\nengine_url = "http://file.example/engine-rest"\nlog_dir = "/srv/logs"\n\n'
        '[workflows.worker]\nretries = 3\n\n[promotion]\ngitlab_url = "https://gitlab.example.org"\n'
    )
    return dataops_config


def test_an_override_with_a_value_replaces_the_files_value(admin_file):
    settings = resolve(
        {
            "workflows.engine_url": "http://server.example/engine-rest",
            "promotion.gitlab_url": "https://gl.example/",
        }
    )
    assert settings.workflows.engine_url == "http://server.example/engine-rest"
    assert settings.workflows.log_dir == "/srv/logs"
    assert settings.promotion.gitlab_url == "https://gl.example"


def test_an_empty_or_missing_override_leaves_the_files_value(admin_file):
    settings = resolve({"workflows.engine_url": "", "workflows.log_dir": None})
    assert settings.workflows.engine_url == "http://file.example/engine-rest"
    assert settings.workflows.log_dir == "/srv/logs"


def test_an_override_reaches_nested_tables_and_absent_sections(admin_file):
    settings = resolve({"workflows.worker.retries": 0, "data.max_response_mb": 10})
    assert settings.workflows.worker.retries == 0
    assert settings.data.max_response_mb == 10


def test_an_override_is_checked_like_the_file(admin_file):
    with pytest.raises(ConfigError, match="max_response_mb"):
        resolve({"data.max_response_mb": -1}).data  # noqa: B018
    with pytest.raises(ConfigError, match="section and a key"):
        resolve({"engine_url": "http://x"})


def test_a_mistake_in_one_section_is_that_capabilitys_error_only(dataops_config):
    dataops_config.write_text('[workflows]\nlog_retention_days = "forever"\n')
    settings = resolve()
    assert settings.promotion.environments == []
    with pytest.raises(ConfigError, match="log_retention_days"):
        settings.workflows  # noqa: B018


def test_resolver_reads_again_when_a_file_changes(admin_file):
    resolver = SettingsResolver({"promotion.gitlab_url": "https://gl.example"})
    first = resolver.current()
    assert resolver.current() is first
    admin_file.write_text('[workflows]\nengine_url = "http://moved.example/engine-rest"\n')
    stat = admin_file.stat()
    os.utime(admin_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    again = resolver.current()
    assert again.workflows.engine_url == "http://moved.example/engine-rest"
    assert again.promotion.gitlab_url == "https://gl.example"


def test_resolver_reports_each_ignored_key_when_it_resolves(admin_file, tmp_path):
    user = tmp_path / "xdg" / "dataops" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text('[workflows]\nengine_url = "http://laptop/engine-rest"\n')
    said: list[str] = []
    resolver = SettingsResolver(warn=said.append)
    resolver.current()
    resolver.current()
    assert len(said) == 1
    assert "workflows.engine_url" in said[0] and str(user) in said[0]
