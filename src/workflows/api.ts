import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api/client';

/** Status of a run, as the server reports it (`incident` is what the panel calls failed). */
export type RunStatus =
  'running' | 'incident' | 'suspended' | 'completed' | 'cancelled';

/** A published process definition (one version). */
export interface IProcessDefinition {
  id: string;
  key: string;
  name: string;
  version: number;
  deployment_id: string;
  resource: string;
  version_tag: string | null;
  suspended: boolean;
  has_start_form: boolean;
}

/** One field of a start form (`camunda:formData`). */
export interface IFormField {
  id: string;
  label: string;
  type: 'string' | 'long' | 'boolean' | 'date' | 'enum' | string;
  default: unknown;
  required: boolean;
  options: Record<string, string>;
}

/**
 * What a publish made: an engine deployment (Camunda's term) and the
 * definitions it created or kept.
 */
export interface IDeployment {
  id: string;
  name: string;
  deployed_at: string | null;
  definitions: IProcessDefinition[];
}

/** A run (process instance). */
export interface IRun {
  id: string;
  definition_id: string;
  definition_key: string;
  status: RunStatus;
  business_key: string | null;
  definition_name: string;
  definition_version: number | null;
  started_at: string | null;
  ended_at: string | null;
  duration: number | null;
  end_activity_id: string | null;
  /** Who started the run through the DataOps service (JupyterHub only). */
  started_by?: string | null;
  /** What the user may do to the run (JupyterHub only; absent: not enforced). */
  may?: IRunRights;
}

/** Whether an action is allowed, and the sentence that says why not. */
export interface IDecision {
  allowed: boolean;
  reason: string;
}

/** The service's decisions on one run. */
export interface IRunRights {
  cancel: IDecision;
  retry: IDecision;
}

/** A workflow environment as the DataOps service lists it, with the user's rights there. */
export interface IWorkflowEnvironment {
  id: string;
  label: string;
  protected: boolean;
  engine_url: string;
  may: { view: IDecision; start: IDecision; publish: IDecision };
}

/** The reason an action is refused, or null when it is allowed or rights are not enforced. */
export function deniedReason(decision?: IDecision): string | null {
  return decision && !decision.allowed ? decision.reason : null;
}

/** One page of runs. */
export interface IRunPage {
  items: IRun[];
  total: number;
  first: number;
  max_results: number;
}

/** One activity instance of a run; `duration` in seconds. */
export interface IActivity {
  id: string;
  activity_id: string;
  name: string;
  type: string;
  run_id: string;
  started_at: string | null;
  ended_at: string | null;
  duration: number | null;
  cancelled: boolean;
}

/** An incident: a step that failed and waits for someone to act. */
export interface IIncident {
  id: string;
  run_id: string;
  activity_id: string;
  type: string;
  message: string;
  created_at: string | null;
  state: 'open' | 'resolved' | 'deleted';
  ended_at: string | null;
  definition_id: string;
  task_id: string | null;
  details: string | null;
}

/** A process variable with its engine type. */
export interface IVariable {
  name: string;
  value: unknown;
  type: string;
}

/** One line of a run's log; `seq` is its offset, strictly increasing per run. */
export interface ILogRecord {
  seq: number;
  run_id: string;
  timestamp: string;
  level: string;
  message: string;
  kind: 'log' | 'event';
  source: string;
  activity_id?: string;
  task_id?: string;
  worker?: string;
  step_version?: string;
  /** `<process key> <version>` of the process configuration the task ran with. */
  config_version?: string;
  logger?: string;
  event?: string;
}

/** Query of the runs list. */
export interface IRunQuery {
  scope?: 'mine' | 'all';
  status?: RunStatus | '';
  definition_key?: string;
  max_results?: number;
}

type Settings = ServerConnection.ISettings | undefined;

// The workflow environment the panel works in under JupyterHub (null: standalone mode).
let environment: IWorkflowEnvironment | null = null;

/** Work in environment `env` from now on (JupyterHub; null in standalone mode). */
export function setWorkflowEnvironment(env: IWorkflowEnvironment | null): void {
  environment = env;
}

/** The environment the panel works in, with the user's rights there (null: standalone mode). */
export function currentWorkflowEnvironment(): IWorkflowEnvironment | null {
  return environment;
}

