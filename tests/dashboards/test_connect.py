"""The Posit Connect target, publishing through rsconnect-python to a fake held to Connect's reference."""

from __future__ import annotations

import io
import json
import sys
import tarfile
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from dataops.dashboards.connect import PositConnectTarget, connect_api_key
from dataops.dashboards.models import DashboardApp
from dataops.errors import (
    ConfigError,
    Conflict,
    InvalidInput,
    NotConfigured,
    NotFound,
    NotImplementedByProvider,
    RemoteError,
    Unauthorized,
)
from tests.fakes.connect.fixtures import connect_contract, connect_fake  # noqa: F401
from tests.fakes.connect.server import ConnectFake, Tamper

KEY = "connect-key-3f9a1c77e0b24d51"
COMMIT_1 = "1111111aaaaaaa2222222bbbbbbb3333333ccccc"
COMMIT_2 = "4444444ddddddd5555555eeeeeee6666666fffff"


def shiny_app(root: Path, greeting: str = "hello") -> DashboardApp:
    folder = root / "sales"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "app.R").write_text(
        f'library(shiny)\nshinyApp(fluidPage("{greeting}"), function(input, output) {{}})\n'
    )
    (folder / "data").mkdir(exist_ok=True)
    (folder / "data" / "regions.csv").write_text("code,name\nFR,France\n")
    return DashboardApp("sales", "shiny", folder)


@pytest.fixture
def target(connect_fake: ConnectFake) -> PositConnectTarget:
    connect_fake.state.add_publisher(KEY)
    return PositConnectTarget(connect_fake.url, KEY, name_prefix="dev-")


def bundle_files(fake: ConnectFake, bundle_id: str) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(fake.state.archives[bundle_id]), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]


def test_a_shiny_app_published_through_rsconnect_is_listed_back_with_url_commit_and_time(
    tmp_path: Path, connect_fake: ConnectFake, target: PositConnectTarget
) -> None:
    published = target.publish(shiny_app(tmp_path), commit=COMMIT_1)

    [item] = connect_fake.state.content.values()
    assert item["name"] == "dev-sales" and item["app_mode"] == "shiny"
    files = bundle_files(connect_fake, item["bundle_id"])
    assert b'fluidPage("hello")' in files["app.R"] and "data/regions.csv" in files
    assert json.loads(files["manifest.json"])["metadata"]["appmode"] == "shiny"
    assert published.url == f"{connect_fake.url}/content/{item['guid']}/"
    assert published.commit == COMMIT_1
    assert published.published_at == datetime.fromisoformat(item["last_deployed_time"])
    assert target.published() == [published]
    assert published.as_json()["target"] == "posit-connect" and published.name == "sales"


def test_publishing_the_same_app_again_deploys_a_new_bundle_to_the_same_content(
    tmp_path: Path, connect_fake: ConnectFake, target: PositConnectTarget
) -> None:
    first = target.publish(shiny_app(tmp_path), commit=COMMIT_1)
    second = target.publish(shiny_app(tmp_path, greeting="bonjour"), commit=COMMIT_2)

    [item] = connect_fake.state.content.values()
    assert len(connect_fake.state.bundles) == 2
    assert b"bonjour" in bundle_files(connect_fake, item["bundle_id"])["app.R"]
    assert [b["active"] for b in connect_fake.state.bundles.values()] == [False, True]
    assert second.url == first.url and second.commit == COMMIT_2
    assert second.published_at >= first.published_at
    assert target.published() == [second]


def test_a_failed_deployment_leaves_the_previous_version_served_with_its_commit(
    tmp_path: Path, connect_fake: ConnectFake, target: PositConnectTarget
) -> None:
    first = target.publish(shiny_app(tmp_path), commit=COMMIT_1)
    connect_fake.state.failing_deploys.append("Unable to install package 'shiny'")

    with pytest.raises(RemoteError) as err:
        target.publish(shiny_app(tmp_path, greeting="bonjour"), commit=COMMIT_2)

    assert str(err.value) == (
        f"Posit Connect at {connect_fake.url} could not deploy dev-sales (bundle 2): "
        "Unable to install package 'shiny'. Last lines: Installing R packages; Restore failed"
    )
    assert target.published() == [first]


