"""Bare git repositories served over git's smart HTTP protocol by ``git http-backend``.

A small threaded HTTP server runs the real ``git http-backend`` as CGI for every request, so
clients speak the same protocol as to any git host. Branches listed in a repository's
``protected-branches`` file are guarded by a pre-receive hook; only users named in
``protected-pushers`` (the HTTP basic-auth user) may push there.
"""

from __future__ import annotations

import base64
import os
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HTTP_BACKEND = "/usr/lib/git-core/git-http-backend"

PRE_RECEIVE = """#!/bin/sh
# Refuse updates of protected branches unless the pushing user is allowed.
dir=$(git rev-parse --git-dir)
while read old new ref; do
  branch=${ref#refs/heads/}
  if grep -qxF "$branch" "$dir/protected-branches" 2>/dev/null; then
    if ! grep -qxF "${REMOTE_USER:-anonymous}" "$dir/protected-pushers" 2>/dev/null; then
      echo "GL-HOOK-ERR: $branch is a protected branch; ${REMOTE_USER:-anonymous} may not push to it." >&2
      exit 1
    fi
  fi
done
exit 0
"""


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    """Run git, fail loudly, return stripped stdout."""
    done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, env=_env())
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode().strip()


def _env() -> dict[str, str]:
    ident = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org"}
    ident |= {"GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return {**os.environ, **ident}


def make_bare_repo(root: Path, name: str, *, branch: str = "main", protected=(), pushers=()) -> Path:
    """A bare repository with one initial commit on ``branch`` and the protecting pre-receive hook."""
    repo = root / f"{name}.git"
    git(root, "init", "--bare", "-q", "-b", branch, str(repo))
    git(repo, "config", "http.receivepack", "true")
    tree = git(repo, "mktree", stdin=b"")
    commit = git(repo, "commit-tree", tree, "-m", "Initial commit")
    git(repo, "update-ref", f"refs/heads/{branch}", commit)
    hook = repo / "hooks" / "pre-receive"
    hook.write_text(PRE_RECEIVE)
    hook.chmod(0o755)
    (repo / "protected-branches").write_text("".join(f"{b}\n" for b in protected))
    (repo / "protected-pushers").write_text("".join(f"{u}\n" for u in pushers))
    return repo


class GitHttpServer:
    """Serves every bare repository under ``root`` at ``{url}/{name}.git``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pushes: list[str] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(handler.rfile.readline().strip().split(b";")[0], 16)
            if size == 0:
                handler.rfile.readline()
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def _handler(server: GitHttpServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            body = _read_body(self)
            env = {
                "PATH": os.environ["PATH"],
                "GIT_PROJECT_ROOT": str(server.root),
                "GIT_HTTP_EXPORT_ALL": "1",
                "PATH_INFO": parts.path,
                "QUERY_STRING": parts.query,
                "REQUEST_METHOD": self.command,
                "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                "CONTENT_LENGTH": str(len(body)),
                "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
                "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            }
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                env["REMOTE_USER"] = base64.b64decode(auth[6:]).decode().split(":", 1)[0]
            if parts.path.endswith("git-receive-pack"):
                server.pushes.append(parts.path)
            done = subprocess.run([HTTP_BACKEND], input=body, capture_output=True, env=env)
            head, _, payload = done.stdout.partition(b"\r\n\r\n")
            status = 200
            headers = []
            for line in head.decode(errors="replace").split("\r\n"):
                key, _, value = line.partition(":")
                if key.lower() == "status":
                    status = int(value.strip().split()[0])
                elif key:
                    headers.append((key, value.strip()))
            self.send_response(status)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args) -> None:  # noqa: A002, ANN002
            pass

    return Handler


@pytest.fixture
def git_server(tmp_path: Path) -> Iterator[GitHttpServer]:
    """A smart-HTTP git server over ``tmp_path / "remotes"`` (create repositories with `make_bare_repo`)."""
    root = tmp_path / "remotes"
    root.mkdir()
    server = GitHttpServer(root)
    yield server
    server.stop()
