import { LabIcon } from '@jupyterlab/ui-components';

import dataSvg from '../style/icons/data.svg';
import deploySvg from '../style/icons/deploy.svg';
import workflowsSvg from '../style/icons/workflows.svg';

export const dataIcon = new LabIcon({
  name: 'jupyterlab-dataops:data',
  svgstr: dataSvg
});

export const workflowsIcon = new LabIcon({
  name: 'jupyterlab-dataops:workflows',
  svgstr: workflowsSvg
});

export const deployIcon = new LabIcon({
  name: 'jupyterlab-dataops:deploy',
  svgstr: deploySvg
});
