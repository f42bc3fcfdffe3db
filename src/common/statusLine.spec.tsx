import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

import { IStatusReply } from '../api/status';
import { StatusLine } from './components/StatusLine';

const trans = nullTranslator.load('jupyterlab');
const INSTALL =
  "Compiled SDMX scanner not installed: data is read by the slower paths pyarrow-csv-halves, pyarrow-xml. Install it with `pip install 'jupyterlab-dataops[fast]'` (or `pip install 'dataops-core[fast]'` without JupyterLab).";

function reply(readers: IStatusReply['readers']): IStatusReply {
  return {
    version: '0.1.0',
    capabilities: {
      data: { configured: true, summary: '3 data sources configured' },
      workflows: { configured: true, summary: 'Workflow engine at x' },
      promotion: { configured: true, summary: '1 environment: dev' }
    },
    rights: { mode: 'single-user', summary: 'single-user mode' },
    readers
  };
}

function render(r: IStatusReply, capability: 'data' | 'workflows'): string {
  return renderToStaticMarkup(
    <StatusLine
      state={{ kind: 'ready', reply: r }}
      capability={capability}
      trans={trans}
    />
  );
}

describe('the status line says whether the compiled SDMX scanner reads data', () => {
  it('tells the Data panel how to install it where it is missing', () => {
    const html = render(
      reply({ compiled: false, version: null, summary: INSTALL }),
      'data'
    );
    expect(html).toContain('class="jp-DataOps-readers" data-compiled="no"');
    expect(html).toContain(
      'Install it with `pip install &#x27;jupyterlab-dataops[fast]&#x27;`'
    );
  });

  it('names its version where it is in use, in the Data panel only', () => {
    const r = reply({
      compiled: true,
      version: '0.1.0',
      summary:
        'Compiled SDMX scanner 0.1.0 in use: read paths native-csv, native-xml'
    });
    expect(render(r, 'data')).toContain(
      '<div class="jp-DataOps-readers" data-compiled="yes">Compiled SDMX scanner 0.1.0 in use'
    );
    expect(render(r, 'workflows')).not.toContain('jp-DataOps-readers');
  });

  it('shows no line for a server that does not report it', () => {
    expect(render(reply(undefined), 'data')).not.toContain(
      'jp-DataOps-readers'
    );
  });
});
