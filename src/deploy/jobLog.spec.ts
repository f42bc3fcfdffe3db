import { applySgr, parseLine, PLAIN } from '../common/ansi';
import { ILogSlice } from './api';
import { JobLog } from './jobLog';

const encoder = new TextEncoder();

/** Slices of `full` as the server cuts them: from a byte offset, at character boundaries. */
function slice(
  full: string,
  offset: number,
  end: number,
  finished = false
): ILogSlice {
  const bytes = encoder.encode(full);
  const content = new TextDecoder().decode(bytes.slice(offset, end));
  return {
    job_id: 1,
    status: finished ? 'success' : 'running',
    finished,
    offset,
    next_offset: end,
    content,
    reset: false
  };
}

const LOG =
  '\x1b[0KRunning with gitlab-runner 17.5.0\n' +
  'section_start:1732600000:step_script\r\x1b[0K\x1b[32;1m$ dataops run\x1b[0;m\n' +
  'PASSED   notebooks/a.ipynb\n' +
  'Prüfung abgeschlossen — 2 passed\n' +
  'section_end:1732600030:step_script\r\x1b[0K\n';

describe('JobLog', () => {
  it('appends each byte once, whatever order and repetition the answers come in', () => {
    const bytes = encoder.encode(LOG).length;
    const cuts = [0, 20, 60, 61, 95, bytes];
    const log = new JobLog();
    const slices = cuts
      .slice(1)
      .map((end, i) => slice(LOG, cuts[i], end, end === bytes));
    expect(log.apply(slices[0])).toBe('appended');
    expect(log.apply(slices[0])).toBe('ignored'); // the same answer twice
    expect(log.apply(slices[2])).toBe('ignored'); // an answer for a later offset
    for (const s of slices.slice(1)) {
      expect(log.apply(s)).toBe('appended');
    }
    expect(log.apply(slice(LOG, bytes, bytes, true))).toBe('appended'); // nothing new
    expect(log.text).toBe(
      'Running with gitlab-runner 17.5.0\n$ dataops run\nPASSED   notebooks/a.ipynb\n' +
        'Prüfung abgeschlossen — 2 passed'
    );
    expect(log.offset).toBe(bytes);
    expect(log.finished).toBe(true);
  });

  it('colours text whose escape sequence was cut between two answers', () => {
    const text = 'ok \x1b[31mred\x1b[0m done\n';
    const log = new JobLog();
    log.apply(slice(text, 0, 5)); // ends inside "\x1b[31m"
    expect(log.text).toBe('ok ');
    log.apply(slice(text, 5, encoder.encode(text).length));
    const segments = log.line(0).segments;
    expect(segments.map(s => [s.text, s.classes])).toEqual([
      ['ok ', ''],
      ['red', 'ansi-red-fg'],
      [' done', '']
    ]);
  });

  it('carries a colour over to the next line until it is reset', () => {
    const log = new JobLog();
    const text = '\x1b[1;33mwarning\nstill\x1b[0m plain\n';
    log.apply(slice(text, 0, encoder.encode(text).length));
    expect(log.line(1).segments[0]).toEqual({
      text: 'still',
      classes: 'ansi-yellow-fg ansi-bold'
    });
    expect(log.line(1).segments[1].classes).toBe('');
  });

  it('replaces what it shows when the log was reset (a retried job)', () => {
    const log = new JobLog();
    log.apply(slice('first attempt\n', 0, 14));
    const again: ILogSlice = {
      ...slice('retry\n', 0, 6),
      offset: 0,
      reset: true
    };
    expect(log.apply(again)).toBe('replaced');
    expect(log.text).toBe('retry\n'.replace(/\n$/, ''));
    expect(log.lineCount).toBe(1);
    expect(log.offset).toBe(6);
  });

  it('shows the last redraw of a line rewritten with carriage returns', () => {
    const { line } = parseLine('10%\r50%\r100% done', PLAIN);
    expect(line.segments.map(s => s.text).join('')).toBe('100% done');
  });

  it('maps bright colours and skips 256-colour arguments', () => {
    expect(applySgr(PLAIN, '91').fg).toBe('red-intense');
    const style = applySgr(PLAIN, '38;5;208;1');
    expect(style).toEqual({ ...PLAIN, bold: true });
  });
});
