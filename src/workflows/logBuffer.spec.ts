import { ILogRecord } from './api';
import { formatLine, LogBuffer } from './logBuffer';
import { ISocket, OffsetStream } from './stream';

const rec = (
  seq: number,
  level = 'INFO',
  message = `line ${seq}`
): ILogRecord => ({
  seq,
  run_id: 'r1',
  timestamp: `2026-11-26T10:00:${String(seq % 60).padStart(2, '0')}Z`,
  level,
  message,
  kind: 'log',
  source: 'logging'
});

/** A socket the test drives by hand. */
class FakeSocket implements ISocket {
  constructor(readonly url: string) {}
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  close(): void {
    this.closed = true;
  }
  send(records: ILogRecord[]): void {
    const next = records.length ? records[records.length - 1].seq : 0;
    this.onmessage?.({
      data: JSON.stringify({ type: 'records', records, next_offset: next })
    });
  }
  drop(): void {
    this.onclose?.({});
  }
}

describe('LogBuffer', () => {
  it('keeps lines in offset order and drops the ones it already holds', () => {
    const log = new LogBuffer();
    expect(log.append([rec(1), rec(2), rec(3)])).toBe(3);
    expect(log.append([rec(2), rec(3), rec(4)])).toBe(1);
    expect(log.records.map(r => r.seq)).toEqual([1, 2, 3, 4]);
    expect(log.offset).toBe(4);
  });

  it('filters by lowest level and by text, also for lines that arrive later', () => {
    const log = new LogBuffer();
    log.append([
      rec(1, 'DEBUG'),
      rec(2, 'INFO', 'fetch EXR'),
      rec(3, 'WARNING', 'EXR late')
    ]);
    log.setFilter({ level: 'INFO' });
    expect(log.visibleCount).toBe(2);
    log.setFilter({ text: 'exr' });
    expect(log.visibleCount).toBe(2);
    log.setFilter({ level: 'WARNING' });
    expect(log.visibleAt(0).seq).toBe(3);
    log.append([rec(4, 'ERROR', 'EXR failed'), rec(5, 'ERROR', 'other')]);
    expect(log.visibleCount).toBe(2);
    expect(log.visibleAt(1).message).toBe('EXR failed');
    log.setFilter({ level: 'DEBUG', text: '' });
    expect(log.visibleCount).toBe(5);
  });

  it('shows every line until a filter is set, and a text filter alone hides no level', () => {
    const log = new LogBuffer();
    expect(log.filter).toEqual({ level: 'DEBUG', text: '' });
    log.append([rec(1, 'DEBUG', 'fetch EXR'), rec(2, 'INFO', 'other')]);
    expect(log.visibleCount).toBe(2);
    log.setFilter({ text: 'EXR' });
    expect(log.visibleCount).toBe(1);
    expect(log.visibleAt(0).level).toBe('DEBUG');
  });

  it('ranks level names written in lower case as their upper-case level', () => {
    const log = new LogBuffer();
    log.append([
      rec(1, 'warning', 'disk almost full'),
      rec(2, 'info', 'fetch EXR'),
      rec(3, 'fatal', 'crashed'),
      rec(4, 'NOTICE', 'unknown level')
    ]);
    log.setFilter({ level: 'WARNING' });
    expect(log.visibleCount).toBe(2);
    expect([log.visibleAt(0).seq, log.visibleAt(1).seq]).toEqual([1, 3]);
    log.setFilter({ level: 'INFO' });
    expect(log.visibleCount).toBe(4); // an unknown level counts as INFO
  });

  it('tells its view when lines arrive, and not when every line was already held', () => {
    const log = new LogBuffer();
    let told = 0;
    log.changed.connect(() => told++);
    log.append([rec(1), rec(2)]);
    expect(told).toBe(1);
    log.append([rec(1), rec(2)]);
    log.append([]);
    expect(told).toBe(1);
    log.setFilter({ level: 'ERROR' });
    expect(told).toBe(2);
  });

  it('downloads one line per record', () => {
    const log = new LogBuffer();
    log.append([rec(1, 'INFO', 'first'), rec(2, 'ERROR', 'second')]);
    expect(log.toText()).toBe(
      '2026-11-26T10:00:01Z INFO    first\n2026-11-26T10:00:02Z ERROR   second\n'
    );
  });

  it('downloads as plain text without colour codes', () => {
    const log = new LogBuffer();
    log.append([
      { ...rec(1, 'ERROR', '\x1b[31mred\x1b[0m'), activity_id: 'fetch' }
    ]);
    expect(log.toText()).toBe('2026-11-26T10:00:01Z ERROR   [fetch] red\n');
    expect(formatLine(rec(2))).toContain('INFO    line 2');
  });

  // How long this takes is a benchmark's business (bench/), not a unit test's.
  it('holds 100,000 lines and filters them', () => {
    const log = new LogBuffer();
    const batch: ILogRecord[] = [];
    for (let i = 1; i <= 100_000; i++) {
      // one line per millisecond, in time order as a live run writes them
      const timestamp = new Date(Date.UTC(2026, 10, 26, 10) + i).toISOString();
      batch.push({ ...rec(i, i % 10 === 0 ? 'ERROR' : 'INFO'), timestamp });
    }
    log.append(batch);
    log.setFilter({ level: 'ERROR' });
    expect(log.visibleCount).toBe(10_000);
  });

  it('shows an engine event that arrives late at its time, before the lines written after it', () => {
    const at = (seq: number, ms: number, message: string): ILogRecord => ({
      ...rec(seq, 'INFO', message),
      timestamp: `2026-11-26T10:00:00.${String(ms).padStart(3, '0')}000Z`
    });
    const log = new LogBuffer();
    log.setFilter({ text: 'fetch' });
    log.append([
      at(1, 100, 'fetching EXR'),
      at(2, 212, 'Activity fetch ended')
    ]);
    // the engine's "started" (12 ms before the end) reaches the log on the next poll
    log.append([
      at(3, 200, 'Activity fetch started'),
      at(4, 250, 'validate: fetch ok')
    ]);
    expect(log.records.map(r => r.message)).toEqual([
      'fetching EXR',
      'Activity fetch started',
      'Activity fetch ended',
      'validate: fetch ok'
    ]);
    expect(log.offset).toBe(4);
    expect(log.visibleCount).toBe(4);
    expect(log.visibleAt(1).message).toBe('Activity fetch started');
    // same time: arrival order; a repeated line is still dropped by its offset
    log.append([
      at(3, 200, 'Activity fetch started'),
      at(5, 212, 'fetch done')
    ]);
    expect(log.records.map(r => r.seq)).toEqual([1, 3, 2, 5, 4]);
    log.setFilter({ text: '' });
    expect(log.visibleAt(3).message).toBe('fetch done');
  });
});

