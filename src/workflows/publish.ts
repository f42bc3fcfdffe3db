import { Notification, showErrorMessage } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { Contents } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

import { asApiError } from '../api/client';
import { IDeployment, publish } from './api';

/** The engine's parse problems (`{resource: {errors: [{message, line, column}]}}`) as lines. */
export function parseProblems(details: unknown): string[] {
  const lines: string[] = [];
  if (!details || typeof details !== 'object') {
    return lines;
  }
  for (const [resource, report] of Object.entries(
    details as Record<string, unknown>
  )) {
    const errors = (report as { errors?: unknown })?.errors;
    if (!Array.isArray(errors)) {
      continue;
    }
    for (const e of errors as Array<Record<string, unknown>>) {
      const where =
        e.line !== null && e.line !== undefined
          ? `${resource}, line ${e.line}`
          : resource;
      lines.push(`${where}: ${String(e.message ?? '')}`);
    }
  }
  return lines;
}

/** What the publish made of a file: "Name: version N" per definition. */
export function describePublished(
  deployment: IDeployment,
  trans: TranslationBundle
): string {
  const parts = deployment.definitions.map(d =>
    trans.__('%1 is now at version %2', d.name || d.key, d.version)
  );
  return parts.join('; ');
}

/**
 * Publish one `.bpmn` file to the engine, reporting through a notification: in progress,
 * then the new version, or the engine's parse error with its line.
 */
export async function publishFile(
  path: string,
  contents: Contents.IManager,
  trans: TranslationBundle,
  onPublished?: (deployment: IDeployment) => void
): Promise<IDeployment | null> {
  const name = PathExt.basename(path);
  const id = Notification.emit(
    trans.__('Publishing %1 to the workflow engine…', name),
    'in-progress',
    {
      autoClose: false
    }
  );
  try {
    const model = await contents.get(path, { content: true, format: 'text' });
    const deployment = await publish(
      { [name]: String(model.content) },
      name.replace(/\.bpmn$/, '')
    );
    Notification.update({
      id,
      message: trans.__(
        'Published %1: %2.',
        name,
        describePublished(deployment, trans)
      ),
      type: 'success',
      autoClose: 8000
    });
    onPublished?.(deployment);
    return deployment;
  } catch (error) {
    const { details, message } = asApiError(error);
    const problems = parseProblems(details);
    Notification.update({
      id,
      message: trans.__(
        '%1 was not published: %2',
        name,
        problems[0] ?? message
      ),
      type: 'error',
      autoClose: false,
      actions: [
        {
          label: trans.__('Details'),
          callback: event => {
            event.preventDefault();
            void showErrorMessage(
              trans.__('%1 was not published', name),
              [message, ...problems].join('\n')
            );
          }
        }
      ]
    });
    return null;
  }
}
