import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataOpsApiError } from '../../api/client';

/** A heading for the kinds of failure a statistician meets, by server error code. */
export function errorTitle(
  error: DataOpsApiError,
  trans: TranslationBundle
): string {
  switch (error.code) {
    case 'no_data':
      return trans.__('No data for this selection');
    case 'too_large':
      return trans.__('The provider refuses a query this large');
    case 'provider_down':
    case 'unreachable':
    case 'rate_limited':
      return trans.__('The data provider is not answering');
    case 'unauthorized':
    case 'forbidden':
      return trans.__('The provider refused access');
    case 'not_implemented':
      return trans.__('The provider does not offer this');
    case 'invalid_input':
    case 'unknown_source':
    case 'unknown_dataflow':
      return trans.__('The query is not valid');
    case 'extension_missing':
      return trans.__('The dataops server extension cannot be reached');
    default:
      return trans.__('The request failed');
  }
}

/** Props of `ErrorMessage`. */
export interface IErrorMessageProps {
  error: DataOpsApiError;
  trans: TranslationBundle;
  onRetry?: () => void;
}

/** An inline error with the provider's reason and a retry button. */
export function ErrorMessage(props: IErrorMessageProps): JSX.Element {
  const { error, trans, onRetry } = props;
  return (
    <div
      className="jp-DataOps-message jp-DataOps-dataError"
      data-kind="error"
      data-code={error.code}
      role="alert"
    >
      <strong>{errorTitle(error, trans)}</strong>
      <p>{error.message}</p>
      {onRetry && (
        <Button onClick={onRetry} minimal small>
          {trans.__('Retry')}
        </Button>
      )}
    </div>
  );
}
