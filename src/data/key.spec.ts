import { formatKey, KeyError, parseKey, toggleCode } from './key';
import { EXR } from '../testing/fixtures';

describe('series key ⇄ selections', () => {
  it('parses a REST 1.x key into one selection per dimension', () => {
    expect(parseKey('M.USD+JPY.EUR.SP00.A', EXR)).toEqual({
      FREQ: ['M'],
      CURRENCY: ['USD', 'JPY'],
      CURRENCY_DENOM: ['EUR'],
      EXR_TYPE: ['SP00'],
      EXR_SUFFIX: ['A']
    });
  });

  it('writes the codes of a dimension in the order they were chosen', () => {
    const selections = toggleCode(
      toggleCode({}, 'CURRENCY', 'USD'),
      'CURRENCY',
      'JPY'
    );
    expect(selections.CURRENCY).toEqual(['USD', 'JPY']);
    expect(formatKey(EXR, selections)).toBe('.USD+JPY...');
  });

  it('round-trips: formatting the parsed key gives the key back', () => {
    for (const key of [
      'M.JPY+USD.EUR.SP00.A',
      '.USD...',
      'A..EUR.SP00.',
      '....'
    ]) {
      expect(formatKey(EXR, parseKey(key, EXR))).toBe(key);
    }
  });

  it('reads REST 2.x syntax (comma, star) as well', () => {
    expect(formatKey(EXR, parseKey('M.USD,JPY.*.SP00.*', EXR))).toBe(
      'M.USD+JPY..SP00.'
    );
  });

  it('takes all, * and an empty key as everything', () => {
    for (const key of ['', 'all', '*', '  ']) {
      expect(parseKey(key, EXR)).toEqual({});
    }
  });

  it('says how many positions the dataflow has when the key has another number', () => {
    expect(() => parseKey('M.USD.EUR.SP00', EXR)).toThrow(
      'The key has 4 positions but this dataflow has 5 dimensions (FREQ.CURRENCY.CURRENCY_DENOM.EXR_TYPE.EXR_SUFFIX).'
    );
  });

  it('names the dimension of an unknown code', () => {
    expect(() => parseKey('M.XYZ.EUR.SP00.A', EXR)).toThrow(
      "CURRENCY has no code 'XYZ'."
    );
  });

  it('refuses malformed codes and empty alternatives', () => {
    expect(() => parseKey('M.US D.EUR.SP00.A', EXR)).toThrow(KeyError);
    expect(() => parseKey('M.USD+.EUR.SP00.A', EXR)).toThrow('an empty code');
  });

  it('switching a code off again leaves the dimension open', () => {
    const on = toggleCode({}, 'FREQ', 'M');
    expect(toggleCode(on, 'FREQ', 'M')).toEqual({});
  });
});
