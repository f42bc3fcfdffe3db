import { ILogSlice } from './api';
import {
  hasSectionMarker,
  IAnsiLine,
  IAnsiStyle,
  lineText,
  parseLine,
  PLAIN
} from '../common/ansi';

/** What `JobLog.apply` did with a slice. */
export type ApplyResult = 'appended' | 'replaced' | 'ignored';

/**
 * A job's log as the job view shows it, built from the server's offset slices.
 *
 * Each byte is appended once: a slice is taken only when it starts where the log held here
 * ends (`offset`), so a late or repeated answer is ignored, and `reset` (a retried job whose
 * log shrank) replaces everything. Complete lines are parsed once; only the unfinished last
 * line is parsed again when more of it arrives, so an ANSI sequence cut between two slices
 * still colours the right text.
 */
export class JobLog {
  /** Bytes of the log held (the next slice's `offset`). */
  get offset(): number {
    return this._offset;
  }

  /** True once the server said the log will not grow. */
  get finished(): boolean {
    return this._finished;
  }

  /** Grows whenever the shown log changes (a cheap change key for React). */
  get version(): number {
    return this._version;
  }

  /** The lines to show, the unfinished last one included (a copy: use `line(i)` to render). */
  get lines(): readonly IAnsiLine[] {
    return this._tail ? [...this._lines, this._tailLine] : this._lines;
  }

  /** Number of lines to show. */
  get lineCount(): number {
    return this._lines.length + (this._tail ? 1 : 0);
  }

  /** The `i`-th line to show. */
  line(i: number): IAnsiLine {
    return i < this._lines.length ? this._lines[i] : this._tailLine;
  }

  /** The log as plain text (styles and GitLab markers removed). */
  get text(): string {
    return this.lines.map(lineText).join('\n');
  }

  /** Take a slice from `GET .../jobs/{id}/log?offset=N`. */
  apply(slice: ILogSlice): ApplyResult {
    let result: ApplyResult = 'appended';
    if (slice.reset) {
      this.clear();
      result = 'replaced';
    } else if (slice.offset !== this._offset) {
      return 'ignored';
    }
    this.append(slice.content);
    this._offset = slice.next_offset;
    this._finished = slice.finished;
    this._version++;
    return result;
  }

  private append(content: string): void {
    if (!content) {
      return;
    }
    const pieces = (this._tail + content).split('\n');
    this._tail = pieces.pop() ?? '';
    for (const raw of pieces) {
      const parsed = parseLine(raw, this._tailStyle);
      this._tailStyle = parsed.style;
      // a line that only carried GitLab's section_end marker is not part of the log
      if (parsed.line.segments.length > 0 || !hasSectionMarker(raw)) {
        this._lines.push(parsed.line);
      }
    }
    this._tailLine = parseLine(this._tail, this._tailStyle).line;
  }

  private clear(): void {
    this._lines = [];
    this._tail = '';
    this._tailLine = { segments: [] };
    this._tailStyle = PLAIN;
    this._offset = 0;
  }

  private _lines: IAnsiLine[] = [];
  private _tail = '';
  private _tailLine: IAnsiLine = { segments: [] };
  private _tailStyle: IAnsiStyle = PLAIN;
  private _offset = 0;
  private _finished = false;
  private _version = 0;
}