/** `path` with the current environment as `?env=` (the server forwards it to the service). */
function withEnv(path: string): string {
  if (!environment) {
    return path;
  }
  const sep = path.includes('?') ? '&' : '?';
  return `${path}${sep}env=${encodeURIComponent(environment.id)}`;
}

function call<T>(path: string, init: RequestInit, settings: Settings) {
  return requestAPI<T>(withEnv(path), init, settings);
}

/** The workflow environments and the user's rights in each (empty in standalone mode). */
export async function fetchEnvironments(
  settings?: Settings
): Promise<IWorkflowEnvironment[]> {
  const reply = await requestAPI<{ environments: IWorkflowEnvironment[] }>(
    'workflows/environments',
    {},
    settings
  );
  return reply.environments;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' }
});

const runPath = (runId: string, rest = ''): string =>
  `workflows/runs/${encodeURIComponent(runId)}${rest}`;

/** Latest versions of the published definitions. */
export async function fetchDefinitions(
  settings?: Settings
): Promise<IProcessDefinition[]> {
  const reply = await call<{ definitions: IProcessDefinition[] }>(
    'workflows/definitions',
    {},
    settings
  );
  return reply.definitions;
}

/** The BPMN XML of one definition version. */
export async function fetchDefinitionXml(
  definitionId: string,
  settings?: Settings
): Promise<string> {
  const reply = await call<{ xml: string }>(
    `workflows/definitions/${encodeURIComponent(definitionId)}/xml`,
    {},
    settings
  );
  return reply.xml;
}

/** The start form fields of the latest version of `key` (empty when it has none). */
export async function fetchStartForm(
  key: string,
  settings?: Settings
): Promise<IFormField[]> {
  const reply = await call<{ fields: IFormField[] }>(
    `workflows/definitions/${encodeURIComponent(key)}/form`,
    {},
    settings
  );
  return reply.fields;
}

/** Publish BPMN files (`{file name: XML}`); changed files become new versions. */
export function publish(
  resources: Record<string, string>,
  name?: string,
  settings?: Settings
): Promise<IDeployment> {
  return call<IDeployment>(
    'workflows/publish',
    json({ name, resources }),
    settings
  );
}

/** Runs, newest first. */
export function fetchRuns(
  query: IRunQuery = {},
  settings?: Settings
): Promise<IRunPage> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.set(name, String(value));
    }
  }
  return call<IRunPage>(`workflows/runs?${params}`, {}, settings);
}

/** Start a run of the latest version of `key`. */
export function startRun(
  key: string,
  variables: Record<string, unknown>,
  businessKey: string | null,
  settings?: Settings
): Promise<IRun> {
  return call<IRun>(
    'workflows/runs',
    json({ key, variables, business_key: businessKey }),
    settings
  );
}

/** One run. */
export function fetchRun(runId: string, settings?: Settings): Promise<IRun> {
  return call<IRun>(runPath(runId), {}, settings);
}

/** The run's activities in start order. */
export async function fetchTimeline(
  runId: string,
  settings?: Settings
): Promise<IActivity[]> {
  const reply = await call<{ activities: IActivity[] }>(
    runPath(runId, '/timeline'),
    {},
    settings
  );
  return reply.activities;
}

/** The run's variables. */
export async function fetchVariables(
  runId: string,
  settings?: Settings
): Promise<IVariable[]> {
  const reply = await call<{ variables: IVariable[] }>(
    runPath(runId, '/variables'),
    {},
    settings
  );
  return reply.variables;
}

/** The run's incidents, resolved ones included (the view shows both). */
export async function fetchIncidents(
  runId: string,
  settings?: Settings
): Promise<IIncident[]> {
  const reply = await call<{ incidents: IIncident[] }>(
    runPath(runId, '/incidents?include_resolved=true'),
    {},
    settings
  );
  return reply.incidents;
}

/** Give the run's failed steps (or one incident's) another attempt; how many were retried. */
export async function retryRun(
  runId: string,
  incidentId?: string,
  settings?: Settings
): Promise<number> {
  const reply = await call<{ retried: number }>(
    runPath(runId, '/retry'),
    json(incidentId ? { incident_id: incidentId } : {}),
    settings
  );
  return reply.retried;
}

/** Cancel the run. */
export async function cancelRun(
  runId: string,
  reason?: string,
  settings?: Settings
): Promise<void> {
  await call(runPath(runId, '/cancel'), json({ reason }), settings);
}
