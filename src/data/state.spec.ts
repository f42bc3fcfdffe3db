import { StateDB } from '@jupyterlab/statedb';

import { DataModel } from './model';
import {
  EMPTY_STATE,
  loadState,
  sanitizeState,
  saveState,
  STATE_KEY
} from './state';

describe('Data panel state in the state database', () => {
  it('saves every change of period and choices, so a reload brings them back', async () => {
    const db = new StateDB();
    const model = new DataModel({ state: db });
    model.setPeriod({ start: '2020-01', end: '2024-12', last: 12 });
    model.setSelections({
      FREQ: ['M'],
      CURRENCY: ['USD', 'JPY'],
      EXR_TYPE: []
    });
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(await loadState(db)).toEqual({
      ...EMPTY_STATE,
      selections: { FREQ: ['M'], CURRENCY: ['USD', 'JPY'] },
      start: '2020-01',
      end: '2024-12',
      last: 12
    });
    model.dispose();
  });

  it('round-trips a full state under the panel key', async () => {
    const db = new StateDB();
    const state = {
      source: 'ECB',
      flow: 'EXR',
      selections: { FREQ: ['M'] },
      start: '',
      end: '',
      last: 0,
      asOf: '2026-11 release'
    };
    await saveState(db, state);
    expect(await db.fetch(STATE_KEY)).toEqual(state);
    expect(await loadState(db)).toEqual(state);
  });

  it('starts empty without a database or an entry', async () => {
    expect(await loadState(null)).toEqual(EMPTY_STATE);
    expect(await loadState(new StateDB())).toEqual(EMPTY_STATE);
  });

  it('drops malformed fields of an old or hand-edited entry instead of breaking the panel', () => {
    expect(
      sanitizeState({
        source: 42,
        flow: 'EXR',
        selections: { FREQ: ['M', 7], CURRENCY: 'USD', EXR_TYPE: [] },
        start: null,
        last: -3,
        asOf: 7
      })
    ).toEqual({ ...EMPTY_STATE, flow: 'EXR', selections: { FREQ: ['M'] } });
    expect(sanitizeState('nonsense')).toEqual(EMPTY_STATE);
  });
});
