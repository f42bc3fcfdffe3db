/**
 * Test data shared by the jest specs (not part of the built extension: tsconfig.json excludes
 * `src/testing/`).
 */
import { IDimension } from '../data/api';
import { IPipeline } from '../deploy/api';

/** The ECB EXR dimensions (codes cut down to a few of the real codelists). */
export const EXR: IDimension[] = [
  ['FREQ', 'Frequency', ['A', 'D', 'M', 'Q']],
  ['CURRENCY', 'Currency', ['CHF', 'GBP', 'JPY', 'USD']],
  ['CURRENCY_DENOM', 'Currency denominator', ['EUR', 'USD']],
  ['EXR_TYPE', 'Exchange rate type', ['SP00', 'EN00']],
  ['EXR_SUFFIX', 'Series variation', ['A', 'E']]
].map(([id, name, codes], position) => ({
  id: id as string,
  name: name as string,
  position,
  codes: (codes as string[]).map(code => ({ id: code, name: `${code} name` }))
}));

/** A push pipeline of `deploy/dev` started by Ana: running, on commit `sha<id>` unless told. */
export function pipeline(
  id: number,
  fields: Partial<IPipeline> = {}
): IPipeline {
  return {
    id,
    iid: id,
    ref: 'deploy/dev',
    sha: `sha${id}`,
    status: 'running',
    source: 'push',
    created_at: null,
    updated_at: null,
    started_at: null,
    finished_at: null,
    duration: null,
    user: 'ana',
    user_name: 'Ana',
    web_url: `http://gitlab/p/-/pipelines/${id}`,
    environment: 'dev',
    jobs: [],
    ...fields
  };
}
