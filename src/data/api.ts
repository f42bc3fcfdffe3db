import { ServerConnection } from '@jupyterlab/services';

import { fetchAPI, requestAPI } from '../api/client';

/** A data source as the server lists it (configured ones first, then presets). */
export interface ISource {
  id: string;
  name: string;
  url: string;
  api: string;
  description: string;
  preset: boolean;
  /** Whether the provider answers availability (constraint) queries. */
  availability: boolean;
}

/** Reply of `GET sdmx/sources/{id}/status`. */
export interface ISourceStatus {
  id: string;
  reachable: boolean;
  message: string;
  latency_ms: number;
}

/** A dataflow and the id of its data structure. */
export interface IDataflow {
  id: string;
  agency: string;
  version: string;
  name: string;
  structure_id: string;
}

/** One page of `GET sdmx/sources/{id}/dataflows`. */
export interface IDataflowPage {
  source: string;
  total: number;
  offset: number;
  limit: number;
  dataflows: IDataflow[];
}

/** A code of a codelist. */
export interface ICode {
  id: string;
  name: string;
}

/** A dimension in DSD order, with its codes. */
export interface IDimension {
  id: string;
  name: string;
  position: number;
  codes: ICode[];
}

/** Reply of `GET .../dataflows/{flow}/structure`. */
export interface IStructure {
  dataflow: IDataflow;
  id: string;
  agency: string;
  version: string;
  name: string;
  time_dimension: string;
  dimensions: IDimension[];
  attributes: { id: string; name: string; level: string }[];
}

/** Reply of `GET .../availability?key=`: codes with data per dimension id. */
export interface IAvailability {
  key: string;
  dimensions: Record<string, string[]>;
  series_count: number | null;
  obs_count: number | null;
  url: string;
}

/** The period and size bounds of a data query. */
export interface IPeriod {
  start: string;
  end: string;
  /** Last N observations per series; 0 means all. */
  last: number;
}

/** Options of `fetchData`. */
export interface IFetchDataOptions extends IPeriod {
  /** Preview at most this many series. */
  limit: number;
  /** A store source's vintage (name, snapshot id, date or time); empty: the latest. */
  asOf?: string;
  signal?: AbortSignal;
  /** Called with the bytes received so far while the answer streams in. */
  onProgress?: (bytes: number) => void;
}

const enc = encodeURIComponent;

function flowPath(source: string, flow: string): string {
  return `sdmx/sources/${enc(source)}/dataflows/${enc(flow)}`;
}

/** All sources the server knows. */
export async function listSources(
  settings?: ServerConnection.ISettings
): Promise<ISource[]> {
  const reply = await requestAPI<{ sources: ISource[] }>(
    'sdmx/sources',
    {},
    settings
  );
  return reply.sources;
}

/** Whether a source answers right now. */
export function sourceStatus(
  source: string,
  settings?: ServerConnection.ISettings
): Promise<ISourceStatus> {
  return requestAPI<ISourceStatus>(
    `sdmx/sources/${enc(source)}/status`,
    {},
    settings
  );
}

/** One page of the source's dataflows matching `search`. */
export function listDataflows(
  source: string,
  search: string,
  offset: number,
  limit: number,
  settings?: ServerConnection.ISettings,
  signal?: AbortSignal
): Promise<IDataflowPage> {
  const query = new URLSearchParams({
    search,
    offset: String(offset),
    limit: String(limit)
  });
  return requestAPI<IDataflowPage>(
    `sdmx/sources/${enc(source)}/dataflows?${query}`,
    { signal },
    settings
  );
}

/** The dataflow's dimensions with their codes. */
export function fetchStructure(
  source: string,
  flow: string,
  settings?: ServerConnection.ISettings,
  signal?: AbortSignal
): Promise<IStructure> {
  return requestAPI<IStructure>(
    `${flowPath(source, flow)}/structure`,
    { signal },
    settings
  );
}

/** Codes that still have data in each dimension under `key`. */
export function fetchAvailability(
  source: string,
  flow: string,
  key: string,
  settings?: ServerConnection.ISettings,
  signal?: AbortSignal
): Promise<IAvailability> {
  const query = new URLSearchParams({ key });
  return requestAPI<IAvailability>(
    `${flowPath(source, flow)}/availability?${query}`,
    { signal },
    settings
  );
}

/** The query string of a data request (empty bounds left out). */
export function dataQuery(key: string, options: IFetchDataOptions): string {
  const query = new URLSearchParams({ key, limit: String(options.limit) });
  if (options.start) {
    query.set('start', options.start);
  }
  if (options.end) {
    query.set('end', options.end);
  }
  if (options.last > 0) {
    query.set('last', String(options.last));
  }
  if (options.asOf?.trim()) {
    query.set('as_of', options.asOf.trim());
  }
  return query.toString();
}

/** The observations of the first `limit` series as an Arrow IPC stream. */
export async function fetchData(
  source: string,
  flow: string,
  key: string,
  options: IFetchDataOptions,
  settings?: ServerConnection.ISettings
): Promise<Uint8Array> {
  const response = await fetchAPI(
    `${flowPath(source, flow)}/data?${dataQuery(key, options)}`,
    {
      signal: options.signal,
      headers: { Accept: 'application/vnd.apache.arrow.stream' }
    },
    settings
  );
  return readBody(response, options.onProgress);
}

/** Read a response body chunk by chunk, reporting the bytes received. */
export async function readBody(
  response: Response,
  onProgress?: (bytes: number) => void
): Promise<Uint8Array> {
  if (!response.body) {
    return new Uint8Array(await response.arrayBuffer());
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    chunks.push(value);
    received += value.byteLength;
    onProgress?.(received);
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
