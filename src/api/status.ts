import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from './client';

/** The capabilities that have a panel. */
export type Capability = 'data' | 'workflows' | 'promotion';

/** One capability's status line, as the server computes it. */
export interface ICapabilityStatus {
  configured: boolean;
  summary: string;
}

/** Reply of `GET /dataops/api/status`. */
export interface IStatusReply {
  version: string;
  capabilities: Record<Capability, ICapabilityStatus>;
}

/** Fetch the server extension's version and capability status. */
export function fetchStatus(
  settings?: ServerConnection.ISettings
): Promise<IStatusReply> {
  return requestAPI<IStatusReply>('status', {}, settings);
}
