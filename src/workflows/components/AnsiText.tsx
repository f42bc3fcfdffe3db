import * as React from 'react';

import { parseLine, PLAIN } from '../../common/ansi';

/** `text` with the occurrences of `needle` (case-insensitive) marked. */
function highlight(text: string, needle: string): React.ReactNode {
  if (!needle) {
    return text;
  }
  const out: React.ReactNode[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  let at = lower.indexOf(needle);
  while (at >= 0) {
    out.push(text.slice(from, at));
    out.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
    at = lower.indexOf(needle, from);
  }
  out.push(text.slice(from));
  return out;
}

/**
 * A step's log message rendered with its ANSI colours (JupyterLab's `ansi-*` classes) and
 * the search term marked. Each record is one line, so every message starts unstyled.
 */
export function AnsiText(props: { text: string; search: string }): JSX.Element {
  const needle = props.search.toLowerCase();
  const { line } = parseLine(props.text, PLAIN);
  return (
    <>
      {line.segments.map((s, i) => (
        <span key={i} className={s.classes || undefined}>
          {highlight(s.text, needle)}
        </span>
      ))}
    </>
  );
}
