import { URLExt } from '@jupyterlab/coreutils';

import { IVariable } from './api';

/** The run variable a step sets to name the vintage it wrote (examples/steps/production.py). */
export const VINTAGE_VARIABLE = 'vintage';

/** The vintage of the series store a run wrote, as its `vintage` variable names it. */
export interface IRunVintage {
  source: string;
  flow: string;
  /** The series written ('' when the step did not say). */
  key: string;
  /** The vintage's name (an Iceberg tag): what the Data panel's vintage picker lists. */
  tag: string;
  agency: string;
  version: string;
  snapshot_id: string;
  /** When the vintage was committed (ISO 8601): the REST `asOf` that reads it. */
  committed_at: string;
}

/** What `dataops:open-data` takes to show a flow at a vintage. */
export interface IDataPanelTarget {
  source: string;
  flow: string;
  key: string;
  asOf: string;
}

const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number'
      ? String(value)
      : '';

/** The vintage the run's `vintage` variable names, or null when it has none or it is malformed. */
export function runVintage(variables: IVariable[]): IRunVintage | null {
  const variable = variables.find(v => v.name === VINTAGE_VARIABLE);
  const value = variable?.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return null;
  }
  const raw = value as Record<string, unknown>;
  const vintage: IRunVintage = {
    source: text(raw.source),
    flow: text(raw.flow),
    key: text(raw.key),
    tag: text(raw.tag),
    agency: text(raw.agency),
    version: text(raw.version),
    snapshot_id: text(raw.snapshot_id),
    committed_at: text(raw.committed_at)
  };
  // Without a source, a flow and a name or snapshot there is nothing a link could open.
  if (
    !vintage.source ||
    !vintage.flow ||
    !(vintage.tag || vintage.snapshot_id)
  ) {
    return null;
  }
  return vintage;
}

/** The Data panel's arguments: the vintage's flow, its series, read at that vintage. */
export function dataPanelTarget(vintage: IRunVintage): IDataPanelTarget {
  return {
    source: vintage.source,
    flow: vintage.flow,
    key: vintage.key,
    asOf: vintage.tag || vintage.snapshot_id
  };
}

/**
 * The SDMX REST 2.x address that serves the vintage's series as they were when it was committed
 * (`asOf`), under this server's `baseUrl`; null when the variable lacks what the path needs. Built
 * from the fields, each escaped, so a variable cannot point the link anywhere else.
 */
export function vintageRestUrl(
  baseUrl: string,
  vintage: IRunVintage
): string | null {
  const { source, agency, flow, version, committed_at } = vintage;
  if (!agency || !version || !committed_at) {
    return null;
  }
  const path = [
    'dataops',
    'sdmx',
    source,
    'data',
    'dataflow',
    agency,
    flow,
    version,
    vintage.key || '*'
  ]
    .map((part, i) => (i < 2 ? part : encodeURIComponent(part)))
    .join('/');
  return `${URLExt.join(baseUrl, path)}?asOf=${encodeURIComponent(committed_at)}`;
}
