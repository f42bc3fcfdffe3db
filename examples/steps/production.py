"""Steps of the sample production process sdmx_production (processes/sdmx_production.bpmn): the
template to copy for a process of your own.

Each service task's topic is ``sdmx_production_<task>``; what the steps read, check, compute and
write comes from the process configuration (processes/sdmx_production.toml, checked against
processes/sdmx_production.schema.json), which every step receives as ``config``:

- **fetch** reads ``key`` of ``flow`` with `dataops.read` from ``source`` (the demo's files source
  of ECB samples; an SDMX provider in production), ``start_period`` to the run's reference period;
- **validate** checks every code against the dataflow's structure and each series' period-on-period
  change against ``max_change``; a violation throws the BPMN error VALIDATION_FAILED
  with a sentence naming the series and the value, and the run is quarantined;
- **aggregate** computes a nominal effective exchange rate of the euro: the weighted geometric mean
  of the bilateral rates (``weights``), an index equal to 100 in ``base_period``;
- **report** sums the aggregate up in the log;
- **disseminate** writes the aggregate to the ``store`` as one vintage tagged ``run <run id>``
  (`dataops.write`), which the SDMX REST endpoint serves, and gives the run the variable
  ``vintage`` (source, flow, series, snapshot, tag, REST path) the run view links to.

Steps hand data to each other through files in a folder of the run (``staging_dir``; the variables
carry only counts), written whole or not at all, so any step may run again: a disseminate that runs
again finds the vintage it wrote and returns it instead of writing a second one, and of two attempts
running at once (a lock that expired mid-write) the one that loses the race for the tag returns the
vintage the other committed.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

import dataops
from dataops.errors import Conflict, InvalidInput
from dataops.workflows import BpmnError, Task, step

log = logging.getLogger("production")

PROCESS = "sdmx_production"
SHOWN = 3  # violations named in the rejection's sentence


def _run_folder(config: dict[str, Any], task: Task) -> Path:
    """The folder where the steps of this run keep their files."""
    root = Path(config.get("staging_dir") or Path(tempfile.gettempdir()) / "dataops-staging").expanduser()
    return root / PROCESS / task.run_id


def _stage(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` whole or not at all (a retried step never reads half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    frame.to_parquet(partial, index=False)
    os.replace(partial, path)


def _staged(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run the step before this one again (Retry does).")
    return pd.read_parquet(path)


def _dimensions(df: pd.DataFrame) -> list[str]:
    """The dimension columns of a frame `dataops.read` returned, in the structure's order."""
    return list(df.attrs["sdmx"]["dimensions"])


@step(f"{PROCESS}_fetch")
def fetch(
    config: dict[str, Any], task: Task, flow: str, period: str, frequency: str = "M", **_: object
) -> dict:
    """Read the configured series of ``flow`` from ``start_period`` up to ``period``."""
    source, wanted = config["source"], config["flow"]
    if flow != wanted:
        raise ValueError(
            f"The configuration {task.config_version} produces the dataflow {wanted}; this run asks for {flow}."
        )
    key = {**config["key"], "FREQ": frequency}
    start = config["start_period"]
    log.info("fetching %s for %s from %s (periods from %s)", flow, period, source, start)
    df = dataops.read(source, flow, key=key, start=start, end=period)
    info = df.attrs["sdmx"]
    log.debug("request: %s", info.get("url") or info.get("key"))
    counts = df.groupby(_dimensions(df), sort=True, observed=True).size()
    for codes, n in counts.items():
        log.info("series %s: %d observations", ".".join(codes), n)
    # Plain text columns: the staged file reads back the same whatever categories a reader chose.
    frame = pd.DataFrame({c: df[c].astype(str) if df[c].dtype == "category" else df[c] for c in df.columns})
    _stage(frame, _run_folder(config, task) / "input.parquet")
    log.info("fetched %d observations of %d series", len(df), len(counts))
    return {"rows": len(df), "series": len(counts)}


def _code_violations(df: pd.DataFrame, structure: Any) -> list[str]:
    out = []
    for dim in structure.dimensions:
        if dim.id not in df.columns or dim.codes.empty:
            continue
        unknown = sorted(set(df[dim.id].astype(str)) - set(dim.codes["id"].astype(str)))
        out += [f"{dim.id} {code!r} is not a code of {dim.codelist or dim.id}" for code in unknown]
    return out


