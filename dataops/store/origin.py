"""Who wrote, why, and from where: the summary every write's snapshot carries.

``who`` is a label (the JupyterHub user or the login name, as run starters are labelled): the
writing process controls its own environment, so it decides no right. ``origin`` is the workflow
run and step version when a step writes, else the CI pipeline, else the notebook.
"""

from __future__ import annotations

import os

from dataops.store.vintages import PREFIX, WRITE_ID


def origin() -> dict[str, str]:
    """Where the current write comes from (empty when nothing is known)."""
    from dataops.workflows import capture

    task = capture.current()
    if task is not None:
        meta = task.meta
        return {k: str(meta[k]) for k in ("run_id", "step_version", "activity_id") if meta.get(k)}
    if os.environ.get("CI_PIPELINE_ID"):
        out = {"pipeline": os.environ["CI_PIPELINE_ID"]}
        if os.environ.get("CI_PIPELINE_URL"):
            out["pipeline_url"] = os.environ["CI_PIPELINE_URL"]
        return out
    notebook = os.environ.get("JPY_SESSION_NAME") or _ipython_session()
    return {"notebook": notebook} if notebook else {}


def _ipython_session() -> str:
    try:
        from IPython import get_ipython
    except ImportError:
        return ""
    shell = get_ipython()
    return str(shell.user_ns.get("__session__", "")) if shell is not None else ""


def summary(write_id: str, message: str, action: str, rows: int, series: int) -> dict[str, str]:
    """The snapshot properties of one write."""
    from dataops.workflows.log_records import current_user

    props = {
        WRITE_ID: write_id,
        PREFIX + "who": current_user(),
        PREFIX + "message": message,
        PREFIX + "action": action,
        PREFIX + "rows": str(rows),
        PREFIX + "series": str(series),
    }
    props.update({f"{PREFIX}origin.{k}": v for k, v in origin().items()})
    return props
