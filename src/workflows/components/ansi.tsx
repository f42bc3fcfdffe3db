import * as React from 'react';

const COLOURS = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white'
];

/** A run of text with one style. */
export interface IAnsiSegment {
  text: string;
  colour: string | null;
  bold: boolean;
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[([0-9;]*)m/g;

/** Split a line at its ANSI colour codes (SGR); other escape codes are dropped. */
export function parseAnsi(line: string): IAnsiSegment[] {
  const segments: IAnsiSegment[] = [];
  let colour: string | null = null;
  let bold = false;
  let last = 0;
  const push = (text: string) => {
    if (text) {
      segments.push({ text, colour, bold });
    }
  };
  for (const match of line.matchAll(SGR)) {
    push(line.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    for (const code of (match[1] || '0').split(';').map(Number)) {
      if (code === 0) {
        colour = null;
        bold = false;
      } else if (code === 1) {
        bold = true;
      } else if (code === 22) {
        bold = false;
      } else if (code >= 30 && code <= 37) {
        colour = COLOURS[code - 30];
      } else if (code >= 90 && code <= 97) {
        colour = `${COLOURS[code - 90]}-intense`;
      } else if (code === 39) {
        colour = null;
      }
    }
  }
  push(line.slice(last));
  return segments;
}

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

/** A log message rendered with its ANSI colours and the search term marked. */
export function AnsiText(props: { text: string; search: string }): JSX.Element {
  const needle = props.search.toLowerCase();
  return (
    <>
      {parseAnsi(props.text).map((s, i) => (
        <span
          key={i}
          className={
            (s.colour ? `jp-DataOps-wf-ansi-${s.colour}` : '') +
            (s.bold ? ' jp-DataOps-wf-ansi-bold' : '')
          }
        >
          {highlight(s.text, needle)}
        </span>
      ))}
    </>
  );
}
