import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api/client';

// --- promotion (docs/openapi-promotion.yaml) ------------------------------

/** A deployment environment and whether the signed-in user may promote there. */
export interface IEnvironment {
  id: string;
  label: string;
  branch: string;
  target: 'gitlab' | 'git' | '';
  gitlab_project: string;
  protected: boolean;
  folders: Record<string, string>;
  may_promote: boolean;
  /** Why the user may not promote here ('' when allowed). */
  reason: string;
}

/** Reply of `GET promotion/environments`. */
export interface IEnvironmentsReply {
  user: string;
  environments: IEnvironment[];
}

/** One cell of a notebook diff. */
export interface ICellChange {
  status: 'added' | 'removed' | 'modified' | 'unchanged';
  cell_type: string;
  old_index: number | null;
  new_index: number | null;
  diff: string[];
}

/** The change to one file on the target branch. */
export interface IFileDiff {
  status: 'new' | 'modified' | 'unchanged';
  lines: string[];
  cells: ICellChange[] | null;
}

/** Kinds of promoted files. */
export type FileKind =
  'notebook' | 'script' | 'module' | 'step' | 'process' | 'file';

/** One file of a promotion plan. */
export interface IPlannedFile {
  /** Path under the server root ('' for the generated `.py`). */
  source: string;
  destination: string;
  kind: FileKind;
  size: number;
  status: IFileDiff['status'];
  diff: IFileDiff;
}

/** A suspected secret: where it is, never its value. */
export interface IFinding {
  file: string;
  kind: string;
  line: number;
  /** 1-based cell number in the notebook. */
  cell: number | null;
  part: string;
  secret_hash: string;
  preview: string;
  message: string;
}

/** A reviewed promotion: what would land, its diff and the secret scan. */
export interface IPlan {
  plan_id: string;
  environment: string;
  branch: string;
  base_commit: string | null;
  mode: 'commit' | 'merge_request';
  review_branch: string;
  source: string;
  files: IPlannedFile[];
  scan: { clean: boolean; scanned: string[]; findings: IFinding[] };
  changed: boolean;
  can_submit: boolean;
  default_message: string;
  user: string;
  created_at: string;
}

/** A merge request's state, as GitLab reports it. */
export interface IMergeRequest {
  iid: number;
  title: string;
  state: 'opened' | 'closed' | 'locked' | 'merged';
  web_url: string;
  source_branch: string;
  target_branch: string;
  mergeable: boolean;
  merge_status: string;
  has_conflicts: boolean;
  sha: string;
  approvals: {
    required: number;
    approved_by: string[];
    approved: boolean;
  } | null;
}

/** A promotion that landed. */
export interface IPromotion {
  plan_id: string;
  environment: string;
  branch: string;
  commit_sha: string;
  commit_url: string;
  files: string[];
  user: string;
  merge_request: IMergeRequest | null;
}

/** Body of `POST promotion/plans`. */
export interface IPlanRequest {
  path: string;
  environment: string;
  extra_files?: string[];
  /** Proposed destination → edited destination. */
  destinations?: Record<string, string>;
}

/** Environments with the user's rights. */
export function fetchEnvironments(
  settings?: ServerConnection.ISettings
): Promise<IEnvironmentsReply> {
  return requestAPI('promotion/environments', {}, settings);
}

/** Review a promotion; changes nothing. */
export function createPlan(
  request: IPlanRequest,
  settings?: ServerConnection.ISettings
): Promise<IPlan> {
  return requestAPI('promotion/plans', post(request), settings);
}

/** Land the reviewed files (409 `conflict` if the branch moved since). */
export function submitPlan(
  planId: string,
  message: string,
  settings?: ServerConnection.ISettings
): Promise<IPromotion> {
  const path = URLExt.join('promotion/plans', planId, 'submit');
  return requestAPI(path, post({ message }), settings);
}

/** State of a promotion's merge request. */
export function fetchMergeRequest(
  env: string,
  iid: number,
  settings?: ServerConnection.ISettings
): Promise<IMergeRequest> {
  const path = URLExt.join(
    'promotion/environments',
    encodeURIComponent(env),
    'merge_requests',
    String(iid)
  );
  return requestAPI(path, {}, settings);
}

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
