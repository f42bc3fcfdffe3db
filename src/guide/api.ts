import { requestAPI } from '../api/client';

/** An example notebook of the Launcher. */
export interface IExample {
  name: string;
  title: string;
  description: string;
}

/** A template: `needs_key` asks for a name (a new process). */
export interface ITemplate extends IExample {
  needs_key: boolean;
}

/** Reply of `GET guide`. */
export interface ICatalogue {
  examples: IExample[];
  templates: ITemplate[];
}

/** A file to create, relative to the folder the user is in. */
export interface IGuideFile {
  path: string;
  type: 'notebook' | 'file';
  format: 'json' | 'text';
  content: unknown;
}

/** The examples and templates the server offers. */
export function fetchCatalogue(): Promise<ICatalogue> {
  return requestAPI<ICatalogue>('guide');
}

/** The files of one example. */
export async function fetchExample(name: string): Promise<IGuideFile[]> {
  const reply = await requestAPI<{ files: IGuideFile[] }>(
    `guide/examples/${encodeURIComponent(name)}`
  );
  return reply.files;
}

/** The files a template creates; `key` names a new process. */
export async function fetchTemplate(
  name: string,
  key = ''
): Promise<IGuideFile[]> {
  const query = key ? `?key=${encodeURIComponent(key)}` : '';
  const reply = await requestAPI<{ files: IGuideFile[] }>(
    `guide/templates/${encodeURIComponent(name)}${query}`
  );
  return reply.files;
}
