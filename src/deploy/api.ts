import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api/client';
import type { IPipeline } from './pipelinesApi';

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
  /** Whether the user may read this environment's promotion history. */
  may_see_history: boolean;
  /** Why the user may not see the history here ('' when allowed). */
  history_reason: string;
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
  'notebook' | 'script' | 'module' | 'step' | 'process' | 'metadata' | 'file';

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
  /** Rules of `dataops metadata check` the promotion would break (each blocks it). */
  metadata_problems?: string[];
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
  /** The audit record written for it (`at`: when, UTC). */
  audit?: { at?: string; commit_message?: string; source?: string };
}

/** One promotion attempt from the audit log (`GET promotion/history`). */
export interface IHistoryEntry {
  id: string;
  time: string;
  environment: string;
  branch: string;
  author: string;
  /** `landed`, `blocked_by_secrets`, `conflict`, `forbidden`, … */
  outcome: string;
  commit_sha: string | null;
  commit_url: string | null;
  message: string;
  /** Why it did not land ('' when it landed). */
  reason: string;
  path: string | null;
  files: string[];
  merge_request: string | null;
  plan_id: string;
  pipeline_id: number | null;
  /** The newest pipeline that ran the commit (GitLab environments). */
  pipeline: IPipeline | null;
}

/** Reply of `GET promotion/history`. */
export interface IHistoryReply {
  environment: string | null;
  limit: number;
  entries: IHistoryEntry[];
  /** The audit log's last line was being written and is left out. */
  torn_last_line: boolean;
  /** Why the pipelines of the promotions could not be read. */
  pipelines_error: string | null;
  hidden_environments: string[];
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

/** The last promotions to an environment, newest first, with their pipelines. */
export function fetchHistory(
  env: string,
  limit: number,
  settings?: ServerConnection.ISettings
): Promise<IHistoryReply> {
  const query = URLExt.objectToQueryString({ environment: env, limit });
  return requestAPI(`promotion/history${query}`, {}, settings);
}

export * from './pipelinesApi';

function post(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body) };
}
