"""What a review sends the service: files as bytes, checked before anything is built from them."""

from __future__ import annotations

import pytest

from dataops.errors import Forbidden, InvalidInput, NotFound, SecretsFound, ServiceUnreachable
from dataops.promotion.inputs import PlanInput, collect_input
from dataops.service.client import error_from_json


def test_collected_files_travel_as_json_unchanged(tmp_path):
    (tmp_path / "helpers.py").write_text("VALUE = 1\n")
    (tmp_path / "step.py").write_text("import helpers\n")
    (tmp_path / "notes.txt").write_bytes(b"\x00\xffbinary")
    given = collect_input(tmp_path, "step.py", ["notes.txt"])
    assert given.extras == ("notes.txt",)
    back = PlanInput.from_json(given.to_json())
    assert back == given


@pytest.mark.parametrize(
    "source",
    ["../outside.py", "/etc/passwd.py", "a/../../b.py"],
)
def test_paths_outside_the_users_folder_are_refused(source):
    with pytest.raises(InvalidInput, match="must be a path relative to the folder you work in"):
        PlanInput.from_json({"source": source, "files": {source: "cHJpbnQoKQo="}})


def test_a_module_outside_the_notebooks_folder_is_refused():
    body = {
        "source": "work/nb.ipynb",
        "modules": ["other/mod.py"],
        "files": {"work/nb.ipynb": "e30=", "other/mod.py": "eD0xCg=="},
    }
    with pytest.raises(InvalidInput, match="not inside the notebook's folder"):
        PlanInput.from_json(body)


def test_a_named_file_without_content_is_refused():
    with pytest.raises(InvalidInput, match="does not carry its content"):
        PlanInput.from_json({"source": "step.py", "files": {}})


def test_a_missing_file_to_collect_is_not_found(tmp_path):
    with pytest.raises(NotFound, match="There is no file nope.py to promote."):
        collect_input(tmp_path, "nope.py")


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        ("forbidden", 403, Forbidden),
        ("secrets_found", 422, SecretsFound),
        ("service_unreachable", 503, ServiceUnreachable),
        ("something_new", 403, Forbidden),
    ],
)
def test_the_services_errors_keep_their_class_and_sentence(code, status, cls):
    error = error_from_json({"error": code, "message": "the sentence", "details": [1]}, status)
    assert type(error) is cls
    assert (error.message, error.details) == ("the sentence", [1])
