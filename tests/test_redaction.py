"""`dataops.redaction`: what the browser and the logs are given instead of credentials."""

from __future__ import annotations

from dataops.redaction import public, public_url, redact, remember


def test_public_urls_lose_their_user_info_and_keep_the_rest():
    assert public_url("https://user:pw@host.example:8443/a/b?x=1#f") == "https://host.example:8443/a/b?x=1#f"
    assert public_url("https://token@host.example/x") == "https://host.example/x"
    assert public_url("http://host.example/path@v1") == "http://host.example/path@v1"  # an @ in the path
    assert (
        public_url("mail alice@example.org, git@host:repo.git") == "mail alice@example.org, git@host:repo.git"
    )
    assert public({"summary": "Engine at http://a:b@e/engine-rest", "n": [1, "ftp://u@f/x"]}) == {
        "summary": "Engine at http://e/engine-rest",
        "n": [1, "ftp://f/x"],
    }


def test_remembered_secrets_and_credential_shapes_are_masked():
    remember("s3cr3t-value-for-redaction-test")
    line = "pw s3cr3t-value-for-redaction-test, https://u:p@h/x, glpat-abcdefghij0123, PRIVATE-TOKEN: abc"
    assert redact(line) == "pw [REDACTED], https://[REDACTED]@h/x, [REDACTED], PRIVATE-TOKEN: [REDACTED]"
