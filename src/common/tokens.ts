import { Token } from '@lumino/coreutils';

import { StatusModel } from './statusModel';

/** The shared status of the dataops server extension, provided by the core plugin. */
export const IDataOpsStatus = new Token<StatusModel>(
  'jupyterlab-dataops:IDataOpsStatus',
  'Status of the dataops server extension and its capabilities.'
);
