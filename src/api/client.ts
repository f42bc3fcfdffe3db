import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Root of the dataops REST API, relative to the server's base URL. */
export const API_NAMESPACE = 'dataops/api';

/** The JSON error body every dataops handler answers with. */
export interface IErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/**
 * A failed call to the dataops server extension.
 *
 * `code` is the server's error code, or `extension_missing` / `unreachable`
 * when the extension is not there or the server cannot be reached.
 */
export class DataOpsApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown
  ) {
    super(message);
    this.name = 'DataOpsApiError';
  }

  /** True when the server extension is not installed, not enabled or not reachable. */
  get isServerMissing(): boolean {
    return this.code === 'extension_missing' || this.code === 'unreachable';
  }
}

/**
 * Any thrown value as a `DataOpsApiError`, so every panel keeps a code and shows one kind of
 * message; a value that is not one becomes `internal_error` with its text.
 */
export function asApiError(error: unknown): DataOpsApiError {
  if (error instanceof DataOpsApiError) {
    return error;
  }
  return new DataOpsApiError(
    'internal_error',
    error instanceof Error ? error.message : String(error),
    0
  );
}

/**
 * Call the dataops API at `endPoint` (relative to `dataops/api/`) and decode JSON.
 *
 * Uses `ServerConnection.makeRequest`, so the base URL (e.g. JupyterHub's
 * `/user/<name>/`), the XSRF token and the auth headers are kept.
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const response = await fetchAPI(endPoint, init, settings);
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** Like `requestAPI` but returns the raw `Response` (for Arrow streams and downloads). */
export async function fetchAPI(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<Response> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new DataOpsApiError(
      'unreachable',
      `The Jupyter server could not be reached (${String(error)}). Check your connection and reload.`,
      0
    );
  }
  if (!response.ok) {
    throw await errorFromResponse(response);
  }
  return response;
}

/** Turn a non-2xx reply into a `DataOpsApiError` with the server's sentence. */
export async function errorFromResponse(
  response: Response
): Promise<DataOpsApiError> {
  const text = await response.text();
  let body: Partial<IErrorBody> | null = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (body && typeof body.error === 'string') {
    return new DataOpsApiError(
      body.error,
      body.message ?? response.statusText,
      response.status,
      body.details
    );
  }
  if (response.status === 404) {
    return new DataOpsApiError(
      'extension_missing',
      'The dataops server extension is not installed or not enabled: ' +
        'run "jupyter server extension enable jupyterlab_dataops" and restart JupyterLab.',
      404
    );
  }
  return new DataOpsApiError(
    'http_error',
    `The server answered ${response.status} ${response.statusText}.`,
    response.status
  );
}
