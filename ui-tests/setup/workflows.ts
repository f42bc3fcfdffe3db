/**
 * Playwright global setup of the Workflows tests: the real engine (scripts/engine.sh, on the
 * port `dataops-test-config.toml` names) with the sample processes, and two step workers
 * (`dataops worker`) running `examples/steps/` — two, so a long run being cancelled does not
 * hold up the others. The sample production steps read the SAMPLES files source that
 * setup/data.ts lays out and write their vintages to the server's store (`WORKER_CONFIG` names
 * the same catalog and structures as `dataops-test-config.toml`), so the run view's link opens
 * the vintage in the Data panel; they write to the dataflow EXR_E5 (the processes' settings are
 * copied into a deployment folder of this run, `DEPLOY`, with that `store_flow`), so the three
 * vintages of EXR the store tests expect stay three. The workers stop afterwards; the engine stops with the last test run
 * using it (runs started in parallel by other engineers share it: each one registers in
 * `users/` and the last to finish stops it).
 *
 * An engine already answering there (another test run, started in parallel) is reused, and
 * its database is kept: the tests tell their runs apart by business key and compare
 * definition versions with the version before, so earlier runs do not disturb them.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'fs';
import * as path from 'path';

import { FILES_SOURCE } from './data';
import { PRODUCTION_FLOW, STORE_FOLDER, STORE_STRUCTURES } from './store';

export const ENGINE_PORT = 18431;
export const ENGINE_URL = `http://127.0.0.1:${ENGINE_PORT}/engine-rest`;
/** Shared by the workers and the server (`[workflows] log_dir` in the test config). */
export const WORK_DIR = '/tmp/dataops-ui-tests/workflows';
export const LOG_DIR = '/tmp/dataops-ui-tests/workflow-logs';
/** The file whose presence "fixes" the failing step (see examples/steps/demo_cases.py). */
export const CALENDAR_OPEN = path.join(WORK_DIR, 'calendar-open');
/** This run's deployment folder: the sample steps, and the processes with their settings. */
const DEPLOY = path.join(WORK_DIR, 'deploy', String(process.pid));
/**
 * The workers' dataops configuration: the sources the sample production steps read and write. In
 * this run's folder: a worker of another run started in parallel must not read it.
 */
export const WORKER_CONFIG = path.join(DEPLOY, 'worker-config.toml');
const ROOT = path.resolve(__dirname, '..', '..');
const ENGINE_DATA = path.join(WORK_DIR, 'engine');

function engine(command: 'start' | 'stop' | 'status'): string {
  return execFileSync(
    path.join(ROOT, 'scripts', 'engine.sh'),
    [command, '--port', String(ENGINE_PORT), '--data', ENGINE_DATA],
    {
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 300_000
    }
  ).trim();
}

function answers(): boolean {
  try {
    engine('status');
    return true;
  } catch {
    return false;
  }
}

function startWorker(id: string): ChildProcess {
  const child = spawn(
    path.join(ROOT, '.venv', 'bin', 'dataops'),
    [
      'worker',
      '--steps',
      path.join(DEPLOY, 'steps'),
      '--engine-url',
      ENGINE_URL,
      '--log-dir',
      LOG_DIR,
      '--worker-id',
      id,
      '--retries',
      '0',
      '--long-poll',
      '1',
      '--shutdown-grace',
      '2'
    ],
    {
      env: {
        ...process.env,
        PYTHONPATH: ROOT,
        DATAOPS_SAMPLE_FIXES: WORK_DIR,
        DATAOPS_SYSTEM_CONFIG: WORKER_CONFIG
      },
      stdio: ['ignore', 'inherit', 'inherit']
    }
  );
  child.on('exit', code => {
    if (code) {
      console.error(`workflows setup: worker ${id} exited with code ${code}`);
    }
  });
  return child;
}

/** `DEPLOY`: the steps as they are, the processes with the production writing to `PRODUCTION_FLOW`. */
function layOutDeployment(): void {
  rmSync(DEPLOY, { recursive: true, force: true });
  mkdirSync(path.join(DEPLOY, 'processes'), { recursive: true });
  // A folder of its own (the worker resolves the steps folder, then looks beside it for processes/).
  mkdirSync(path.join(DEPLOY, 'steps'));
  const steps = path.join(ROOT, 'examples', 'steps');
  for (const name of readdirSync(steps)) {
    symlinkSync(path.join(steps, name), path.join(DEPLOY, 'steps', name));
  }
  const processes = path.join(ROOT, 'processes');
  for (const name of readdirSync(processes)) {
    const target = path.join(DEPLOY, 'processes', name);
    if (name === 'sdmx_production.toml') {
      const settings = readFileSync(path.join(processes, name), 'utf-8');
      const moved = settings.replace(
        /^store_flow = "EXR"$/m,
        `store_flow = "${PRODUCTION_FLOW}"`
      );
      if (moved === settings) {
        throw new Error(`${name} no longer says store_flow = "EXR"`);
      }
      writeFileSync(target, moved);
    } else {
      symlinkSync(path.join(processes, name), target);
    }
  }
}

const USERS = path.join(WORK_DIR, 'users');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Other test runs (process ids) still using the engine. */
function otherUsers(): number[] {
  return readdirSync(USERS)
    .map(Number)
    .filter(pid => pid !== process.pid && alive(pid));
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  mkdirSync(USERS, { recursive: true });
  const me = path.join(USERS, String(process.pid));
  writeFileSync(me, '');
  rmSync(CALENDAR_OPEN, { force: true });
  layOutDeployment();
  writeFileSync(
    WORKER_CONFIG,
    [
      '[[sources]]',
      'id = "SAMPLES"',
      'name = "SDMX sample messages"',
      `url = "${FILES_SOURCE}"`,
      'api = "files"',
      '',
      '[[sources]]',
      'id = "STORE"',
      'name = "Series store"',
      'api = "store"',
      `structures = "${STORE_STRUCTURES}"`,
      '',
      '[store]',
      `uri = "sqlite:///${path.join(STORE_FOLDER, 'catalog.db')}"`,
      `warehouse = "${path.join(STORE_FOLDER, 'warehouse')}"`,
      'buckets = 4',
      ''
    ].join('\n')
  );
  if (!answers()) {
    engine('start'); // waits for one that is still starting, else builds if needed and starts
  }
  const workers = [startWorker('ui-worker-1'), startWorker('ui-worker-2')];
  return async () => {
    await Promise.all(
      workers.map(
        w =>
          new Promise<void>(resolve => {
            if (w.exitCode !== null) {
              resolve();
              return;
            }
            w.once('exit', () => resolve());
            w.kill('SIGTERM');
          })
      )
    );
    rmSync(me, { force: true });
    rmSync(DEPLOY, { recursive: true, force: true });
    if (otherUsers().length === 0) {
      engine('stop');
    }
  };
}
