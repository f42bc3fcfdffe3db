import { dataQuery } from './api';
import {
  firstRevisedPeriod,
  formatValue,
  instantProblem,
  IRevisionSeries,
  IVintage,
  namedVintage,
  revisionChart,
  triangleRows,
  vintageHeadings,
  vintageNames
} from './vintages';

function vintage(id: string, tags: string[], at: string): IVintage {
  return {
    snapshot_id: id,
    committed_at: at,
    label: tags[0] ?? at,
    tags,
    who: 'ana',
    message: '',
    action: 'merge',
    origin: {}
  };
}

const VINTAGES = [
  vintage('101', ['2019-10 release'], '2026-11-01T09:00:00.000Z'),
  vintage('102', ['2019-11 release', 'final'], '2026-12-01T09:00:00.000Z'),
  vintage('103', [], '2026-12-02T09:00:00.000Z')
];

/** Four periods in three vintages: 09 revised in the third, 10 in the second, 11 and 12 new. */
const SERIES: IRevisionSeries = {
  series_key: 'M.USD.EUR.SP00.A',
  periods: ['2019-08', '2019-09', '2019-10', '2019-11', '2019-12'],
  values: [
    [1.1126, 1.1126, 1.1126],
    [1.0949, 1.0949, 1.1004],
    [1.0997, 1.1053, 1.1053],
    [null, 1.1051, 1.1051],
    [null, null, 1.1113]
  ]
};

describe('vintage picker', () => {
  it('offers every vintage name, newest first', () => {
    expect(vintageNames(VINTAGES)).toEqual([
      '2019-11 release',
      'final',
      '2019-10 release'
    ]);
  });

  it('finds the vintage as_of names by tag or snapshot id, none for the latest', () => {
    expect(namedVintage(VINTAGES, 'final')?.snapshot_id).toBe('102');
    expect(namedVintage(VINTAGES, '103')?.label).toBe(
      '2026-12-02T09:00:00.000Z'
    );
    expect(namedVintage(VINTAGES, '')).toBeNull();
    expect(namedVintage(VINTAGES, '2026-11-30')).toBeNull();
  });

  it('accepts a date or an ISO time and says why other text is not one', () => {
    for (const ok of [
      '',
      '2026-11-30',
      '2026-11-30T09:00',
      '2026-11-30T09:00:00Z',
      '2026-11-30T09:00:00.250+01:00'
    ]) {
      expect(instantProblem(ok)).toBeNull();
    }
    expect(instantProblem('last week')).toBe(
      "'last week' is not a date or time: use 2026-11-30 or 2026-11-30T09:00:00Z."
    );
    expect(instantProblem('2026-11')).not.toBeNull();
  });

  it('sends as_of with the data query only when a vintage is picked', () => {
    const base = { start: '', end: '', last: 0, limit: 50 };
    expect(dataQuery('A', { ...base, asOf: '2019-10 release' })).toBe(
      'key=A&limit=50&as_of=2019-10+release'
    );
    expect(dataQuery('A', { ...base, asOf: '' })).toBe('key=A&limit=50');
  });
});

describe('revision triangle', () => {
  it('lists the newest period first and marks new and revised values', () => {
    const rows = triangleRows(SERIES);
    expect(rows.map(r => r.period)).toEqual([
      '2019-12',
      '2019-11',
      '2019-10',
      '2019-09',
      '2019-08'
    ]);
    expect(rows[0].cells.map(c => c.change)).toEqual([
      'absent',
      'absent',
      'new'
    ]);
    expect(rows[1].cells.map(c => c.change)).toEqual(['absent', 'new', 'same']);
    expect(rows[2].cells.map(c => c.change)).toEqual([
      'same',
      'revised',
      'same'
    ]);
    expect(rows[3].cells.map(c => c.change)).toEqual([
      'same',
      'same',
      'revised'
    ]);
    expect(rows.map(r => r.revised)).toEqual([false, false, true, true, false]);
  });

  it('marks a value a later vintage removed', () => {
    const rows = triangleRows({
      series_key: 'A',
      periods: ['2020'],
      values: [[1, null]]
    });
    expect(rows[0].cells.map(c => c.change)).toEqual(['same', 'removed']);
  });

  it('overlays one chart line per vintage, from a year before the first revision', () => {
    const long: IRevisionSeries = {
      series_key: 'A',
      periods: Array.from({ length: 30 }, (_, i) => `P${i}`),
      values: Array.from({ length: 30 }, (_, i) =>
        i === 20 ? [1, 2, 2] : [i, i, i]
      )
    };
    expect(firstRevisedPeriod(long)).toBe(20);
    const chart = revisionChart(long, VINTAGES);
    expect(chart.series).toEqual([
      '2019-10 release',
      '2019-11 release',
      '2026-12-02 09:00'
    ]);
    expect(chart.from).toBe('P8');
    expect(chart.points).toHaveLength(22 * 3);
    expect(chart.points.filter(p => p.period === 'P20')).toEqual([
      { series: '2019-10 release', period: 'P20', value: 1 },
      { series: '2019-11 release', period: 'P20', value: 2 },
      { series: '2026-12-02 09:00', period: 'P20', value: 2 }
    ]);
  });

  it('names unnamed vintages by their commit minute, in full where two would read the same', () => {
    const twins = [...VINTAGES, vintage('104', [], '2026-12-02T09:00:30.000Z')];
    expect(vintageHeadings(twins)).toEqual([
      '2019-10 release',
      '2019-11 release',
      '2026-12-02T09:00:00.000Z',
      '2026-12-02T09:00:30.000Z'
    ]);
  });

  it('shows values to six significant digits, whole numbers in full', () => {
    expect(formatValue(1.1126227272727272)).toBe('1.11262');
    expect(formatValue(0.000123456789)).toBe('0.000123457');
    expect(formatValue(123456789.256)).toBe('123456789.26');
    expect(formatValue(-2.5)).toBe('-2.5');
    expect(formatValue(0)).toBe('0');
  });

  it('leaves out the values a vintage did not have yet', () => {
    const chart = revisionChart(SERIES, VINTAGES);
    expect(chart.from).toBeNull();
    expect(
      chart.points
        .filter(p => p.series === '2019-10 release')
        .map(p => p.period)
    ).toEqual(['2019-08', '2019-09', '2019-10']);
  });
});
