"""Run code in a real kernel of a hub user's server, through the hub's proxy with the user's own token."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


class KernelError(Exception):
    """The code raised in the kernel; the message is the kernel's ``ename: evalue``."""


def execute(server_url: str, token: str, code: str, timeout: float = 120) -> str:
    """Start a kernel on the server at ``server_url`` (``…/user/<name>/``), run ``code``, return its stdout.

    The kernel is shut down afterwards; an exception in ``code`` raises `KernelError`.
    """
    headers = {"Authorization": f"token {token}"}
    with httpx.Client(base_url=server_url, headers=headers, timeout=60) as client:
        reply = client.post("api/kernels", json={"name": "python3"})
        reply.raise_for_status()
        kernel_id = reply.json()["id"]
        try:
            return asyncio.run(asyncio.wait_for(_run(server_url, headers, kernel_id, code), timeout))
        finally:
            client.delete(f"api/kernels/{kernel_id}")


async def _run(server_url: str, headers: dict[str, str], kernel_id: str, code: str) -> str:
    ws_url = server_url.replace("http", "ws", 1) + f"api/kernels/{kernel_id}/channels"
    conn = await websocket_connect(HTTPRequest(ws_url, headers=headers))
    msg_id = uuid.uuid4().hex
    conn.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "",
                    "session": uuid.uuid4().hex,
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    out: list[str] = []
    try:
        while True:
            raw = await conn.read_message()
            if raw is None:
                raise KernelError("the kernel's connection closed before the code finished")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content["name"] == "stdout":
                out.append(content["text"])
            elif kind == "error":
                raise KernelError(f"{content['ename']}: {content['evalue']}")
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(out)
    finally:
        conn.close()
