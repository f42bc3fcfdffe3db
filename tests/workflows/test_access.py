"""Workflow rights per environment: who may view, start, cancel, retry and publish, and why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataops.config import Config, load_config
from dataops.errors import ConfigError, Forbidden, NotFound
from dataops.promotion.access import Identity
from dataops.workflows.access import (
    environment_rights,
    may_operate,
    may_publish,
    may_start,
    may_view,
    run_rights,
)
from dataops.workflows.environments import environments_from_config, find_environment

POLICY = """
[[workflows.environments]]
id = "dev"
engine_url = "http://engine-dev:8080/engine-rest/"

[[workflows.environments]]
id = "prod"
engine_url = "http://engine-prod:8080/engine-rest"
username = "dataops"
password = "engine-secret"
protected = true
operate_groups = ["release-managers"]

[[workflows.environments]]
id = "audit"
engine_url = "http://engine-audit:8080/engine-rest"
protected = true
view_groups = ["auditors"]
publish_users = ["carol"]
"""

ANALYST = Identity("analyst")
RELEASER = Identity("releaser", groups=("release-managers",))


@pytest.fixture
def envs(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_text(POLICY)
    loaded = environments_from_config(load_config([path]))
    return {env.id: env for env in loaded}


def test_everybody_views_operates_and_publishes_in_an_unprotected_environment(envs):
    dev = envs["dev"]
    assert dev.engine_url == "http://engine-dev:8080/engine-rest"
    for who in (ANALYST, RELEASER):
        assert may_view(who, dev).allowed
        assert may_start(who, dev).allowed
        assert may_publish(who, dev).allowed
        assert may_operate(who, dev, "someone-else").allowed


def test_in_a_protected_environment_everybody_reads_and_operators_operate(envs):
    prod = envs["prod"]
    assert may_view(ANALYST, prod).allowed
    assert may_start(RELEASER, prod).allowed
    refused = may_start(ANALYST, prod)
    assert not refused.allowed
    assert refused.reason == "Only members of release-managers may start runs in prod; analyst may not."


def test_only_the_starter_or_an_operator_cancels_or_retries_a_run(envs):
    prod = envs["prod"]
    cancel = may_operate(ANALYST, prod, "releaser", "cancel")
    assert not cancel.allowed
    assert cancel.reason == (
        "Only members of release-managers may cancel releaser's run in prod; analyst may not."
    )
    assert not may_operate(ANALYST, prod, None, "retry").allowed
    assert "a run started outside the DataOps service" in may_operate(ANALYST, prod, None, "retry").reason
    assert may_operate(ANALYST, prod, "analyst", "cancel").allowed
    assert may_operate(RELEASER, prod, "analyst", "retry").allowed


def test_a_direct_publish_to_a_protected_environment_is_refused_for_everybody(envs):
    prod = envs["prod"]
    for who in (ANALYST, RELEASER):
        decision = may_publish(who, prod)
        assert not decision.allowed
        assert decision.reason == (
            "Definitions reach prod only through promotion and the pipeline's publish job; "
            "nobody publishes to prod directly."
        )
    with pytest.raises(Forbidden, match="only through promotion"):
        may_publish(RELEASER, prod).require()


def test_view_lists_restrict_reading_but_publishers_still_see(envs):
    audit = envs["audit"]
    refused = may_view(ANALYST, audit)
    assert not refused.allowed
    assert refused.reason == "Only members of auditors may see the runs in audit; analyst may not."
    assert may_view(Identity("dora", groups=("auditors",)), audit).allowed
    assert may_view(Identity("carol"), audit).allowed
    assert may_publish(Identity("carol"), audit).allowed
    # A protected environment without operators: nobody starts there, the sentence says why.
    assert may_start(Identity("carol"), audit).reason == (
        "audit is protected and has no operators, so nobody may start runs there; carol may not."
    )


def test_rights_as_the_panels_receive_them(envs):
    assert environment_rights(ANALYST, envs["prod"]) == {
        "view": {"allowed": True, "reason": ""},
        "start": {
            "allowed": False,
            "reason": "Only members of release-managers may start runs in prod; analyst may not.",
        },
        "publish": {
            "allowed": False,
            "reason": "Definitions reach prod only through promotion and the pipeline's publish job; "
            "nobody publishes to prod directly.",
        },
    }
    assert run_rights(ANALYST, envs["dev"], "releaser") == {
        "cancel": {"allowed": True, "reason": ""},
        "retry": {"allowed": True, "reason": ""},
    }


def test_an_environments_json_leaves_its_engine_credentials_out(envs):
    assert envs["prod"].to_json() == {
        "id": "prod",
        "label": "prod",
        "protected": True,
        "engine_url": "http://engine-prod:8080/engine-rest",
    }


def test_unknown_environment_names_the_configured_ones(envs):
    with pytest.raises(NotFound, match="configured ones are: dev, prod, audit"):
        find_environment(list(envs.values()), "staging")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('id = "x"', "needs both 'id' and 'engine_url'"),
        ('id = "x"\nengine_url = "http://e"\noperators = ["a"]', "unknown setting\\(s\\): operators"),
        ('id = "x"\nengine_url = "http://e"\noperate_groups = "ops"', "must be a list of names"),
        ('id = "x"\nengine_url = "http://e"\nprotected = "yes"', "must be true or false"),
        (
            'id = "x"\nengine_url = "http://e"\n[[workflows.environments]]\nid = "y"\nengine_url = "http://e/"',
            "'x' and 'y' name the same engine http://e; each environment needs its own engine",
        ),
    ],
)
def test_a_wrong_entry_is_a_sentence_naming_it(entry, message):
    import tomllib

    config = Config(tomllib.loads("[[workflows.environments]]\n" + entry), (), ())
    with pytest.raises(ConfigError, match=message):
        environments_from_config(config)


def test_a_users_own_file_cannot_add_or_change_workflow_environments(tmp_path, monkeypatch):
    admin = tmp_path / "system.toml"
    admin.write_text(POLICY)
    user = tmp_path / "user.toml"
    user.write_text(
        '[[workflows.environments]]\nid = "prod"\nengine_url = "http://engine-prod:8080/engine-rest"\n'
        'operate_users = ["analyst"]\n'
    )
    monkeypatch.setenv("DATAOPS_SYSTEM_CONFIG", str(admin))
    monkeypatch.setenv("DATAOPS_CONFIG", str(user))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    config = load_config()
    prod = find_environment(environments_from_config(config), "prod")
    assert not may_start(ANALYST, prod).allowed
    assert any(i.key.startswith("workflows.environments") for i in config.ignored)


def test_the_log_store_names_who_started_each_run(tmp_path):
    from dataops.workflows.logs import LogStore

    store = LogStore(tmp_path)
    store.note_start("run-1", "releaser", "p")
    store.note_start("run-2", "analyst", "p")
    ids = ["run-1", "run-2", "run-3", *(f"other-{i}" for i in range(1200))]
    assert store.starters(ids) == {"run-1": "releaser", "run-2": "analyst"}


def test_refusals_name_every_listed_user_and_group_and_the_action(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[[workflows.environments]]\nid = "ops"\nengine_url = "http://engine-ops:8080/engine-rest"\n'
        'protected = true\noperate_users = ["ann", "bob"]\noperate_groups = ["on-call"]\n'
        'publish_users = ["ann"]\npublish_groups = ["modellers"]\n'
    )
    (ops,) = environments_from_config(load_config([path]))
    assert may_start(ANALYST, ops).reason == (
        "Only ann, bob and members of on-call may start runs in ops; analyst may not."
    )
    assert may_publish(ANALYST, ops).reason == (
        "Only ann and members of modellers may publish definitions to ops; analyst may not."
    )
    assert run_rights(ANALYST, ops, "bob") == {
        "cancel": {
            "allowed": False,
            "reason": "Only ann, bob and members of on-call may cancel bob's run in ops; analyst may not.",
        },
        "retry": {
            "allowed": False,
            "reason": "Only ann, bob and members of on-call may retry bob's run in ops; analyst may not.",
        },
    }
