"""``dataops promote``: review or promote a notebook, step module or BPMN file from the shell."""

from __future__ import annotations

import argparse
import json

from dataops.errors import SecretsFound


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``dataops promote``."""
    p = subparsers.add_parser(
        "promote", help="promote a notebook, step module or .bpmn file to an environment"
    )
    p.add_argument("path", help="the file to promote")
    p.add_argument("--env", required=True, help="target environment id (see [[promotion.environments]])")
    p.add_argument("-m", "--message", default="", help="commit message (default: 'Promote NAME to ENV')")
    p.add_argument(
        "--extra", action="append", default=[], help="another file to promote with it (repeatable)"
    )
    p.add_argument(
        "--review", action="store_true", help="only show files, diff and secret scan; change nothing"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Review, then (unless ``--review``) submit; secrets found exit with status 1 and their places."""
    from dataops.promotion.api import plan, promote

    if args.review:
        reviewed = plan(args.path, args.env, extra_files=tuple(args.extra))
        body = reviewed.to_json()
        if args.json:
            print(json.dumps(body, indent=1))
        else:
            base = body["base_commit"] or "new branch"
            print(f"{body['environment']} → {body['branch']} (base {base}, {body['mode']})")
            for f in body["files"]:
                print(f"  {f['status']:9} {f['destination']}")
            for finding in body["scan"]["findings"]:
                print(f"  SECRET  {finding['message']}")
        return 0 if reviewed.scan.clean else 1
    try:
        done = promote(args.path, args.env, args.message, extra_files=tuple(args.extra))
    except SecretsFound as exc:
        for finding in exc.details or []:
            print(f"SECRET  {finding['message']}")
        raise
    if args.json:
        print(json.dumps(done.to_json(), indent=1))
    else:
        print(f"Promoted to {done.branch}: {done.commit_sha} {done.commit_url}".rstrip())
        if done.merge_request:
            print(f"Merge request: {done.merge_request['web_url']} ({done.merge_request['state']})")
    return 0
