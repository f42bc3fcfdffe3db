import { IPeriod } from './api';

/** What the generated code reads. */
export interface IReadCall extends IPeriod {
  source: string;
  flow: string;
  /** The flow's name, for the comment above the call. */
  flowName?: string;
  key: string;
  /** The vintage of a store source (`as_of`); empty or absent: the latest. */
  asOf?: string;
}

/** A Python string literal (JSON's escapes are all valid in Python). */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

/** A Python variable name for the flow's data frame: `df_exr`. */
export function variableName(flow: string): string {
  const base = flow
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return base ? `df_${base}` : 'df';
}

/** The keyword arguments after source and flow, empty bounds left out. */
function keywords(call: IReadCall): string[] {
  const out: string[] = [];
  if (call.key.trim() !== '') {
    out.push(`key=${pyString(call.key.trim())}`);
  }
  if (call.start.trim() !== '') {
    out.push(`start=${pyString(call.start.trim())}`);
  }
  if (call.end.trim() !== '') {
    out.push(`end=${pyString(call.end.trim())}`);
  }
  if (call.last > 0) {
    out.push(`last=${Math.floor(call.last)}`);
  }
  const asOf = call.asOf?.trim() ?? '';
  if (asOf !== '') {
    out.push(`as_of=${pyString(asOf)}`);
  }
  return out;
}

/** The exact `dataops.read(...)` call for the selection, as a notebook cell. */
export function readCode(call: IReadCall): string {
  const name = variableName(call.flow);
  const args = [pyString(call.source), pyString(call.flow), ...keywords(call)];
  let invocation = `${name} = dataops.read(${args.join(', ')})`;
  if (invocation.length > 100) {
    invocation = `${name} = dataops.read(\n    ${args.join(',\n    ')},\n)`;
  }
  const comment = call.flowName
    ? `# ${call.flowName.replace(/\s+/g, ' ')} (${call.flow} from ${call.source})\n`
    : '';
  return `import dataops\n\n${comment}${invocation}\n${name}`;
}
