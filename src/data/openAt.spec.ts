import { ServerConnection } from '@jupyterlab/services';

import { DataModel } from './model';

/** A store source whose flow EXR has two vintages; the data answer is a 404 (no Arrow here). */
const ANSWERS: [RegExp, unknown][] = [
  [
    /sdmx\/sources$/,
    {
      sources: [
        { id: 'ECB', name: 'ECB', url: '', api: 'sdmx-rest-1', preset: true },
        { id: 'STORE', name: 'Store', url: '', api: 'store', preset: false }
      ]
    }
  ],
  [
    /\/dataflows\?/,
    { source: 'x', total: 0, offset: 0, limit: 50, dataflows: [] }
  ],
  [
    /\/structure$/,
    {
      dataflow: { id: 'EXR', agency: 'ECB', version: '1.0', name: 'Rates' },
      time_dimension: 'TIME_PERIOD',
      dimensions: [
        { id: 'FREQ', name: 'Frequency', position: 0, codes: [] },
        { id: 'CURRENCY', name: 'Currency', position: 1, codes: [] }
      ],
      attributes: []
    }
  ],
  [
    /\/vintages$/,
    {
      source: 'STORE',
      flow: 'EXR',
      vintages: [
        {
          snapshot_id: '11',
          committed_at: '2026-12-01T09:00:00.000Z',
          label: 'run 1',
          tags: ['run 1'],
          who: 'ana',
          message: '',
          action: 'append',
          origin: {}
        },
        {
          snapshot_id: '12',
          committed_at: '2026-12-02T09:00:00.000Z',
          label: 'run 2',
          tags: ['run 2'],
          who: 'ana',
          message: '',
          action: 'append',
          origin: {}
        }
      ]
    }
  ],
  [/\/availability\?/, { key: '', dimensions: {}, url: '' }]
];

/** A model on canned answers, and the addresses it asked for. */
function model(): { model: DataModel; asked: string[] } {
  const asked: string[] = [];
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/',
    fetch: (input: RequestInfo) => {
      const url = (typeof input === 'string' ? input : input.url).replace(
        /[?&]\d+$/,
        ''
      );
      asked.push(url);
      const found = ANSWERS.find(([pattern]) => pattern.test(url));
      return Promise.resolve(
        found
          ? new Response(JSON.stringify(found[1]), { status: 200 })
          : new Response('{"error":"not_found","message":"no"}', {
              status: 404
            })
      );
    },
    Request,
    Headers
  } as Partial<ServerConnection.ISettings>);
  return {
    model: new DataModel({ settings, availabilityDelay: 0 }),
    asked
  };
}

describe('DataModel.openAt (where a run’s vintage link leads)', () => {
  it('selects the source, the flow, the series and the vintage, and reads at it', async () => {
    const { model: m, asked } = model();
    await m.openAt({
      source: 'STORE',
      flow: 'EXR',
      key: 'M.USD',
      asOf: 'run 1'
    });
    expect(m.state.source).toBe('STORE');
    expect(m.state.flow).toBe('EXR');
    expect(m.key).toBe('M.USD');
    expect(m.state.asOf).toBe('run 1');
    expect(m.readCall?.asOf).toBe('run 1');
    expect(m.openProblem).toBeNull();
    const vintages = m.history.vintages;
    expect(vintages.kind === 'ready' && vintages.value.length).toBe(2);
    const data = asked.filter(url => url.includes('/data?'));
    expect(data).toHaveLength(1);
    expect(new URL(data[0]).searchParams.get('as_of')).toBe('run 1');
    expect(new URL(data[0]).searchParams.get('key')).toBe('M.USD');
    m.dispose();
  });

  it('says a vintage the flow does not have is not there rather than showing the latest', async () => {
    const { model: m, asked } = model();
    await m.openAt({ source: 'STORE', flow: 'EXR', asOf: 'run 9' });
    expect(m.state.asOf).toBe('run 9');
    expect(m.openProblem).toBe(
      "EXR in STORE has no vintage named 'run 9' (2 vintages listed): nothing is shown at it."
    );
    // The read still names the vintage: the server refuses it, it never falls back to the latest.
    const data = asked.filter(url => url.includes('/data?'));
    expect(new URL(data[0]).searchParams.get('as_of')).toBe('run 9');
    m.setAsOf('run 2');
    expect(m.openProblem).toBeNull();
    m.dispose();
  });

  it('takes a snapshot id or a date as the vintage without a complaint', async () => {
    const { model: m } = model();
    await m.openAt({ source: 'STORE', flow: 'EXR', asOf: '12' });
    expect(m.openProblem).toBeNull();
    await m.openAt({ source: 'STORE', flow: 'EXR', asOf: '2026-12-01' });
    expect(m.openProblem).toBeNull();
    expect(m.state.asOf).toBe('2026-12-01');
    m.dispose();
  });
});
