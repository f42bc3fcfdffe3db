import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { Capability, GUARDED } from '../../api/status';
import { StatusState } from '../statusModel';

/** Props of `StatusLine`. */
export interface IStatusLineProps {
  state: StatusState;
  capability: Capability;
  trans: TranslationBundle;
}

/** The one-line status at the top of a panel, from the server extension. */
export function StatusLine(props: IStatusLineProps): JSX.Element {
  const { state, capability, trans } = props;
  if (state.kind === 'loading') {
    return (
      <div className="jp-DataOps-status" data-state="loading" role="status">
        {trans.__('Checking the server…')}
      </div>
    );
  }
  if (state.kind === 'failed') {
    return (
      <div className="jp-DataOps-status" data-state="error" role="status">
        {state.error.isServerMissing
          ? trans.__('Server extension unavailable')
          : trans.__('Status unavailable')}
      </div>
    );
  }
  const status = state.reply.capabilities[capability];
  const rights = GUARDED.includes(capability) ? state.reply.rights : undefined;
  const readers = capability === 'data' ? state.reply.readers : undefined;
  return (
    <>
      <div
        className="jp-DataOps-status"
        data-state={status.configured ? 'ok' : 'unconfigured'}
        role="status"
      >
        {status.summary}
      </div>
      {rights && (
        // So nobody mistakes one person's server for the JupyterHub setup where rights hold.
        <div className="jp-DataOps-rights" data-mode={rights.mode}>
          {rights.summary}
        </div>
      )}
      {readers && (
        // So a slow read is explained: the compiled scanner is missing, and how to get it.
        <div
          className="jp-DataOps-readers"
          data-compiled={readers.compiled ? 'yes' : 'no'}
        >
          {readers.summary}
        </div>
      )}
    </>
  );
}
