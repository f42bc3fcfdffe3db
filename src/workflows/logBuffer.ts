import { ISignal, Signal } from '@lumino/signaling';

import { ILogRecord } from './api';

/** Levels in increasing severity; a filter shows its level and the ones above. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;

/** Which records the view shows. */
export interface ILogFilter {
  /** Lowest level shown (`DEBUG` shows all). */
  level: (typeof LOG_LEVELS)[number];
  /** Case-insensitive text every shown line contains ('' for all). */
  text: string;
}

const SEVERITY: Record<string, number> = {
  DEBUG: 0,
  INFO: 1,
  WARNING: 2,
  WARN: 2,
  ERROR: 3,
  CRITICAL: 3,
  FATAL: 3
};

/** Severity rank of a level name (unknown levels count as INFO). */
export function severity(level: string): number {
  return SEVERITY[level] ?? SEVERITY[level.toUpperCase()] ?? 1;
}

/**
 * A run's log lines in time order, without duplicates, with a filtered view.
 *
 * Lines are held by their timestamp, ties in arrival (`seq`) order: the engine's events reach
 * the log when the server next asks the engine (up to a second late), after lines written
 * later, so arrival order would show an activity's "ended" before its "started".
 *
 * `offset` is the largest `seq` held: a stream that reconnects asks for what comes after it,
 * and whatever the server sends again (an overlap) is dropped here, so a line is never
 * shown twice. Filtering keeps an index of visible lines, extended incrementally as
 * lines arrive in order, so 100,000 lines cost nothing per new line.
 */
export class LogBuffer {
  /** Emitted after lines were added or the filter changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The last offset held (0 before any line). */
  get offset(): number {
    return this._offset;
  }

  /** Every line held, in time order (ties in arrival order). */
  get records(): readonly ILogRecord[] {
    return this._records;
  }

  /** Number of lines the filter lets through. */
  get visibleCount(): number {
    return this._visible ? this._visible.length : this._records.length;
  }

  /** The `i`-th visible line. */
  visibleAt(i: number): ILogRecord {
    return this._records[this._visible ? this._visible[i] : i];
  }

  /** The current filter. */
  get filter(): ILogFilter {
    return this._filter;
  }

  /** Change the filter and rebuild the visible index. */
  setFilter(filter: Partial<ILogFilter>): void {
    this._filter = { ...this._filter, ...filter };
    const { level, text } = this._filter;
    this._needle = text.toLowerCase();
    this._visible = level === 'DEBUG' && !text ? null : this._visibleIndex();
    this._changed.emit();
  }

  /**
   * Add lines, each at its place in time; those at or before `offset` (already held) are
   * dropped. Returns how many were new.
   */
  append(records: readonly ILogRecord[]): number {
    let added = 0;
    let reindex = false;
    for (const record of records) {
      if (record.seq <= this._offset) {
        continue;
      }
      this._offset = record.seq;
      const at = this._placeOf(record.timestamp);
      if (at === this._records.length) {
        this._records.push(record);
        if (this._visible && this._accept(record)) {
          this._visible.push(at);
        }
      } else {
        // a late line (an engine event): the visible index behind it shifts
        this._records.splice(at, 0, record);
        reindex = true;
      }
      added++;
    }
    if (reindex && this._visible) {
      this._visible = this._visibleIndex();
    }
    if (added) {
      this._changed.emit();
    }
    return added;
  }

  /** The whole log as plain text (ANSI codes removed), one line per record. */
  toText(): string {
    return this._records.map(formatLine).join('\n') + '\n';
  }

  /** Where a line of time `timestamp` goes: after every line of the same or an earlier time.
   * Timestamps are compared as text: the server writes every record's time in one ISO 8601
   * UTC form (dataops.workflows.logs.now_iso), which sorts as text in time order. */
  private _placeOf(timestamp: string): number {
    const records = this._records;
    let lo = 0;
    let hi = records.length;
    if (hi === 0 || records[hi - 1].timestamp <= timestamp) {
      return hi; // the usual case: a line newer than all held
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (records[mid].timestamp <= timestamp) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private _visibleIndex(): number[] {
    const visible: number[] = [];
    const records = this._records;
    for (let i = 0; i < records.length; i++) {
      if (this._accept(records[i])) {
        visible.push(i);
      }
    }
    return visible;
  }

  private _accept(record: ILogRecord): boolean {
    const { level, text } = this._filter;
    if (severity(record.level) < severity(level)) {
      return false;
    }
    return !text || record.message.toLowerCase().includes(this._needle);
  }

  private _records: ILogRecord[] = [];
  private _visible: number[] | null = null;
  private _offset = 0;
  private _needle = '';
  private _filter: ILogFilter = { level: 'DEBUG', text: '' };
  private _changed = new Signal<this, void>(this);
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** One record as a line of the downloaded log file. */
export function formatLine(record: ILogRecord): string {
  const where = record.activity_id ? ` [${record.activity_id}]` : '';
  return `${record.timestamp} ${record.level.padEnd(7)}${where} ${record.message.replace(ANSI, '')}`;
}
