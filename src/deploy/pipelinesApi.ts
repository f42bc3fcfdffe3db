import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api/client';

// --- pipelines (docs/openapi-pipelines.yaml) ------------------------------

/** An environment as the pipelines API sees it. */
export interface IPipelineEnvironment {
  id: string;
  branch: string;
  gitlab_project: string;
  /** False for plain git remotes (no GitLab CI). */
  pipelines: boolean;
  reason: string;
}

/** One job of a pipeline; `duration` in seconds. */
export interface IJob {
  id: number;
  name: string;
  stage: string;
  status: string;
  pipeline_id: number;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  duration: number | null;
  user: string;
  failure_reason: string;
  web_url: string;
  finished?: boolean;
}

/** One pipeline with its jobs. */
export interface IPipeline {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  status: string;
  source: string;
  created_at: string | null;
  updated_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  duration: number | null;
  user: string;
  user_name: string;
  web_url: string;
  environment: string;
  jobs: IJob[];
}

/** Reply of `GET pipelines/{env}`. */
export interface IPipelinesReply {
  environment: string;
  branch: string;
  gitlab_project: string;
  pipelines: IPipeline[];
}

/** The log of a job after a byte offset. */
export interface ILogSlice {
  job_id: number;
  status: string;
  finished: boolean;
  offset: number;
  next_offset: number;
  content: string;
  /** The log no longer extends what was shown: replace it with `content`. */
  reset: boolean;
}

/** Counts of one JUnit suite (job) or of the whole pipeline. */
export interface ITestCounts {
  total: number;
  success: number;
  failed: number;
  skipped: number;
  error: number;
  time: number;
}

/** Summary of the JUnit reports a pipeline published. */
export interface ITestReport extends ITestCounts {
  suites: (ITestCounts & {
    name: string;
    job_ids: number[];
    suite_error: string | null;
  })[];
}

const PIPELINES = 'pipelines';

/** Environments and whether they have GitLab pipelines. */
export async function fetchPipelineEnvironments(
  settings?: ServerConnection.ISettings
): Promise<IPipelineEnvironment[]> {
  const reply = await requestAPI<{ environments: IPipelineEnvironment[] }>(
    URLExt.join(PIPELINES, 'environments'),
    {},
    settings
  );
  return reply.environments;
}

/** Newest pipelines of an environment's branch. */
export function fetchPipelines(
  env: string,
  limit = 10,
  settings?: ServerConnection.ISettings
): Promise<IPipelinesReply> {
  return requestAPI(
    `${URLExt.join(PIPELINES, encodeURIComponent(env))}?limit=${limit}`,
    {},
    settings
  );
}

/** One pipeline now. */
export function fetchPipeline(
  env: string,
  id: number,
  settings?: ServerConnection.ISettings
): Promise<IPipeline> {
  return requestAPI(envPath(env, 'pipelines', String(id)), {}, settings);
}

/** Start a pipeline on the environment's branch with variables. */
export function runPipeline(
  env: string,
  variables: Record<string, string>,
  settings?: ServerConnection.ISettings
): Promise<IPipeline> {
  return requestAPI(envPath(env, 'run'), post({ variables }), settings);
}

/** One job now. */
export function fetchJob(
  env: string,
  id: number,
  settings?: ServerConnection.ISettings
): Promise<IJob> {
  return requestAPI(envPath(env, 'jobs', String(id)), {}, settings);
}

/** The job's log after byte `offset`. */
export function fetchJobLog(
  env: string,
  id: number,
  offset: number,
  settings?: ServerConnection.ISettings
): Promise<ILogSlice> {
  const path = `${envPath(env, 'jobs', String(id), 'log')}?offset=${offset}`;
  return requestAPI(path, {}, settings);
}

/** The pipeline's JUnit summary. */
export function fetchTestReport(
  env: string,
  pipelineId: number,
  settings?: ServerConnection.ISettings
): Promise<ITestReport> {
  return requestAPI(
    envPath(env, 'pipelines', String(pipelineId), 'test-report'),
    {},
    settings
  );
}

function envPath(env: string, ...parts: string[]): string {
  return URLExt.join(PIPELINES, encodeURIComponent(env), ...parts);
}

function post(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body) };
}
