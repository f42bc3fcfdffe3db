/**
 * Playwright global setup of the metadata tests: the "test" environment of
 * `dataops-test-config.toml` is a plain git repository (`deploy-test.git`) whose deploy/test
 * branch holds ECB EXR's structures (one SDMX-ML 3.0 file per artefact, split from
 * ../shared/sdmx-samples/ECB_EXR/1/structure-full.xml), and a post-receive hook checks each push
 * out into `deploy-test/`, the folder the `ORG_TEST` metadata source serves. `metadata-seed/` keeps
 * the same files for the tests to upload into the working copy.
 */
import { execFileSync } from 'child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';

export const STATE_DIR = '/tmp/dataops-ui-tests';
export const SEED = path.join(STATE_DIR, 'metadata-seed');
const BARE = path.join(STATE_DIR, 'deploy-test.git');
const SERVED = path.join(STATE_DIR, 'deploy-test');
const SAMPLE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'sdmx-samples',
  'ECB_EXR',
  '1',
  'structure-full.xml'
);

const STORE = path.join(STATE_DIR, 'metadata-store');
const CONFIG = path.resolve(__dirname, '..', 'dataops-metadata-config.toml');
const DATA = path.join(path.dirname(SAMPLE), 'M.USD.EUR.SP00.A.xml');

/** ECB's USD series and the same series for GBP, written to the store STORE_TEST. */
const WRITE_SERIES = `
import sys, pandas as pd, dataops
from dataops.metadata import Registry
from dataops.sdmx.readers import read_data
_, dsd = Registry.open(sys.argv[1]).structure_for("ECB:EXR")
usd = read_data(sys.argv[2], dsd).to_pandas().astype({"CURRENCY": str})
dataops.write("STORE_TEST", "ECB:EXR", pd.concat([usd, usd.assign(CURRENCY="GBP")], ignore_index=True))
`;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore' });
}

export default async function globalSetup(): Promise<void> {
  for (const dir of [SEED, BARE, SERVED, STORE]) {
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(SERVED, { recursive: true });
  const python = path.resolve(__dirname, '..', '..', '.venv', 'bin', 'python');
  execFileSync(python, [
    '-c',
    'import sys; from dataops.metadata import import_message; import_message(sys.argv[1], sys.argv[2])',
    SEED,
    SAMPLE
  ]);
  git(STATE_DIR, 'init', '-q', '--bare', BARE);
  const hook = path.join(BARE, 'hooks', 'post-receive');
  writeFileSync(
    hook,
    `#!/bin/sh\nexport GIT_DIR="${BARE}"\ngit --work-tree="${SERVED}" checkout -f deploy/test -- . 2>/dev/null || true\n`
  );
  chmodSync(hook, 0o755);
  git(SEED, 'init', '-q', '-b', 'deploy/test');
  git(SEED, 'add', 'metadata');
  git(
    SEED,
    '-c',
    'user.name=Setup',
    '-c',
    'user.email=setup@example.org',
    'commit',
    '-q',
    '-m',
    'ECB EXR structures'
  );
  git(SEED, 'push', '-q', BARE, 'deploy/test');
  execFileSync(python, ['-c', WRITE_SERIES, SERVED, DATA], {
    env: { ...process.env, DATAOPS_SYSTEM_CONFIG: CONFIG }
  });
  rmSync(path.join(SEED, '.git'), { recursive: true, force: true });
}
