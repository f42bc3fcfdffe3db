import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { RunStatus } from '../api';

/** The user's word for a run status (an incident is a failed run). */
export function statusLabel(
  status: RunStatus,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'running':
      return trans.__('Running');
    case 'incident':
      return trans.__('Failed');
    case 'completed':
      return trans.__('Completed');
    case 'cancelled':
      return trans.__('Cancelled');
    case 'suspended':
      return trans.__('Suspended');
  }
  return status;
}

/** A small coloured status label. */
export function StatusChip(props: {
  status: RunStatus;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <span className="jp-DataOps-wf-chip" data-status={props.status}>
      {statusLabel(props.status, props.trans)}
    </span>
  );
}

/** A timestamp in the user's locale, or '' when missing. */
export function formatTime(ts: string | null | undefined): string {
  if (!ts) {
    return '';
  }
  const d = new Date(ts);
  return isNaN(d.getTime()) ? ts : d.toLocaleString();
}
