import { IStateDB } from '@jupyterlab/statedb';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { compactSelections, Selections } from './key';

/** Key of the Data panel's entry in JupyterLab's state database. */
export const STATE_KEY = 'jupyterlab-dataops:data';

/** What survives a page reload: the source, the flow, the choices and the vintage. */
export interface IDataState {
  source: string | null;
  flow: string | null;
  selections: Selections;
  start: string;
  end: string;
  last: number;
  /** The vintage of a store source to read (`as_of`): a name, or a date or time; '' the latest. */
  asOf: string;
}

/** The state of a panel that was never used. */
export const EMPTY_STATE: IDataState = {
  source: null,
  flow: null,
  selections: {},
  start: '',
  end: '',
  last: 0,
  asOf: ''
};

/** Keep only well-formed fields of a stored state (an older or edited entry must not break the panel). */
export function sanitizeState(raw: unknown): IDataState {
  if (!raw || typeof raw !== 'object') {
    return { ...EMPTY_STATE };
  }
  const value = raw as Record<string, unknown>;
  const text = (field: unknown) => (typeof field === 'string' ? field : '');
  const selections: Selections = {};
  if (value.selections && typeof value.selections === 'object') {
    for (const [dim, codes] of Object.entries(value.selections)) {
      if (Array.isArray(codes)) {
        selections[dim] = codes.filter(c => typeof c === 'string');
      }
    }
  }
  const last = Number(value.last);
  return {
    source: typeof value.source === 'string' ? value.source : null,
    flow: typeof value.flow === 'string' ? value.flow : null,
    selections: compactSelections(selections),
    start: text(value.start),
    end: text(value.end),
    last: Number.isInteger(last) && last > 0 ? last : 0,
    asOf: text(value.asOf).trim()
  };
}

/** Read the saved state (the empty state when there is none). */
export async function loadState(
  db: IStateDB | null,
  key = STATE_KEY
): Promise<IDataState> {
  if (!db) {
    return { ...EMPTY_STATE };
  }
  return sanitizeState(await db.fetch(key));
}

/** Save the state; failures are not fatal to the panel (the browser may refuse storage). */
export async function saveState(
  db: IStateDB | null,
  state: IDataState,
  key = STATE_KEY
): Promise<void> {
  await db?.save(key, {
    ...state,
    selections: compactSelections(state.selections)
  } as unknown as ReadonlyPartialJSONObject);
}
