import { ServerConnection } from '@jupyterlab/services';
import { StateDB } from '@jupyterlab/statedb';

import { DataModel } from './model';
import { loadState } from './state';

/** Answers of the dataops API for one store source and one SDMX source (no network). */
const ANSWERS: [RegExp, unknown][] = [
  [
    /sdmx\/sources$/,
    {
      sources: [
        { id: 'STORE', name: 'Store', url: '', api: 'store', preset: false },
        { id: 'ECB', name: 'ECB', url: '', api: 'sdmx-rest-1', preset: true }
      ]
    }
  ],
  [/\/status$/, { id: 'x', reachable: true, message: 'ok', latency_ms: 1 }],
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
      flow: 'ECB:EXR(1.0)',
      vintages: [
        {
          snapshot_id: '1',
          committed_at: '2026-11-01T09:00:00.000Z',
          label: '2019-10 release',
          tags: ['2019-10 release'],
          who: 'ana',
          message: '',
          action: 'merge',
          origin: {}
        }
      ]
    }
  ],
  [/\/availability\?/, { key: '', dimensions: {}, url: '' }]
];

function settings(): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/',
    fetch: (input: RequestInfo) => {
      // JupyterLab adds a cache-busting number to GET requests.
      const url = (typeof input === 'string' ? input : input.url).replace(
        /[?&]\d+$/,
        ''
      );
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
}

async function modelOn(source: string, db = new StateDB()): Promise<DataModel> {
  const model = new DataModel({
    settings: settings(),
    state: db,
    availabilityDelay: 0
  });
  await model.loadSources();
  await model.selectSource(source);
  await model.selectFlow('EXR');
  return model;
}

describe('vintages in the Data model', () => {
  it('lists a store source’s vintages and writes the picked one as as_of', async () => {
    const model = await modelOn('STORE');
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(model.isStore).toBe(true);
    const vintages = model.history.vintages;
    expect(vintages.kind === 'ready' && vintages.value[0].tags).toEqual([
      '2019-10 release'
    ]);
    model.setKey('M.USD');
    model.setAsOf('2019-10 release');
    expect(model.readCall?.asOf).toBe('2019-10 release');
    expect(model.code).toContain(
      'dataops.read("STORE", "EXR", key="M.USD", as_of="2019-10 release")'
    );
    model.setAsOf('');
    expect(model.code).not.toContain('as_of');
    model.dispose();
  });

  it('brings the vintage back after a reload, and forgets it for another flow', async () => {
    const db = new StateDB();
    const first = await modelOn('STORE', db);
    first.setAsOf('2026-11-30');
    await new Promise(resolve => setTimeout(resolve, 0));
    first.dispose();
    expect((await loadState(db)).asOf).toBe('2026-11-30');
    const again = new DataModel({ settings: settings(), state: db });
    await again.restore();
    expect(again.state.asOf).toBe('2026-11-30');
    expect(again.code).toContain('as_of="2026-11-30"');
    await again.selectFlow('OTHER');
    expect(again.state.asOf).toBe('');
    again.dispose();
  });

  it('never puts as_of in the code of a source without vintages', async () => {
    const model = await modelOn('ECB');
    expect(model.isStore).toBe(false);
    expect(model.history.vintages.kind).toBe('idle');
    model.setAsOf('2019-10 release');
    expect(model.code).not.toContain('as_of');
    model.dispose();
  });
});
