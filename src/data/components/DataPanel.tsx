import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { CapabilityPanel } from '../../common/components/CapabilityPanel';
import { StatusModel } from '../../common/statusModel';

/** Props of `DataPanel`. */
export interface IDataPanelProps {
  status: StatusModel;
  trans: TranslationBundle;
}

/** Content of the Data sidebar panel. */
export function DataPanel(props: IDataPanelProps): JSX.Element {
  const { status, trans } = props;
  return (
    <CapabilityPanel model={status} capability="data" trans={trans}>
      {() => (
        <p className="jp-DataOps-intro">
          {trans.__(
            'Browse SDMX data sources, pick a dataflow and a series key, preview it and insert the code that reads it into your notebook.'
          )}
        </p>
      )}
    </CapabilityPanel>
  );
}
