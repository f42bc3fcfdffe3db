"""The secret scan catches credentials wherever a notebook hides them, and leaves clean work alone."""

from __future__ import annotations

import base64
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from dataops.promotion.access import Identity
from dataops.promotion.config import Environment
from dataops.promotion.plan import build_plan
from dataops.promotion.secrets import scan_notebook, scan_text
from dataops.promotion.targets.git import GitTarget
from tests.fakes.git_http import make_bare_repo

ALICE = Identity("alice", name="Alice", email="alice@bank.example")

# Fake credentials of 16 kinds, assembled at run time so this file does not trip scanners itself.
_J = "".join
CORPUS = {
    "AWS Access Key": _J(["AKIA", "IOSFODNN7", "QWERTYZ"]),
    "GitHub Token": _J(["ghp_", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"]),
    "GitLab Token": _J(["glpat-", "xY7zA9bC1dE3fG5hJ7kL"]),
    "Slack Token": _J(["xoxb-", "123456789012-1234567890123-", "aBcDeFgHiJkLmNoPqRsTuVwX"]),
    "Stripe Access Key": _J(["sk_live_", "4eC39HqLyjWDarjtT1zdp7dc"]),
    "Private Key": _J(["-----BEGIN RSA ", "PRIVATE KEY-----"]),
    "JSON Web Token": _J(
        [
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.",
            "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.",
            "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        ]
    ),
    "SendGrid API Key": _J(["SG.", "ngeVfQFYQlKU0ufo8x5d1A.", "TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr"]),
    "Twilio API Key": _J(["SK", "0123456789abcdef0123456789abcdef"]),
    "OpenAI Token": _J(["sk-", "aB3dE5fG7hJ9kL1mN3pQ", "T3BlbkFJ", "aB3dE5fG7hJ9kL1mN3pQ"]),
    "PyPI Token": _J(
        [
            "pypi-",
            "AgEIcHlwaS5vcmcCJGE4ZjY0ZDYwLWRiYmQtNDAwYy1iZmUxLWY0ZjU1ZGY0NjA1ZAACJXsicGVybWlzc2lvbnMiOiAi",
        ]
    ),
    "NPM tokens": _J(["//registry.npmjs.org/:_authToken=", "npm_", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"]),
    "Telegram Bot Token": _J(["110201543:", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"]),
    "Discord Bot Token": _J(["MTk4NjIyNDgzNDcxOTI1MjQ4", ".Cl2FMQ.", "ZnCjm1XVW7vRze4b7Cq4se7kKWs"]),
    "Azure Storage Account access key": _J(
        [
            "AccountKey=",
            "lJzRc1YdHaAA2KCNJJ1tkYwF/+mKK6Ygw0NGe170Xu592euJv2wYUtBlV8z+qnlcNQSnIYVTkLWntUO1F8j8rQ==",
        ]
    ),
    "Basic Auth Credentials": _J(["postgresql://stat_user:", "Pr0dPassw0rd", "@db.bank.example:5432/stats"]),
}


def _line(kind: str, value: str) -> str:
    if kind in ("Private Key", "NPM tokens", "Azure Storage Account access key", "Basic Auth Credentials"):
        return value
    return f'credential = "{value}"'


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_each_kind_is_caught_in_a_code_cell_with_cell_and_line(kind):
    cell = new_code_cell(f"import os\n{_line(kind, CORPUS[kind])}\n")
    findings = scan_notebook(new_notebook(cells=[new_markdown_cell("# Report"), cell]), "report.ipynb")
    located = [f for f in findings if f.cell == 2 and f.part == "source" and f.line == 2]
    assert located, f"{kind} was not found: {findings}"
    assert all(CORPUS[kind] not in f.preview for f in findings)  # the value itself never leaves the scan


@pytest.mark.parametrize("kind", ["AWS Access Key", "GitHub Token", "Slack Token", "Basic Auth Credentials"])
def test_secret_printed_in_an_output_is_caught(kind):
    cell = new_code_cell("print(settings)")
    cell.outputs = [new_output("stream", name="stdout", text=f"loaded\n{_line(kind, CORPUS[kind])}\n")]
    findings = scan_notebook(new_notebook(cells=[cell]), "report.ipynb")
    assert [(f.cell, f.part, f.line) for f in findings][:1] == [(1, "output", 2)]


def test_secret_in_cell_and_notebook_metadata_is_caught():
    cell = new_code_cell("x = 1", metadata={"connection": CORPUS["Basic Auth Credentials"]})
    nb = new_notebook(cells=[cell], metadata={"deploy": {"token": CORPUS["GitLab Token"]}})
    parts = {f.part for f in scan_notebook(nb, "report.ipynb")}
    assert parts == {"metadata", "notebook metadata"}


def test_keyword_password_escaped_inside_notebook_json_is_caught():
    # detect-secrets alone misses this in the .ipynb text: the quotes are JSON-escaped
    nb = new_notebook(cells=[new_code_cell('db_password = "Tr1cky-Passw0rd-2026"')])
    raw = json.dumps(nb)
    assert '\\"Tr1cky' in raw and scan_text(raw, "report.ipynb") == []
    findings = scan_notebook(nb, "report.ipynb")
    assert [(f.kind, f.cell, f.line) for f in findings] == [("Secret Keyword", 1, 1)]


def test_secret_in_a_promoted_python_file_points_at_its_line():
    text = "import os\n\n" + _line("Stripe Access Key", CORPUS["Stripe Access Key"]) + "\n"
    found = {(f.kind, f.line, f.file) for f in scan_text(text, "steps/load.py")}
    assert ("Stripe Access Key", 3, "steps/load.py") in found
    assert {line for _, line, _ in found} == {3}


def test_clean_notebooks_with_plots_urls_ids_and_hashes_are_not_flagged():
    png = base64.b64encode(bytes(range(256)) * 40).decode()
    plot = new_code_cell("df.plot()", execution_count=4)
    plot.outputs = [new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    cells = [
        new_markdown_cell("# GDP nowcast\nData from https://data-api.ecb.europa.eu/service/data/EXR"),
        new_code_cell("year = 2025\nsource = 'ECB'", metadata={"tags": ["parameters"]}),
        new_code_cell(
            "import pandas as pd\nimport os\n"
            "token = os.environ['DATAOPS_GITLAB_TOKEN']\n"
            "password = getpass.getpass()\n"
            "key = 'EXR.D.USD.EUR.SP00.A'\n"
            "url = 'postgresql://db.bank.example:5432/stats'\n"
            "commit = '964c7c7'\n"
        ),
        plot,
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    assert scan_notebook(nb, "nowcast.ipynb") == []


def _attached(mime: str, payload: bytes):
    cell = new_markdown_cell("![keys](attachment:keys)")
    cell["attachments"] = {"keys": {mime: base64.b64encode(payload).decode()}}
    return new_notebook(cells=[new_markdown_cell("# Report"), cell])


def test_a_secret_in_a_text_attachment_is_caught_in_its_cell():
    key = _line("AWS Access Key", CORPUS["AWS Access Key"]).encode()
    findings = scan_notebook(_attached("text/plain", b"notes\n" + key + b"\n"), "report.ipynb")
    assert [(f.kind, f.cell, f.part) for f in findings][:1] == [("AWS Access Key", 2, "attachment")]


def test_a_secret_hidden_in_an_image_attachment_is_caught():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4 + CORPUS["AWS Access Key"].encode() + bytes(range(256))
    findings = scan_notebook(_attached("image/png", png), "report.ipynb")
    assert ("AWS Access Key", 2, "attachment") in {(f.kind, f.cell, f.part) for f in findings}


def test_a_plain_image_attachment_is_not_flagged():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    assert scan_notebook(_attached("image/png", png), "report.ipynb") == []


def test_one_secret_is_one_finding_located_by_cell_with_its_kind(tmp_path, git_server):
    key_id = CORPUS["AWS Access Key"]
    secret_key = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"  # AWS's documented example, 40 characters
    cell = new_code_cell(
        f'import boto3\naws_access_key_id = "{key_id}"\naws_secret_access_key = "{secret_key}"\n'
    )
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Load"), cell]), tmp_path / "load.ipynb")
    make_bare_repo(git_server.root, "deploy")
    remote = f"{git_server.url}/deploy.git"

    plan = build_plan(
        tmp_path, "load.ipynb", Environment("dev", "deploy/dev", remote=remote), GitTarget(remote), ALICE
    )

    found = sorted((f.kind, f.file, f.cell, f.line, f.part) for f in plan.scan.findings)
    assert found == [
        ("AWS Access Key", "load.ipynb", 2, 2, "source"),
        ("AWS Secret Access Key", "load.ipynb", 2, 3, "source"),
    ]


def _attachment_findings(mime: str, data: object) -> list[tuple[str, str, int | None, str]]:
    cell = new_markdown_cell("![db](attachment:db)")
    cell["attachments"] = {"db": {mime: data}}
    findings = scan_notebook(new_notebook(cells=[cell]), "report.ipynb")
    return [(f.kind, f.preview, f.cell, f.part) for f in findings]


DB_PASSWORD = ("Secret Keyword", "Zx…(8 characters)", 1, "attachment")


@pytest.mark.parametrize(
    "mime", ["text/plain", "application/json", "application/xml", "image/svg+xml", "application/javascript"]
)
def test_a_password_in_a_text_like_attachment_is_caught_even_with_non_ascii_beside_it(mime):
    payload = '{"db": {"password": "Zx9#qLé7"}}\n'.encode()  # é splits a binary file's printable runs
    assert _attachment_findings(mime, base64.b64encode(payload).decode()) == [DB_PASSWORD]


def test_an_attachment_wrapped_over_lines_or_not_in_utf8_is_still_read():
    wrapped = base64.encodebytes(("x" * 50 + '\npassword = "Zx9#qLé7"\n').encode()).decode()  # 76 a line
    assert "\n" in wrapped.strip()
    assert _attachment_findings("text/plain", wrapped) == [DB_PASSWORD]
    latin1 = 'password = "Zx9#qL7k" café\n'.encode("latin-1")
    assert _attachment_findings("text/plain", base64.b64encode(latin1).decode()) == [DB_PASSWORD]


def test_an_attachment_that_is_not_base64_is_scanned_as_it_is():
    assert _attachment_findings("text/plain", 'notes: password = "Zx9#qL7k"') == [DB_PASSWORD]
    assert _attachment_findings("application/json", {"password": "Zx9#qL7k"}) == [DB_PASSWORD]


def test_a_finding_shows_at_most_two_characters_of_the_secret():
    previews = {
        value: [f.preview for f in scan_text(f'password = "{value}"\n', "load.py")]
        for value in ("Zx9#qL", "Zx9#q", "Zx9#")
    }
    assert previews == {"Zx9#qL": ["Zx…(6 characters)"], "Zx9#q": ["Zx…(5 characters)"], "Zx9#": ["…"]}
