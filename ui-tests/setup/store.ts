/**
 * Playwright global setup of the store's tests: write the series store that
 * `dataops-test-config.toml` names as the source STORE (three vintages of the ECB's
 * USD/EUR rate, `scripts/sample_vintages.py`), before JupyterLab starts.
 *
 * The script runs with this worktree's `dataops` (PYTHONPATH) and the UI tests'
 * configuration; it leaves a store that already holds the three vintages as it is.
 */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';

import { SAMPLES } from './data';

/** The store's catalog and warehouse (as in `dataops-test-config.toml`). */
export const STORE_FOLDER = '/tmp/dataops-ui-tests/store';

export default async function globalSetup(): Promise<void> {
  if (!existsSync(SAMPLES)) {
    return;
  }
  const here = path.resolve(__dirname, '..');
  const root = path.resolve(here, '..');
  const python = path.join(root, '.venv', 'bin', 'python');
  const result = spawnSync(
    python,
    [path.join(__dirname, '..', '..', 'scripts', 'sample_vintages.py'), STORE_FOLDER],
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
