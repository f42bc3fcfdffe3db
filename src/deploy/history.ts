import { asApiError, DataOpsApiError } from '../api/client';
import { safeLinkUrl } from '../common/links';
import {
  IEnvironment,
  IHistoryEntry,
  IHistoryReply,
  IPipeline,
  IPromotion
} from './api';

/** How many promotions an environment shows. */
export const HISTORY_LIMIT = 5;

/** One environment's promotion history as the Deploy panel holds it. */
export interface IEnvHistory {
  entries: IHistoryEntry[];
  loading: boolean;
  /** Why the history could not be loaded. */
  error: DataOpsApiError | null;
  /** Why the user may not see this environment's history (no right to promote there). */
  hidden: string | null;
  /** The audit log's last line was being written and is not shown yet. */
  torn: boolean;
  /** Why the pipelines of these promotions could not be read. */
  pipelinesError: string | null;
}

export const NO_HISTORY: IEnvHistory = {
  entries: [],
  loading: false,
  error: null,
  hidden: null,
  torn: false,
  pipelinesError: null
};

/** The history shown without asking the server where the environments' answer already says the
 * user may not see it (asking would only earn a 403); null where it is to be fetched. */
export function historyNotAsked(
  promotion: IEnvironment | null
): IEnvHistory | null {
  if (promotion && promotion.may_see_history === false) {
    return { ...NO_HISTORY, hidden: promotion.history_reason };
  }
  return null;
}

/** The history after the server answered. */
export function historyLoaded(reply: IHistoryReply): IEnvHistory {
  return {
    entries: reply.entries,
    loading: false,
    error: null,
    hidden: null,
    torn: reply.torn_last_line,
    pipelinesError: reply.pipelines_error
  };
}

/** The history after the server refused: a 403 means the user may not see it (the server's
 * sentence says who may); anything else is an error to retry, the entries shown so far kept. */
export function historyFailed(
  previous: IEnvHistory | undefined,
  error: unknown
): IEnvHistory {
  const apiError = asApiError(error);
  if (apiError.status === 403) {
    // not a failure to retry: the server's sentence says who may see it
    return { ...NO_HISTORY, hidden: apiError.message };
  }
  return { ...(previous ?? NO_HISTORY), loading: false, error: apiError };
}

/** One row of "Last promotions": from the audit log or made in this browser session. */
export interface IPromotionRow {
  key: string;
  /** ISO time, null when unknown. */
  time: string | null;
  author: string;
  outcome: string;
  commitSha: string | null;
  /** The commit's page: an http(s) address, else null (shown as text). */
  commitUrl: string | null;
  /** First line of the commit message. */
  message: string;
  reason: string;
  path: string | null;
  /** The newest pipeline known to have run the commit. */
  pipeline: IPipeline | null;
  /** Made here and not (yet) in the loaded history. */
  recent: boolean;
}

/**
 * The promotions to show for one environment, newest first: the loaded history, plus the
 * promotions made in this session that it does not hold yet (once it does, they appear once).
 * Each row's pipeline is the newest of the polled `pipelines` that ran its commit, else the one
 * the history came with.
 */
export function promotionRows(
  session: IPromotion[],
  history: IHistoryEntry[],
  pipelines: IPipeline[],
  limit = HISTORY_LIMIT
): IPromotionRow[] {
  const known = new Set<string>();
  for (const e of history) {
    if (e.commit_sha) {
      known.add(`sha:${e.commit_sha}`);
    }
    if (e.plan_id && e.outcome === 'landed') {
      known.add(`plan:${e.plan_id}`);
    }
  }
  const recent = session
    .filter(
      p => !known.has(`sha:${p.commit_sha}`) && !known.has(`plan:${p.plan_id}`)
    )
    .map(p => sessionRow(p, pipelines));
  const loaded = history.map(e => historyRow(e, pipelines));
  return [...recent, ...loaded]
    .sort((a, b) => byTimeDesc(a.time, b.time))
    .slice(0, limit);
}

function sessionRow(p: IPromotion, pipelines: IPipeline[]): IPromotionRow {
  const audit = p.audit ?? {};
  return {
    key: `session:${p.commit_sha}`,
    time: audit.at ?? null,
    author: p.user,
    outcome: 'landed',
    commitSha: p.commit_sha,
    commitUrl: safeLinkUrl(p.commit_url),
    message: firstLine(audit.commit_message),
    reason: '',
    path: audit.source ?? null,
    pipeline: newest(pipelines, p.commit_sha, null),
    recent: true
  };
}

function historyRow(e: IHistoryEntry, pipelines: IPipeline[]): IPromotionRow {
  return {
    key: e.id,
    time: e.time || null,
    author: e.author,
    outcome: e.outcome,
    commitSha: e.commit_sha,
    commitUrl: safeLinkUrl(e.commit_url),
    message: firstLine(e.message),
    reason: e.reason,
    path: e.path,
    pipeline: e.commit_sha ? newest(pipelines, e.commit_sha, e.pipeline) : null,
    recent: false
  };
}

/** The newest pipeline of `sha`; for the same pipeline the polled copy wins (it is fresher). */
function newest(
  pipelines: IPipeline[],
  sha: string,
  fallback: IPipeline | null
): IPipeline | null {
  let best = fallback;
  for (const p of pipelines) {
    if (p.sha === sha && (!best || p.id >= best.id)) {
      best = p;
    }
  }
  return best;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0];
}

/** Newest first; a row without a time (just made, not recorded yet) is the newest. */
function byTimeDesc(a: string | null, b: string | null): number {
  if (a === b) {
    return 0;
  }
  if (a === null) {
    return -1;
  }
  if (b === null) {
    return 1;
  }
  return Date.parse(b) - Date.parse(a);
}
