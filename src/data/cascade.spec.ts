import { IAvailability } from './api';
import {
  availabilityQueries,
  dimensionCounts,
  mergeAvailability,
  selectionsWithoutData
} from './cascade';
import { EXR } from '../testing/fixtures';

function answer(
  dimensions: Record<string, string[]>,
  series: number | null
): IAvailability {
  return {
    key: '',
    dimensions,
    series_count: series,
    obs_count: null,
    url: ''
  };
}

describe('cascading availability', () => {
  it('needs one request when nothing is chosen', () => {
    expect(availabilityQueries(EXR, {})).toEqual([
      {
        key: '....',
        dimensions: [
          'FREQ',
          'CURRENCY',
          'CURRENCY_DENOM',
          'EXR_TYPE',
          'EXR_SUFFIX'
        ]
      }
    ]);
  });

  it('does not narrow a dimension by its own choice', () => {
    const queries = availabilityQueries(EXR, {
      FREQ: ['M'],
      CURRENCY: ['USD']
    });
    expect(queries).toEqual([
      {
        key: 'M.USD...',
        dimensions: ['CURRENCY_DENOM', 'EXR_TYPE', 'EXR_SUFFIX']
      },
      { key: '.USD...', dimensions: ['FREQ'] },
      { key: 'M....', dimensions: ['CURRENCY'] }
    ]);
  });

  it('asks for the full key first even when every dimension has a choice (for the series count)', () => {
    const all = {
      FREQ: ['M'],
      CURRENCY: ['USD'],
      CURRENCY_DENOM: ['EUR'],
      EXR_TYPE: ['SP00'],
      EXR_SUFFIX: ['A']
    };
    const queries = availabilityQueries(EXR, all);
    expect(queries[0]).toEqual({ key: 'M.USD.EUR.SP00.A', dimensions: [] });
    expect(queries).toHaveLength(6);
  });

  it('merges the answers: each dimension from its own request, the count from the full key', () => {
    const selections = { FREQ: ['M'] };
    const queries = availabilityQueries(EXR, selections);
    const cascade = mergeAvailability(EXR, queries, [
      answer(
        {
          FREQ: ['M'],
          CURRENCY: ['USD', 'JPY'],
          CURRENCY_DENOM: ['EUR'],
          EXR_TYPE: ['SP00']
        },
        2
      ),
      answer({ FREQ: ['A', 'M'], CURRENCY: ['USD', 'JPY', 'CHF'] }, 7)
    ]);
    expect(cascade.seriesCount).toBe(2);
    expect(cascade.available.FREQ).toEqual(['A', 'M']);
    expect(cascade.available.CURRENCY).toEqual(['USD', 'JPY']);
    // The provider did not mention EXR_SUFFIX: nothing is ruled out.
    expect(cascade.available.EXR_SUFFIX).toEqual(['A', 'E']);
    expect(dimensionCounts(EXR[1], cascade)).toEqual({
      available: 2,
      total: 4
    });
    expect(dimensionCounts(EXR[1], null)).toEqual({ available: 4, total: 4 });
  });

  it('flags chosen codes that have no data under the other choices', () => {
    const cascade = {
      available: { CURRENCY: ['USD'], FREQ: ['M'] },
      seriesCount: 1
    };
    expect(
      selectionsWithoutData({ CURRENCY: ['USD', 'JPY'], FREQ: ['M'] }, cascade)
    ).toEqual({
      CURRENCY: ['JPY']
    });
  });
});
