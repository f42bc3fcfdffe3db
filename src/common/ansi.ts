/**
 * Log lines with ANSI escapes as styled segments, for GitLab job traces and step logs alike:
 * SGR colours become JupyterLab's `ansi-*` classes (the ones rendered outputs use, so both
 * themes work), GitLab's `section_start`/`section_end` markers and erase-line codes are
 * dropped, and a carriage return overwrites the line.
 */

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

/** The style in force at a point of the log. */
export interface IAnsiStyle {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  underline: boolean;
}

/** A run of text in one style; `classes` are JupyterLab's `ansi-*` class names. */
export interface IAnsiSegment {
  text: string;
  classes: string;
}

/** One log line. */
export interface IAnsiLine {
  segments: IAnsiSegment[];
}

export const PLAIN: IAnsiStyle = {
  fg: null,
  bg: null,
  bold: false,
  underline: false
};

// ESC [ params letter; an unfinished sequence at the end of a chunk matches nothing
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-9;]*)([A-Za-z])/g;
// eslint-disable-next-line no-control-regex
const UNFINISHED = /\x1b(\[[0-9;]*)?$/;
const SECTION = /section_(?:start|end):\d+:[A-Za-z0-9_.-]+(?:\[[^\]]*\])?\r?/g;

/** Whether a raw line carries one of GitLab's `section_start`/`section_end` markers. */
export function hasSectionMarker(raw: string): boolean {
  return /section_(?:start|end):\d+:/.test(raw);
}

/** Parse one line (without its newline), starting in `style`; returns the line and the style after it. */
export function parseLine(
  raw: string,
  style: IAnsiStyle
): { line: IAnsiLine; style: IAnsiStyle } {
  let text = raw.replace(SECTION, '').replace(UNFINISHED, '');
  const cr = text.replace(/\r$/, '').lastIndexOf('\r');
  let current = style;
  if (cr >= 0) {
    // a progress line redrawn with \r: keep what the terminal would show last,
    // but keep the style set before it
    current = styleAfter(text.slice(0, cr), style);
    text = text.slice(cr + 1);
  }
  text = text.replace(/\r$/, '');
  const segments: IAnsiSegment[] = [];
  let last = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) {
    push(segments, text.slice(last, m.index), current);
    if (m[2] === 'm') {
      current = applySgr(current, m[1]);
    }
    last = m.index + m[0].length;
  }
  push(segments, text.slice(last), current);
  return { line: { segments }, style: current };
}

function styleAfter(text: string, style: IAnsiStyle): IAnsiStyle {
  let current = style;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) {
    if (m[2] === 'm') {
      current = applySgr(current, m[1]);
    }
  }
  return current;
}

function push(segments: IAnsiSegment[], text: string, style: IAnsiStyle): void {
  if (text) {
    segments.push({ text, classes: classesOf(style) });
  }
}

/** JupyterLab's class names for a style ('' when plain). */
export function classesOf(style: IAnsiStyle): string {
  const out: string[] = [];
  if (style.fg) {
    out.push(`ansi-${style.fg}-fg`);
  }
  if (style.bg) {
    out.push(`ansi-${style.bg}-bg`);
  }
  if (style.bold) {
    out.push('ansi-bold');
  }
  if (style.underline) {
    out.push('ansi-underline');
  }
  return out.join(' ');
}

/** The style after an SGR sequence's parameters (`1;31`, `0`, `''`). */
export function applySgr(style: IAnsiStyle, params: string): IAnsiStyle {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  let next = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) {
      next = { ...PLAIN };
    } else if (code === 1) {
      next.bold = true;
    } else if (code === 22) {
      next.bold = false;
    } else if (code === 4) {
      next.underline = true;
    } else if (code === 24) {
      next.underline = false;
    } else if (code >= 30 && code <= 37) {
      next.fg = COLOURS[code - 30];
    } else if (code === 39) {
      next.fg = null;
    } else if (code >= 40 && code <= 47) {
      next.bg = COLOURS[code - 40];
    } else if (code === 49) {
      next.bg = null;
    } else if (code >= 90 && code <= 97) {
      next.fg = `${COLOURS[code - 90]}-intense`;
    } else if (code >= 100 && code <= 107) {
      next.bg = `${COLOURS[code - 100]}-intense`;
    } else if (code === 38 || code === 48) {
      // 256-colour / true-colour: skip its arguments, keep the default colour
      i += codes[i + 1] === 5 ? 2 : 4;
    }
  }
  return next;
}

/** The text of a parsed line, without styles. */
export function lineText(line: IAnsiLine): string {
  return line.segments.map(s => s.text).join('');
}
