import { formatDuration } from './duration';

describe('formatDuration', () => {
  it('says nothing for an unknown duration', () => {
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(undefined)).toBe('');
  });

  it('keeps tenths of a short step and rounds longer seconds', () => {
    expect(formatDuration(1.23)).toBe('1.2 s');
    expect(formatDuration(5)).toBe('5 s');
    expect(formatDuration(42.4)).toBe('42 s');
  });

  it('counts minutes with two-digit seconds', () => {
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatDuration(59.6)).toBe('1 min 00 s');
    expect(formatDuration(3599)).toBe('59 min 59 s');
  });

  it('counts hours, a pipeline of over an hour included', () => {
    expect(formatDuration(3723)).toBe('1 h 02 min 03 s');
    expect(formatDuration(3600)).toBe('1 h 00 min 00 s');
    expect(formatDuration(26 * 3600 + 61)).toBe('26 h 01 min 01 s');
  });
});