def test_a_wrong_api_key_gives_a_sentence_naming_the_server_without_the_key(
    tmp_path: Path, connect_fake: ConnectFake
) -> None:
    connect_fake.state.add_publisher(KEY)
    wrong = "connect-key-0000wrong0000"
    target = PositConnectTarget(connect_fake.url, wrong)

    with pytest.raises(Unauthorized) as err:
        target.publish(shiny_app(tmp_path), commit=COMMIT_1)

    message = str(err.value)
    assert connect_fake.url in message and "refused the API key" in message and "HTTP 401" in message
    assert wrong not in message and KEY not in message
    assert connect_fake.state.content == {}


def test_content_created_meanwhile_by_another_publish_is_a_conflict_sentence(
    tmp_path: Path, connect_fake: ConnectFake, target: PositConnectTarget
) -> None:
    target.publish(shiny_app(tmp_path), commit=COMMIT_1)
    connect_fake.state.tampers.append(Tamper("getContents", lambda items: []))

    with pytest.raises(Conflict) as err:
        target.publish(shiny_app(tmp_path), commit=COMMIT_2)

    assert str(err.value).startswith(
        f"Posit Connect at {connect_fake.url} refused when asked to deploy dev-sales (HTTP 409): "
    )
    assert "A content item named 'dev-sales' already exists." in str(err.value)


def test_content_deleted_meanwhile_is_a_not_found_sentence(
    tmp_path: Path, connect_fake: ConnectFake, target: PositConnectTarget
) -> None:
    target.publish(shiny_app(tmp_path), commit=COMMIT_1)
    [guid] = connect_fake.state.content
    listed = httpx.get(
        f"{connect_fake.url}/__api__/v1/content/{guid}", headers={"Authorization": f"Key {KEY}"}
    ).json()
    del connect_fake.state.content[guid]
    connect_fake.state.tampers.append(Tamper("getContents", lambda items: [listed]))

    with pytest.raises(NotFound) as err:
        target.publish(shiny_app(tmp_path), commit=COMMIT_2)

    assert "(HTTP 404)" in str(err.value) and f"Content '{guid}' does not exist." in str(err.value)
    assert "--new" not in str(err.value)


def test_a_response_outside_connects_reference_fails_the_publish(
    tmp_path: Path, connect_fake: ConnectFake, target: PositConnectTarget
) -> None:
    def drop_url(item: dict) -> dict:
        return {k: v for k, v in item.items() if k != "content_url"}

    connect_fake.state.tampers.append(Tamper("createContent", drop_url))

    with pytest.raises(RemoteError, match="HTTP 500"):
        target.publish(shiny_app(tmp_path), commit=COMMIT_1)

    [violation] = connect_fake.state.violations
    assert (
        "response 200 to POST /v1/content" in violation
        and "'content_url' is a required property" in violation
    )
    connect_fake.state.violations.clear()


def test_a_request_outside_connects_reference_is_caught(connect_fake: ConnectFake) -> None:
    connect_fake.state.add_publisher(KEY)
    headers = {"Authorization": f"Key {KEY}"}

    undeclared = httpx.post(
        f"{connect_fake.url}/__api__/v1/content", json={"name": "sales", "owner": "x"}, headers=headers
    )
    not_gzip = httpx.post(
        f"{connect_fake.url}/__api__/v1/content/abc/bundles", content=b"PK\x03\x04", headers=headers
    )

    assert undeclared.status_code == not_gzip.status_code == 500
    assert (
        "Additional properties are not allowed ('owner' was unexpected)" in connect_fake.state.violations[0]
    )
    assert "not a gzip compressed archive" in connect_fake.state.violations[1]
    connect_fake.state.violations.clear()


