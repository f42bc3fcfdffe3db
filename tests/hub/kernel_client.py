"""One HTTP request, made by a hub user's Python the way their kernel would (stdlib only).

Run with ``python -c <this file's text> '<json request>'``; prints ``{"status", "body"}``.
``token`` is "kernel" for the environment's JUPYTERHUB_API_TOKEN, a literal token, or null for none.
"""

import json
import os
import sys
import urllib.error
import urllib.request

request = json.loads(sys.argv[1])
headers = dict(request["headers"])
token = request["token"]
if token == "kernel":
    token = os.environ["JUPYTERHUB_API_TOKEN"]
if token:
    headers["Authorization"] = f"token {token}"
data = None
if request["body"] is not None:
    data = json.dumps(request["body"]).encode()
    headers.setdefault("Content-Type", "application/json")
req = urllib.request.Request(request["url"], data=data, method=request["method"], headers=headers)
try:
    with urllib.request.urlopen(req, timeout=30) as reply:  # noqa: S310 (the test's own URL)
        status, text = reply.status, reply.read().decode()
except urllib.error.HTTPError as err:
    status, text = err.code, err.read().decode()
print(json.dumps({"status": status, "body": json.loads(text) if text else None}))
