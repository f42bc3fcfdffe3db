/**
 * Playwright global setup of the Data panel's tests: start the local SDMX provider
 * (`sdmx_provider.py`) on the port that `dataops-test-config.toml` names.
 *
 * Every Galata run (several may run at once) shares that one provider: each run
 * registers itself, and the last run to finish stops it, so no run loses the
 * provider while another one still uses it.
 */
import { spawn } from 'child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

export const SDMX_TEST_PORT = 18790;

/** The shared SDMX samples (absent outside the project's workspace: the Data tests then skip). */
export const SAMPLES = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'sdmx-samples'
);

const PROBE = `http://127.0.0.1:${SDMX_TEST_PORT}/ecb/dataflow/all/all/latest`;
const REGISTRY = path.join(tmpdir(), `dataops-sdmx-provider-${SDMX_TEST_PORT}`);
const PROVIDER_PID = path.join(REGISTRY, 'provider.pid');

async function answers(): Promise<boolean> {
  try {
    return (await fetch(PROBE)).ok;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Start the provider, detached so that it can outlive this run while others use it. */
async function start(): Promise<void> {
  const python = path.resolve(__dirname, '..', '..', '.venv', 'bin', 'python');
  const script = path.join(__dirname, 'sdmx_provider.py');
  const child = spawn(python, [script, '--port', String(SDMX_TEST_PORT)], {
    detached: true,
    stdio: 'ignore'
  });
  child.unref();
  writeFileSync(PROVIDER_PID, String(child.pid));
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await answers()) {
      return;
    }
    if (!alive(child.pid!)) {
      throw new Error(
        'The SDMX test provider exited; run ui-tests/setup/sdmx_provider.py to see why.'
      );
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`The SDMX test provider does not answer at ${PROBE}.`);
}

/** The SAMPLES files source (one folder per dataflow) that the Launcher's first example reads. */
export const FILES_SOURCE = '/tmp/dataops-ui-tests/sdmx-files';

function layOutFilesSource(): void {
  const exr = path.join(FILES_SOURCE, 'EXR');
  if (existsSync(path.join(exr, 'M.USD.EUR.SP00.A.xml'))) {
    return; // laid out by another run, which may be reading it now
  }
  mkdirSync(exr, { recursive: true });
  const ecb = path.join(SAMPLES, 'ECB_EXR', '1');
  symlinkSync(
    path.join(ecb, 'structure-full.xml'),
    path.join(exr, 'structure.xml')
  );
  symlinkSync(
    path.join(ecb, 'M.USD.EUR.SP00.A.xml'),
    path.join(exr, 'M.USD.EUR.SP00.A.xml')
  );
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(SAMPLES)) {
    return async () => undefined;
  }
  layOutFilesSource();
  mkdirSync(REGISTRY, { recursive: true });
  const me = path.join(REGISTRY, `run-${process.pid}`);
  writeFileSync(me, '');
  if (!(await answers())) {
    await start();
  }
  return async () => {
    rmSync(me, { force: true });
    const others = readdirSync(REGISTRY)
      .filter(name => name.startsWith('run-'))
      .filter(name => alive(Number(name.slice(4))));
    if (others.length === 0 && existsSync(PROVIDER_PID)) {
      const pid = Number(readFileSync(PROVIDER_PID, 'utf8'));
      if (alive(pid)) {
        process.kill(pid);
      }
      rmSync(PROVIDER_PID, { force: true });
    }
  };
}
