/**
 * Playwright global setup of the store's tests: write the series store that
 * `dataops-test-config.toml` names as the source STORE (three vintages of the ECB's
 * USD/EUR rate, `scripts/sample_vintages.py`), before JupyterLab starts. STORE's structures
 * (`STORE_STRUCTURES`) hold EXR and EXR_E5, the same structure under another dataflow: the sample
 * production run by the workflow tests writes its aggregate there, into this same store, so the
 * store tests' EXR keeps its three vintages.
 *
 * The script runs with this worktree's `dataops` (PYTHONPATH) and the UI tests'
 * configuration; it leaves a store that already holds the three vintages as it is.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';

import { SAMPLES } from './data';

/** The store's catalog and warehouse (as in `dataops-test-config.toml`). */
export const STORE_FOLDER = '/tmp/dataops-ui-tests/store';
/** The structure messages of the source STORE (as in `dataops-test-config.toml`). */
export const STORE_STRUCTURES = '/tmp/dataops-ui-tests/store-structures';
/** The dataflow the sample production writes to in the tests (processes copied by setup/workflows.ts). */
export const PRODUCTION_FLOW = 'EXR_E5';

/** EXR's structure message, and a copy whose dataflow is `PRODUCTION_FLOW` (same structure). */
function layOutStructures(samples: string): void {
  mkdirSync(STORE_STRUCTURES, { recursive: true });
  const full = readFileSync(
    path.join(samples, 'ECB_EXR', '1', 'structure-full.xml'),
    'utf-8'
  );
  // Another run may be reading them: each file is written once.
  const write = (name: string, text: string) => {
    if (!existsSync(path.join(STORE_STRUCTURES, name))) {
      writeFileSync(path.join(STORE_STRUCTURES, name), text);
    }
  };
  write('exr.xml', full);
  const production = full
    .replace('Dataflow=ECB:EXR(1.0)', `Dataflow=ECB:${PRODUCTION_FLOW}(1.0)`)
    .replace(
      'agencyID="ECB" id="EXR" isFinal',
      `agencyID="ECB" id="${PRODUCTION_FLOW}" isFinal`
    )
    .replace(
      '<com:Name xml:lang="en">Exchange Rates</com:Name>',
      '<com:Name xml:lang="en">Effective exchange rates (sample production)</com:Name>'
    );
  write('production.xml', production);
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(SAMPLES)) {
    return;
  }
  layOutStructures(SAMPLES);
  const here = path.resolve(__dirname, '..');
  const root = path.resolve(here, '..');
  const python = path.join(root, '.venv', 'bin', 'python');
  const result = spawnSync(
    python,
    [
      path.join(__dirname, '..', '..', 'scripts', 'sample_vintages.py'),
      STORE_FOLDER
    ],
    {
      cwd: here,
      encoding: 'utf8',
      env: {
        ...process.env,
        PYTHONPATH: [root, process.env.PYTHONPATH].filter(p => p).join(':'),
        DATAOPS_SYSTEM_CONFIG:
          process.env.DATAOPS_SYSTEM_CONFIG ??
          path.join(here, 'dataops-test-config.toml'),
        XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? path.join(here, '.xdg')
      }
    }
  );
  if (result.status !== 0) {
    throw new Error(
      `Writing the test store failed (scripts/sample_vintages.py):\n${result.stderr}`
    );
  }
}