def _change_violations(df: pd.DataFrame, dims: list[str], max_change: float) -> list[str]:
    out = []
    ordered = df.sort_values([*dims, "TIME_PERIOD"])
    for key, rows in ordered.groupby(dims, sort=True, observed=True):
        values = rows["OBS_VALUE"].astype(float).to_numpy()
        periods = rows["TIME_PERIOD"].astype(str).to_numpy()
        change = values[1:] / values[:-1] - 1
        for i in np.flatnonzero(np.abs(change) > max_change):
            series = ".".join(str(k) for k in (key if isinstance(key, tuple) else (key,)))
            out.append(
                f"series {series} moves from {values[i]:g} in {periods[i]} to {values[i + 1]:g} in "
                f"{periods[i + 1]} ({change[i]:+.1%})"
            )
    return out


@step(f"{PROCESS}_validate")
def validate(config: dict[str, Any], task: Task, **_: object) -> dict:
    """Check the input's codes against the structure and each series' changes against the threshold."""
    df = _staged(_run_folder(config, task) / "input.parquet")
    source, flow = config["source"], config["flow"]
    max_change = float(config["max_change"])
    structure = dataops.structure(source, flow)
    dims = [d.id for d in structure.dimensions if d.id in df.columns]
    log.info(
        "validating %d observations against %s and a %.0f%% threshold",
        len(df),
        structure.id,
        max_change * 100,
    )
    codes = _code_violations(df, structure)
    changes = _change_violations(df, dims, max_change)
    for violation in codes + changes:
        log.warning("rejected: %s", violation)
    if codes or changes:
        found = codes + changes
        more = f" (and {len(found) - SHOWN} more)" if len(found) > SHOWN else ""
        rules = [f"every code in its codelist in {structure.id}"] if codes else []
        rules += [f"the largest change {task.config_version} allows is {max_change:.0%}"] if changes else []
        rule = "; ".join(rules)
        sentence = f"The input of {flow} is rejected: {'; '.join(found[:SHOWN])}{more} ({rule})."
        raise BpmnError("VALIDATION_FAILED", sentence, {"rejection": sentence})
    log.info("all %d observations pass", len(df))
    return {"checked": len(df)}


@step(f"{PROCESS}_aggregate")
def aggregate(config: dict[str, Any], task: Task, frequency: str = "M", **_: object) -> dict:
    """The weighted geometric mean of the bilateral rates, as an index equal to 100 in the base period."""
    folder = _run_folder(config, task)
    df = _staged(folder / "input.parquet")
    weights = {c: float(w) for c, w in config["weights"].items()}
    rates = df.pivot_table(index="TIME_PERIOD", columns="CURRENCY", values="OBS_VALUE", aggfunc="first")
    present = [c for c in weights if c in rates.columns]
    missing = [c for c in weights if c not in rates.columns]
    if not present:
        raise ValueError(f"The input holds none of the weighted currencies ({', '.join(weights)}).")
    if missing:
        log.warning(
            "%s: no observations in the input; the aggregate weighs %s alone",
            ", ".join(missing),
            ", ".join(present),
        )
    rates = rates[present].dropna()
    base = config["base_period"]
    if base not in rates.index:
        raise ValueError(f"The base period {base} is not among the periods all of {', '.join(present)} have.")
    total = sum(weights[c] for c in present)
    logs = sum((weights[c] / total) * np.log(rates[c] / rates.loc[base, c]) for c in present)
    index = (100 * np.exp(logs)).round(int(config.get("decimals", 4)))
    statuses = df.pivot_table(index="TIME_PERIOD", columns="CURRENCY", values="OBS_STATUS", aggfunc="first")
    out = pd.DataFrame({"TIME_PERIOD": index.index.astype(str), "OBS_VALUE": index.to_numpy()})
    for dim, code in {"FREQ": frequency, **config["aggregate_key"]}.items():
        out[dim] = code
    # An aggregate is as final as its least final input: any status other than A makes it provisional.
    final = statuses.loc[index.index, present].eq("A").all(axis=1).to_numpy()
    out["OBS_STATUS"] = np.where(final, "A", "P")
    for attribute, value in config.get("aggregate_attributes", {}).items():
        out[attribute] = value
    _stage(out, folder / "aggregate.parquet")
    output = dataops.structure(config["store"], config["store_flow"])
    series = ".".join(str(out[d.id].iloc[0]) for d in output.dimensions)
    log.info("aggregate %s: %d periods from %s, %s = 100", series, len(out), ", ".join(present), base)
    return {"aggregate_series": series, "aggregate_rows": len(out)}


