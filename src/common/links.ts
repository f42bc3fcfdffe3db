/**
 * Links whose address comes from server data (commit, pipeline, job and merge request pages).
 *
 * The address is data a provider or a configuration wrote: a `javascript:` or `data:` address in
 * an `<a href>` runs in the page when clicked. Only web pages are linked.
 */

/** `url` when it is an absolute http(s) address, else null (the caller shows text instead). */
export function safeLinkUrl(url: string | null | undefined): string | null {
  if (!url) {
    return null;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // not absolute: a relative address would resolve against JupyterLab's own pages
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:'
    ? url
    : null;
}

/** Open `url` in a new tab when it is a web page; returns whether it did. */
export function openSafeLink(url: string | null | undefined): boolean {
  const safe = safeLinkUrl(url);
  if (safe) {
    window.open(safe, '_blank', 'noopener');
  }
  return safe !== null;
}
