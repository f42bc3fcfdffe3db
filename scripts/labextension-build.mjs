// Builds the prebuilt labextension offline: `jupyter labextension build` with --core-path set
// to the staging folder of the installed jupyterlab, so @jupyterlab/builder needs no network lookup.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';

const python =
  process.env.PYTHON || (existsSync('.venv/bin/python') ? '.venv/bin/python' : 'python3');
const [staging, binDir] = execFileSync(python, [
  '-c',
  'import jupyterlab, os, sys; print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging")); print(os.path.dirname(sys.executable))'
])
  .toString()
  .trim()
  .split('\n');
const args = ['-m', 'jupyterlab.labextensions', 'build', '.', '--core-path', staging];
if (process.argv.includes('--development')) {
  args.push('--development', 'True', '--source-map', 'True');
}
// `jupyter labextension build` runs `jupyter-builder` from PATH: use the one beside this Python.
const env = { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH}` };
execFileSync(python, args, { stdio: 'inherit', env });
