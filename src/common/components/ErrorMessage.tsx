import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataOpsApiError } from '../../api/client';
import { errorTitle } from '../errors';

/** Props of `ErrorMessage`. */
export interface IErrorMessageProps {
  error: DataOpsApiError;
  trans: TranslationBundle;
  /** Shown as a Retry button when given. */
  onRetry?: () => void;
  /** What happens next, said after the server's sentence. */
  hint?: string;
  /** A heading of the caller's instead of the one for the error's code. */
  title?: string;
  className?: string;
}

/**
 * The one way a panel shows a failed call inline: a heading for the error's code, the server's
 * sentence, and Retry when the caller can retry; `data-code` carries the code.
 */
export function ErrorMessage(props: IErrorMessageProps): JSX.Element {
  const { error, trans, onRetry } = props;
  return (
    <div
      className={`jp-DataOps-message jp-DataOps-error ${props.className ?? ''}`}
      data-kind="error"
      data-code={error.code}
      role="alert"
    >
      <strong>{props.title ?? errorTitle(error, trans)}</strong>
      <p>{error.message}</p>
      {props.hint && <p>{props.hint}</p>}
      {onRetry && (
        <Button onClick={onRetry} minimal small>
          {trans.__('Retry')}
        </Button>
      )}
    </div>
  );
}
