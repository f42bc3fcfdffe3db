import { deniedReason } from './api';

describe('deniedReason', () => {
  it('gives the sentence of a refused action', () => {
    const reason =
      "Only members of release-managers may cancel releaser's run in prod; analyst may not.";
    expect(deniedReason({ allowed: false, reason })).toBe(reason);
  });

  it('is null for an allowed action and where rights are not enforced', () => {
    expect(deniedReason({ allowed: true, reason: '' })).toBeNull();
    expect(deniedReason(undefined)).toBeNull();
  });
});