describe('OffsetStream feeding a LogBuffer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setUp() {
    const log = new LogBuffer();
    const sockets: FakeSocket[] = [];
    const stream = new OffsetStream<{ type: string; records: ILogRecord[] }>({
      url: offset => `ws://server/stream?offset=${offset}`,
      offset: () => log.offset,
      onMessage: m => log.append(m.records),
      createSocket: url => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      backoff: { initial: 100, max: 400 }
    });
    stream.start();
    return { log, sockets, stream };
  }

  it('reconnects after a drop from the last offset it holds, losing and repeating nothing', () => {
    const { log, sockets, stream } = setUp();
    expect(sockets[0].url).toBe('ws://server/stream?offset=0');
    sockets[0].send([rec(1), rec(2), rec(3)]);
    sockets[0].drop();
    expect(stream.state).toBe('reconnecting');
    jest.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toBe('ws://server/stream?offset=3');
    // The server replays from the offset; an overlapping batch must not duplicate lines.
    sockets[1].send([rec(3), rec(4)]);
    sockets[1].send([rec(5)]);
    expect(log.records.map(r => r.seq)).toEqual([1, 2, 3, 4, 5]);
    stream.dispose();
  });

  it('backs off between failed reconnects and resets once data flows', () => {
    const { sockets, stream } = setUp();
    sockets[0].drop();
    jest.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    jest.advanceTimersByTime(1);
    sockets[1].drop(); // 200 ms next
    jest.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    jest.advanceTimersByTime(1);
    sockets[2].drop(); // 400 ms (the cap)
    jest.advanceTimersByTime(400);
    sockets[3].drop(); // still 400
    jest.advanceTimersByTime(400);
    expect(sockets).toHaveLength(5);
    sockets[4].send([rec(1)]);
    sockets[4].drop(); // data flowed: back to 100
    jest.advanceTimersByTime(100);
    expect(sockets).toHaveLength(6);
    expect(stream.connections).toBe(6);
    stream.dispose();
  });

  it('stops for good when disposed', () => {
    const { sockets, stream } = setUp();
    stream.dispose();
    expect(sockets[0].closed).toBe(true);
    sockets[0].drop();
    jest.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
    expect(stream.state).toBe('closed');
  });
});
