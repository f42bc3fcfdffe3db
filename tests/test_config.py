"""Whose configuration wins: the administrator's places set policy, the user's files preferences."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataops.config import load_config
from dataops.errors import ConfigError
from dataops.promotion.access import Identity, decide
from dataops.sdmx.sources import configured_sources
from dataops.settings import resolve

ADMIN = """
[[sources]]
id = "INHOUSE"
name = "In-house registry"
url = "https://sdmx.example.org/rest"

[workflows]
engine_url = "http://engine.example.org/engine-rest"

[workflows.worker]
retries = 3

[promotion]
gitlab_url = "https://gitlab.example.org"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
gitlab_project = "stats/deployment"
protected = true
allowed_groups = ["release-managers"]
"""

OPEN_PROD = """
[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
allowed_groups = []
"""


@pytest.fixture
def admin_file(dataops_config) -> Path:
    """The administrator's file (``DATAOPS_SYSTEM_CONFIG``) with an environment closed to most people."""
    dataops_config.write_text(ADMIN)
    return dataops_config


@pytest.fixture
def user_file(tmp_path) -> Path:
    """The user's own file, ``$XDG_CONFIG_HOME/dataops/config.toml``."""
    path = Path(tmp_path / "xdg" / "dataops" / "config.toml")
    path.parent.mkdir(parents=True)
    return path


def test_user_file_cannot_open_prod_to_everybody(admin_file, user_file):
    user_file.write_text(OPEN_PROD)
    settings = resolve()
    prod = settings.promotion.environment("prod")
    assert prod.allowed_groups == ("release-managers",)
    assert not decide(prod, Identity("mallory")).allowed
    ignored = {(i.file, i.key) for i in settings.ignored}
    assert (user_file, "promotion.environments.prod.allowed_groups") in ignored
    assert (user_file, "promotion.environments.prod.branch") in ignored


def test_dataops_config_is_a_user_file_too(admin_file, tmp_path, monkeypatch):
    explicit = tmp_path / "mine.toml"
    explicit.write_text('[promotion]\ngitlab_url = "https://gitlab.evil.example"\n' + OPEN_PROD)
    monkeypatch.setenv("DATAOPS_CONFIG", str(explicit))
    settings = resolve()
    assert settings.promotion.gitlab_url == "https://gitlab.example.org"
    assert settings.promotion.environment("prod").allowed_groups == ("release-managers",)
    assert "promotion.gitlab_url" in {i.key for i in settings.ignored if i.file == explicit}


def test_user_file_cannot_move_the_engine_or_the_log_store(admin_file, user_file):
    user_file.write_text('[workflows]\nengine_url = "http://laptop:8080/engine-rest"\nlog_dir = "/tmp/x"\n')
    settings = resolve()
    assert settings.workflows.engine_url == "http://engine.example.org/engine-rest"
    assert settings.workflows.log_dir == ""
    assert {i.key for i in settings.ignored} == {"workflows.engine_url", "workflows.log_dir"}


def test_user_file_cannot_repoint_an_administrators_source(admin_file, user_file):
    user_file.write_text('[[sources]]\nid = "inhouse"\nname = "x"\nurl = "https://attacker.example/rest"\n')
    config = load_config()
    assert [s.url for s in configured_sources(config)] == ["https://sdmx.example.org/rest"]
    assert [i.key for i in config.ignored] == ["sources.inhouse.name", "sources.inhouse.url"]


def test_user_preferences_apply(admin_file, user_file):
    user_file.write_text(
        '[[sources]]\nid = "MINE"\nname = "My folder"\nurl = "/home/me/sdmx"\napi = "files"\n\n'
        "[data]\ncache_ttl = 60\n\n[workflows.worker]\nretries = 0\n"
    )
    settings = resolve()
    assert [s.id for s in configured_sources(settings.config)] == ["INHOUSE", "MINE"]
    assert settings.data.cache_ttl == 60
    assert settings.workflows.worker.retries == 0
    assert settings.ignored == ()


def test_without_an_administrators_file_a_user_file_sets_no_policy(dataops_config, user_file):
    user_file.write_text('[workflows]\nengine_url = "http://laptop:8080/engine-rest"\n')
    settings = resolve()
    assert not settings.workflows.configured
    assert [i.key for i in settings.ignored] == ["workflows.engine_url"]


def test_ignored_key_is_named_with_its_file(admin_file, user_file):
    user_file.write_text(OPEN_PROD)
    sentence = resolve().ignored[0].sentence
    assert str(user_file) in sentence
    assert "promotion.environments.prod" in sentence
    assert "administrator" in sentence


def test_malformed_toml_names_the_file_and_the_line(dataops_config):
    dataops_config.write_text('[promotion]\naudit_log = "/tmp/a.jsonl"\nenvironments = [\n  { id = "dev" \n')
    with pytest.raises(ConfigError) as err:
        load_config()
    message = err.value.message
    assert message.startswith(f"The configuration file {dataops_config} is not valid TOML:")
    assert "line 4" in message


def test_every_policy_key_a_user_file_sets_is_named_and_its_preferences_kept(admin_file, user_file):
    user_file.write_text(
        '[workflows]\ntopics = ["liquidity"]\n\n'
        '[[workflows.environments]]\nid = "prod"\nengine_url = "http://laptop:8080/engine-rest"\n\n'
        '[[sources]]\nid = "inhouse"\nurl = "https://attacker.example/rest"\n\n'
        '[[favourites]]\nid = "INHOUSE"\nlabel = "the in-house registry"\n'
    )
    config = load_config()
    assert [i.key for i in config.ignored] == [
        "workflows.topics",
        "workflows.environments.prod.engine_url",
        "sources.inhouse.url",
    ]
    assert config.data["favourites"] == [{"id": "INHOUSE", "label": "the in-house registry"}]


def test_without_administrators_sources_a_users_own_sources_apply(dataops_config, user_file):
    user_file.write_text(
        '[[sources]]\nid = "MINE"\nname = "My folder"\nurl = "/home/me/sdmx"\napi = "files"\n'
    )
    config = load_config()
    assert [s.id for s in configured_sources(config)] == ["MINE"]
    assert config.ignored == ()
