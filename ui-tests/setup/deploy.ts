/**
 * Playwright global setup of the Deploy tests: start the spec-checked GitLab fake
 * (`deploy_gitlab.py`) on the port that `dataops-test-config.toml` names, with its token in
 * the file that configuration names. The teardown stops it and fails the run if any request
 * or answer broke GitLab's OpenAPI contract. A fake already answering there is reused.
 */
import { spawn } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

export const GITLAB_PORT = 18795;
export const GITLAB_URL = `http://127.0.0.1:${GITLAB_PORT}`;
/** Where `dataops-test-config.toml` tells the server to read the GitLab token. */
export const STATE_DIR = '/tmp/dataops-ui-tests';

/** GitLab's OpenAPI subset (absent outside the project's workspace: the Deploy tests then skip). */
export const GITLAB_SPEC = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'gitlab-openapi',
  'openapi-v3-subset.yaml'
);

async function answers(): Promise<boolean> {
  try {
    // any answer (401 without a token) means a fake is listening
    return (await fetch(`${GITLAB_URL}/api/v4/projects/1`)).status > 0;
  } catch {
    return false;
  }
}

const PORT_TAKEN = 3;

async function waitUntilAnswering(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await answers()) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(`Nothing answers at ${GITLAB_URL}, yet its port is taken.`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(GITLAB_SPEC) || (await answers())) {
    return async () => undefined;
  }
  mkdirSync(STATE_DIR, { recursive: true });
  // a new fake starts with empty repositories: an older audit trail would name commits it never had
  rmSync(path.join(STATE_DIR, 'promotion-audit.jsonl'), { force: true });
  const here = __dirname;
  const python = path.resolve(here, '..', '..', '.venv', 'bin', 'python');
  const child = spawn(
    python,
    [
      path.join(here, 'deploy_gitlab.py'),
      '--port',
      String(GITLAB_PORT),
      '--workdir',
      mkdtempSync(path.join(tmpdir(), 'dataops-gitlab-')),
      '--token-file',
      path.join(STATE_DIR, 'gitlab-token')
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  let output = '';
  const started = await new Promise<boolean>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', code =>
      code === PORT_TAKEN
        ? resolve(false)
        : reject(new Error(`The GitLab fake exited (code ${code}).`))
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) {
        resolve(true);
      }
    });
  });
  if (!started) {
    // another run started its fake at the same moment: use that one once it answers
    await waitUntilAnswering();
    return async () => undefined;
  }
  child.removeAllListeners('exit');
  return async () => {
    const exited = new Promise<number | null>(resolve =>
      child.once('exit', code => resolve(code))
    );
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) {
      throw new Error(
        `The GitLab fake saw requests or answers outside GitLab's spec: ${output.split('violations ')[1] ?? output}`
      );
    }
  };
}
