import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { corePlugin } from './core/plugin';
import { dataPlugin } from './data/plugin';
import { deployPlugin } from './deploy/plugin';
import { guidePlugin } from './guide/plugin';
import { metadataPlugin } from './metadata/plugin';
import { workflowsPlugin } from './workflows/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  corePlugin,
  dataPlugin,
  workflowsPlugin,
  deployPlugin,
  guidePlugin,
  metadataPlugin
];

export default plugins;
