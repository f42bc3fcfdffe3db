/**
 * `wanted`, or the first of `name-1.ext`, `name-2.ext`, … that does not exist: creating an
 * example or a template never replaces a file.
 */
export async function freePath(
  wanted: string,
  exists: (path: string) => Promise<boolean>
): Promise<string> {
  if (!(await exists(wanted))) {
    return wanted;
  }
  const slash = wanted.lastIndexOf('/');
  const folder = wanted.slice(0, slash + 1);
  const file = wanted.slice(slash + 1);
  const dot = file.indexOf('.', 1);
  const stem = dot > 0 ? file.slice(0, dot) : file;
  const extension = dot > 0 ? file.slice(dot) : '';
  for (let n = 1; ; n++) {
    const candidate = `${folder}${stem}-${n}${extension}`;
    if (!(await exists(candidate))) {
      return candidate;
    }
  }
}
