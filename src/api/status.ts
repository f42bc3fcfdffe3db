import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from './client';

/** The capabilities that have a panel. */
export type Capability = 'data' | 'workflows' | 'promotion';

/** One capability's status line, as the server computes it. */
export interface ICapabilityStatus {
  configured: boolean;
  /** The status line; it also names the policy keys of a user's file that were ignored. */
  summary: string;
  /** Policy keys a user's file set, left out (only the administrator's configuration sets them). */
  ignored?: { file: string; key: string }[];
}

/** Who decides rights: the DataOps hub service, or nobody (one person's own server). */
export interface IRightsStatus {
  mode: 'hub' | 'single-user';
  summary: string;
}

/** Whether the compiled SDMX scanner reads data here (its version), or how to install it. */
export interface IReadersStatus {
  compiled: boolean;
  version: string | null;
  summary: string;
}

/** Reply of `GET /dataops/api/status`. */
export interface IStatusReply {
  version: string;
  capabilities: Record<Capability, ICapabilityStatus>;
  rights?: IRightsStatus;
  readers?: IReadersStatus;
}

/** The capabilities whose actions need rights (promotion, pipelines, workflow actions). */
export const GUARDED: readonly Capability[] = ['workflows', 'promotion'];

/** Fetch the server extension's version and capability status. */
export function fetchStatus(
  settings?: ServerConnection.ISettings
): Promise<IStatusReply> {
  return requestAPI<IStatusReply>('status', {}, settings);
}
