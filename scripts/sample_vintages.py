"""Write a sample store: three vintages of the ECB's monthly USD/EUR rate into the source STORE.

Run by the demo's first start (scripts/demo_seed.py) and by the UI tests' setup (ui-tests/setup/store.ts)
before JupyterLab starts, with their dataops configuration (``DATAOPS_SYSTEM_CONFIG``), whose
``[store]`` section names the catalog and warehouse under the folder given as argument. A store that already holds the three vintages (its ``written`` mark) is kept as it is (runs
from several worktrees may share it); anything else there is emptied and written again.

The series is the real ECB message (1999-01..2019-12, in the shared SDMX samples); the vintages
replay how a monthly release grows and revises its last months:
- "2019-10 release": up to 2019-10, with 2019-09 and 2019-10 as first published (0.5% lower);
- "2019-11 release": 2019-10 revised to its final value, 2019-11 added;
- the latest, unnamed: 2019-09 revised too, 2019-12 added.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd

import dataops

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "sdmx-samples" / "ECB_EXR" / "1"
KEY = "M.USD.EUR.SP00.A"


def main(folder: Path) -> None:
    """Write the three vintages of EXR into ``folder`` unless they are there already."""
    done = folder / "written"
    if done.exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    final = dataops.read_file(SAMPLES / f"{KEY}.xml", structure=SAMPLES / "structure-full.xml")
    upto = final["TIME_PERIOD"].astype(str)

    def first_published(frame: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
        """``frame`` with the values of ``periods`` as first published, 0.5% lower."""
        out = frame.copy()
        picked = out["TIME_PERIOD"].astype(str).isin(periods)
        out.loc[picked, "OBS_VALUE"] = (out.loc[picked, "OBS_VALUE"] * 0.995).round(4)
        return out

    october = first_published(final[upto <= "2019-10"], ["2019-09", "2019-10"])
    dataops.write("STORE", "EXR", october, vintage="2019-10 release", message="October release")
    november = first_published(final[upto <= "2019-11"], ["2019-09"])
    dataops.write("STORE", "EXR", november, vintage="2019-11 release", message="November release")
    dataops.write("STORE", "EXR", final, message="December release")
    done.write_text("3 vintages of ECB:EXR " + KEY + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
