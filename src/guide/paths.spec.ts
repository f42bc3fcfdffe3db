import { freePath } from './paths';

describe('freePath', () => {
  const taken =
    (...paths: string[]) =>
    async (path: string) =>
      paths.includes(path);

  it('keeps the wanted path when it is free', async () => {
    expect(await freePath('work/steps.py', taken())).toBe('work/steps.py');
  });

  it('numbers the name, never replacing a file', async () => {
    expect(
      await freePath(
        'work/01_read.ipynb',
        taken('work/01_read.ipynb', 'work/01_read-1.ipynb')
      )
    ).toBe('work/01_read-2.ipynb');
  });

  it('keeps a double extension and a top-level name', async () => {
    expect(await freePath('x.tar.gz', taken('x.tar.gz'))).toBe('x-1.tar.gz');
    expect(await freePath('.env', taken('.env'))).toBe('.env-1');
  });
});
