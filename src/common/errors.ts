import { TranslationBundle } from '@jupyterlab/translation';

import { DataOpsApiError } from '../api/client';

/**
 * The heading of an error, by the server's error code (`dataops.errors`) or the client's own
 * (`extension_missing`, `unreachable`, `internal_error`): the same code reads the same in
 * every panel, the server's sentence below it says what happened.
 */
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
    case 'engine_unreachable':
      return trans.__('The workflow engine is not answering');
    case 'service_unreachable':
      return trans.__('The DataOps service is not answering');
    case 'unauthorized':
    case 'forbidden':
      return trans.__('The provider refused access');
    case 'not_implemented':
      return trans.__('The provider does not offer this');
    case 'invalid_input':
    case 'unknown_source':
    case 'unknown_dataflow':
      return trans.__('The query is not valid');
    case 'not_found':
      return trans.__('Not found');
    case 'unknown_vintage':
      return trans.__('No such vintage');
    case 'store_unwritable':
      return trans.__('The store cannot be written');
    case 'conflict':
    case 'concurrent_update':
      return trans.__('Changed in the meantime');
    case 'secrets_found':
      return trans.__('Secrets found');
    case 'not_configured':
    case 'config_error':
      return trans.__('Not configured');
    case 'extension_missing':
      return trans.__('The dataops server extension cannot be reached');
    default:
      return trans.__('The request failed');
  }
}
