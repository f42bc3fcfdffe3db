import { Notification } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

import { asApiError } from '../api/client';
import { IPromotion } from './api';
import { IDashboardApp } from './dashboards';
import { PromoteModel } from './promoteModel';
import { showPromoteDialog } from './widget';
import { openSafeLink } from '../common/links';

export { isPromotable, PROMOTABLE } from './promotable';

/** Options of `promote`. */
export interface IPromoteOptions {
  path: string;
  trans: TranslationBundle;
  docManager: IDocumentManager | null;
  settings?: ServerConnection.ISettings;
  /** Told about every promotion that landed. */
  onPromoted: (promotion: IPromotion) => void;
  /** Publish as a dashboard: the app and its other files (server-root relative). */
  dashboard?: { app: IDashboardApp; files: string[] };
}

/**
 * Open the Promote dialog for `path`.
 *
 * The review reads the file on disk, so an open document with unsaved changes is saved first
 * (also before each "Review again": the user fixed a finding in the notebook).
 */
export async function promote(options: IPromoteOptions): Promise<void> {
  const { path, trans, docManager, onPromoted } = options;
  const model = new PromoteModel(
    path,
    options.settings,
    () => saveIfDirty(docManager, path),
    options.dashboard ?? null
  );
  await saveIfDirty(docManager, path);
  model.promoted.connect((_, promotion) => onPromoted(promotion));
  const landedText = (promotion: IPromotion): string =>
    promotion.merge_request
      ? trans.__(
          'Merge request !%1 into %2 is open.',
          promotion.merge_request.iid,
          promotion.merge_request.target_branch
        )
      : trans.__(
          'Promoted to %1: commit %2.',
          promotion.branch,
          promotion.commit_sha.slice(0, 8)
        );
  const onSubmit = () => {
    const env = model.state.envId ?? '';
    const landed = model.submit().then(promotion => {
      if (!promotion) {
        throw model.lastError ?? new Error(trans.__('Nothing was promoted.'));
      }
      return promotion;
    });
    Notification.promise(landed.then(landedText), {
      pending: {
        message: trans.__('Promoting %1 to %2…', path, env),
        options: { autoClose: false }
      },
      success: {
        message: (text: unknown) => String(text),
        options: {
          autoClose: 8000,
          actions: [
            {
              label: trans.__('Open'),
              callback: () => {
                const p = model.state.promotion;
                openSafeLink(p?.merge_request?.web_url || p?.commit_url);
              }
            }
          ]
        }
      },
      error: {
        message: (error: unknown) =>
          trans.__('Promotion failed: %1', asApiError(error).message),
        options: { autoClose: false }
      }
    });
  };
  await showPromoteDialog(model, trans, onSubmit);
}

/** Save the open document at `path` when it has unsaved changes. */
export async function saveIfDirty(
  docManager: IDocumentManager | null,
  path: string
): Promise<void> {
  const widget = docManager?.findWidget(path);
  const context = widget ? docManager?.contextForWidget(widget) : undefined;
  if (context?.model.dirty) {
    await context.save();
  }
}
