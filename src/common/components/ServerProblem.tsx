import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataOpsApiError } from '../../api/client';

/** Props of `ServerProblem`. */
export interface IServerProblemProps {
  error: DataOpsApiError;
  onRetry: () => void;
  trans: TranslationBundle;
}

/** Explains why a panel cannot talk to the server extension and what to do. */
export function ServerProblem(props: IServerProblemProps): JSX.Element {
  const { error, onRetry, trans } = props;
  return (
    <div className="jp-DataOps-message" data-kind="error" role="alert">
      <p>
        {error.isServerMissing
          ? trans.__('The dataops server extension cannot be reached.')
          : trans.__('The dataops server extension reported a problem.')}
      </p>
      <p>{error.message}</p>
      <Button onClick={onRetry} minimal small>
        {trans.__('Retry')}
      </Button>
    </div>
  );
}
