import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { corePlugin } from './core/plugin';
import { dataPlugin } from './data/plugin';
import { deployPlugin } from './deploy/plugin';
import { workflowsPlugin } from './workflows/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  corePlugin,
  dataPlugin,
  workflowsPlugin,
  deployPlugin
];

export default plugins;
