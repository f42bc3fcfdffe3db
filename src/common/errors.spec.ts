import { nullTranslator } from '@jupyterlab/translation';

import { asApiError, DataOpsApiError } from '../api/client';
import { errorTitle } from './errors';

const trans = nullTranslator.load('jupyterlab_dataops');

describe('asApiError', () => {
  it('keeps a DataOpsApiError with its code', () => {
    const error = new DataOpsApiError('conflict', 'Someone pushed.', 409);
    expect(asApiError(error)).toBe(error);
  });

  it('turns anything else into an internal error with its text', () => {
    const fromError = asApiError(new TypeError('x is undefined'));
    expect(fromError).toBeInstanceOf(DataOpsApiError);
    expect(fromError.code).toBe('internal_error');
    expect(fromError.message).toBe('x is undefined');
    expect(asApiError('plain').message).toBe('plain');
  });
});

describe('errorTitle', () => {
  const title = (code: string) =>
    errorTitle(new DataOpsApiError(code, 'the sentence', 500), trans);

  it('names the failures a statistician meets by code', () => {
    expect(title('no_data')).toBe('No data for this selection');
    expect(title('too_large')).toBe('The provider refuses a query this large');
    expect(title('rate_limited')).toBe('The data provider is not answering');
    expect(title('unknown_dataflow')).toBe('The query is not valid');
  });

  it('names engine, GitLab and server failures the same in every panel', () => {
    expect(title('engine_unreachable')).toBe(
      'The workflow engine is not answering'
    );
    expect(title('service_unreachable')).toBe(
      'The DataOps service is not answering'
    );
    expect(title('conflict')).toBe('Changed in the meantime');
    expect(title('concurrent_update')).toBe('Changed in the meantime');
    expect(title('extension_missing')).toBe(
      'The dataops server extension cannot be reached'
    );
  });

  it('falls back to a general heading for an unknown code', () => {
    expect(title('internal_error')).toBe('The request failed');
    expect(title('something_new')).toBe('The request failed');
  });
});