@step(f"{PROCESS}_report")
def report(config: dict[str, Any], task: Task, **_: object) -> None:
    """Sum the aggregate up in the log; its summary line is coloured (ANSI)."""
    out = _staged(_run_folder(config, task) / "aggregate.parquet")
    for row in out.tail(3).itertuples():
        log.info("index %s: %s", row.TIME_PERIOD, row.OBS_VALUE)
    last = out.iloc[-1]
    print(
        f"\x1b[32mreport ready\x1b[0m: \x1b[1m{len(out)} periods\x1b[0m, last {last.TIME_PERIOD} = {last.OBS_VALUE}"
    )


def _rest_path(source: str, agency: str, flow: str, version: str, key: str, committed_at: str) -> str:
    """The SDMX REST 2.x path of ``key`` as it was when the vintage was committed (``asOf``)."""
    where = "/".join(quote(part, safe="") for part in (agency, flow, version))
    return f"dataops/sdmx/{quote(source, safe='')}/data/dataflow/{where}/{key}?asOf={quote(committed_at, safe=':')}"


def _tagged(source: str, flow: str, tag: str) -> tuple[str, str, int] | None:
    """The snapshot id, commit time and rows written of the vintage named ``tag``, or None."""
    earlier = dataops.vintages(source, flow)
    mine = earlier[earlier["tags"].apply(lambda tags: tag in list(tags))]
    if not len(mine):
        return None
    last = mine.iloc[-1]
    return str(last["snapshot_id"]), str(last["committed_at"]), int(last["rows_written"])


@step(f"{PROCESS}_disseminate")
def disseminate(
    config: dict[str, Any], task: Task, aggregate_series: str, dry_run: bool = False, **_: object
) -> dict:
    """Write the aggregate as one vintage tagged ``run <run id>``; the ``vintage`` variable names it."""
    source, flow = config["store"], config["store_flow"]
    folder, tag = _run_folder(config, task), f"run {task.run_id}"
    if dry_run:
        log.info("dry run: nothing is written to %s of %s", flow, source)
        shutil.rmtree(folder, ignore_errors=True)
        return {}
    found = _tagged(source, flow, tag)
    if found:
        # An earlier attempt committed and failed to report back: its vintage stands, none is added.
        log.info("vintage %r was written by an earlier attempt of this step; it stands", tag)
    else:
        message = (
            f"{PROCESS} run {task.run_id} ({task.business_key or 'no business key'}), {task.config_version}"
        )
        try:
            out = _staged(folder / "aggregate.parquet")
            log.info(
                "disseminating %s: %d observations of %s to %s", flow, len(out), aggregate_series, source
            )
            result = dataops.write(source, flow, out, vintage=tag, message=message)
            found = str(result.snapshot_id), str(result.committed_at), result.rows
        except (FileNotFoundError, InvalidInput, Conflict):
            # Another attempt running at once (its lock expired mid-write) committed the tag first, and
            # may have cleared the run's folder: its vintage is this run's, so this attempt returns it
            # rather than failing on the name.
            found = _tagged(source, flow, tag)
            if not found:
                raise
            log.info("vintage %r was committed by another attempt running at once; it stands", tag)
    snapshot, committed_at, rows = found
    structure = dataops.structure(source, flow)
    vintage = {
        "source": source,
        "flow": flow,
        "agency": structure.agency,
        "version": structure.version,
        "key": aggregate_series,
        "snapshot_id": snapshot,
        "tag": tag,
        "committed_at": committed_at,
        "rows": rows,
        "rest_path": _rest_path(
            source, structure.agency, flow, structure.version, aggregate_series, committed_at
        ),
    }
    log.info(
        "vintage %r of %s %s: %d observations, served at %s", tag, source, flow, rows, vintage["rest_path"]
    )
    shutil.rmtree(folder, ignore_errors=True)
    return {"vintage": vintage}


@step(f"{PROCESS}_quarantine")
def quarantine(config: dict[str, Any], task: Task, rejection: str = "", **_: object) -> dict:
    """Keep the rejected input aside, beside the reason, for someone to look at."""
    folder = _run_folder(config, task)
    kept = folder.parent / "quarantine" / task.run_id
    if folder.exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(kept, ignore_errors=True)
        os.replace(folder, kept)
    if kept.exists():
        (kept / "rejection.txt").write_text(rejection + "\n")
    log.info("input quarantined in %s: %s", kept, rejection)
    return {"quarantined": str(kept)}
