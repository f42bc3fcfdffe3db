import { ServerConnection } from '@jupyterlab/services';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, DataOpsApiError } from '../api/client';
import {
  fetchJob,
  fetchJobLog,
  fetchTestReport,
  IJob,
  ITestReport
} from './api';
import { JobLog } from './jobLog';

/** Identifies a job of an environment's project. */
export interface IJobRef {
  env: string;
  jobId: number;
  pipelineId: number;
  name: string;
}

/**
 * One job's live log and its pipeline's test report.
 *
 * Polls the log from the byte offset held, appending only what is new, until the server says
 * the job finished; then reads the job and the test summary once.
 */
export class JobModel {
  constructor(
    readonly ref: IJobRef,
    private readonly settings?: ServerConnection.ISettings
  ) {
    this._poll = new Poll({
      factory: () => this.tick(),
      frequency: { interval: 1000, backoff: true, max: 30000 },
      standby: 'when-hidden',
      name: `dataops:job-log-${ref.jobId}`
    });
  }

  /** The log shown so far. */
  readonly log = new JobLog();

  /** The job as last read (null until read). */
  get job(): IJob | null {
    return this._job;
  }

  /** Summary of the pipeline's JUnit reports, once the job finished. */
  get testReport(): ITestReport | null {
    return this._report;
  }

  /** The last failure to read the log or the report, if any. */
  get error(): DataOpsApiError | null {
    return this._error;
  }

  /** Emitted when anything shown changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Read now instead of at the next tick. */
  refresh(): Promise<void> {
    return this._poll.refresh();
  }

  /** Stop polling. */
  dispose(): void {
    this._poll.dispose();
  }

  private async tick(): Promise<void> {
    try {
      if (!this._job) {
        this._job = await fetchJob(this.ref.env, this.ref.jobId, this.settings);
      }
      const slice = await fetchJobLog(
        this.ref.env,
        this.ref.jobId,
        this.log.offset,
        this.settings
      );
      const result = this.log.apply(slice);
      this._error = null;
      const statusChanged = this._job.status !== slice.status;
      if (statusChanged) {
        this._job = { ...this._job, status: slice.status };
      }
      if (result !== 'ignored' || statusChanged) {
        this._changed.emit();
      }
      if (slice.finished) {
        await this.finish();
      }
    } catch (error) {
      this._error = asApiError(error);
      this._changed.emit();
      throw error; // the poll backs off
    }
  }

  private async finish(): Promise<void> {
    this._job = await fetchJob(this.ref.env, this.ref.jobId, this.settings);
    try {
      this._report = await fetchTestReport(
        this.ref.env,
        this.ref.pipelineId,
        this.settings
      );
    } catch (error) {
      this._error = asApiError(error);
    }
    this._changed.emit();
    this._poll.dispose();
  }

  private _job: IJob | null = null;
  private _report: ITestReport | null = null;
  private _error: DataOpsApiError | null = null;
  private _poll: Poll;
  private _changed = new Signal<this, void>(this);
}