def test_a_folder_that_is_not_a_shiny_app_is_refused_before_anything_is_sent(
    tmp_path: Path, connect_fake: ConnectFake, target: PositConnectTarget
) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "README.md").write_text("no app here\n")

    with pytest.raises(InvalidInput, match="is not a Shiny app: it needs app.R, or ui.R and server.R"):
        target.publish(DashboardApp("notes", "shiny", tmp_path / "notes"), commit=COMMIT_1)

    assert connect_fake.state.requests == []


def test_a_name_connect_would_refuse_or_a_malformed_commit_is_refused_before_anything_is_sent(
    tmp_path: Path, connect_fake: ConnectFake
) -> None:
    connect_fake.state.add_publisher(KEY)
    spaced = PositConnectTarget(connect_fake.url, KEY, name_prefix="dev ")

    with pytest.raises(InvalidInput, match="'dev sales' cannot name Posit Connect content"):
        spaced.publish(shiny_app(tmp_path), commit=COMMIT_1)
    with pytest.raises(InvalidInput, match="'main' is not a commit id"):
        PositConnectTarget(connect_fake.url, KEY).publish(shiny_app(tmp_path), commit="main")

    assert connect_fake.state.requests == []


def test_a_voila_dashboard_is_refused_with_a_sentence(tmp_path: Path, target: PositConnectTarget) -> None:
    with pytest.raises(NotImplementedByProvider, match="publishes Shiny apps; report is a voila dashboard"):
        target.publish(DashboardApp("report", "voila", tmp_path / "report.ipynb"), commit=COMMIT_1)


def test_without_rsconnect_python_the_sentence_says_what_to_install(
    tmp_path: Path, target: PositConnectTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rsconnect.bundle", None)

    with pytest.raises(NotConfigured, match="pip install rsconnect-python"):
        target.publish(shiny_app(tmp_path), commit=COMMIT_1)


def test_the_api_key_comes_from_the_environment_or_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "connect.key"
    monkeypatch.delenv("DATAOPS_TEST_CONNECT_KEY", raising=False)
    with pytest.raises(Unauthorized, match="No Posit Connect API key"):
        connect_api_key("DATAOPS_TEST_CONNECT_KEY", key_file)
    key_file.write_text(KEY + "\n")
    key_file.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        connect_api_key("DATAOPS_TEST_CONNECT_KEY", key_file)
    key_file.chmod(0o600)
    assert connect_api_key("DATAOPS_TEST_CONNECT_KEY", key_file) == KEY
    monkeypatch.setenv("DATAOPS_TEST_CONNECT_KEY", "from-the-environment")
    assert connect_api_key("DATAOPS_TEST_CONNECT_KEY", key_file) == "from-the-environment"


def test_an_environment_configured_for_posit_connect_publishes_and_lists_through_it(
    tmp_path: Path, connect_fake: ConnectFake, dataops_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataops.config import load_config
    from dataops.dashboards.publish import publish_dashboards, published_dashboards

    connect_fake.state.add_publisher(KEY)
    monkeypatch.setenv("BANK_CONNECT_KEY", KEY)
    dataops_config.write_text(
        "[[dashboards.environments]]\n"
        'id = "prod"\n'
        f'shiny = {{ target = "posit-connect", server = "{connect_fake.url}", '
        'api_key_env = "BANK_CONNECT_KEY", name_prefix = "prod-" }\n'
    )
    checkout = tmp_path / "checkout"
    shiny_app(checkout / "dashboards")

    [done] = publish_dashboards(load_config(), "prod", checkout, commit=COMMIT_1)

    [item] = connect_fake.state.content.values()
    assert item["name"] == "prod-sales"
    assert done.target == "posit-connect" and done.commit == COMMIT_1
    assert published_dashboards(load_config(), "prod") == [done]


def test_a_posit_connect_target_without_a_server_is_a_configuration_error(dataops_config: Path) -> None:
    from dataops.config import load_config
    from dataops.dashboards.publish import published_dashboards

    dataops_config.write_text(
        '[[dashboards.environments]]\nid = "prod"\nshiny = { target = "posit-connect" }\n'
    )
    with pytest.raises(ConfigError, match="posit-connect dashboard target needs server"):
        published_dashboards(load_config(), "prod")
