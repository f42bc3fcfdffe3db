import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api/client';

// --- metadata editors (jupyterlab_dataops/handlers/metadata.py) ------------

/** A reference to one version of an artefact. */
export interface IRef {
  kind: string;
  agency: string;
  id: string;
  version: string;
}

/** One artefact version of the working copy, as listed. */
export interface IArtefactSummary extends IRef {
  name: string;
  /** Its file, relative to the working copy (`metadata/<kind>s/AGENCY+ID+VERSION.xml`). */
  file: string;
}

/** Reply of `GET metadata/artefacts`. */
export interface IListing {
  artefacts: IArtefactSummary[];
  processes: string[];
  /** Files that could not be read, each as the sentence of its broken rule. */
  problems: string[];
}

/** The values one dimension of a cube region lists. */
export interface IKeyValue {
  id: string;
  values: string[];
  include: boolean;
}

/** A cube region of a constraint. */
export interface ICubeRegion {
  include: boolean;
  key_values: IKeyValue[];
}

/** A code of a codelist. */
export interface ICode {
  id: string;
  name: string;
  parent: string;
  names: [string, string][];
  /** The date (ISO) from which the code is deprecated (an SDMX `DEPRECATED` annotation); absent when it is not. */
  deprecated?: string;
}

/** What every editable artefact has. */
interface IArtefactBase extends IRef {
  file: string;
  name: string;
  description: string;
  valid_from: string;
  valid_to: string;
  names: [string, string][];
}

/** An allowed content constraint, as the editors send it back. */
export interface IConstraint extends IArtefactBase {
  kind: 'dataconstraint';
  role: string;
  attachments: IRef[];
  regions: ICubeRegion[];
}

/** A codelist, as the editors send it back. */
export interface ICodelist extends IArtefactBase {
  kind: 'codelist';
  codes: ICode[];
}

/** An artefact the editors change. */
export type IEditable = IConstraint | ICodelist;

/** A dimension of a dataflow with the codes of its codelist. */
export interface IDimension {
  id: string;
  name: string;
  codes: { id: string; name: string }[];
}

/** Reply of `GET metadata/constraints?flow=`. */
export interface IConstraintForm {
  dataflow: IArtefactSummary;
  dimensions: IDimension[];
  constraint: IConstraint;
}

/** One change of an edit and the bump SDMX versioning asks for it. */
export interface IChange {
  what: string;
  bump: 'patch' | 'minor' | 'major' | 'no';
}

/** The stored series of one dataflow holding a code an edit takes away. */
export interface IAffected {
  flow: string;
  dimension: string;
  code: string;
  /** How many stored series hold the code. */
  series: number;
  /** The first few of their series keys. */
  examples: string[];
  sentence: string;
}

/** Reply of `POST metadata/preview`. */
export interface IPreview {
  base_version: string | null;
  proposed_version: string;
  changes: IChange[];
  required: string | null;
  /** Stored series using the codes the edit takes away (empty without a store). */
  affected: IAffected[];
}

/** Reply of `POST metadata/artefacts` (the edit saved). */
export interface ISaved extends IPreview {
  version: string;
  file: string;
}

/** Reply of `POST metadata/diff`. */
export interface IBranchDiff {
  branch: string;
  branch_version: string | null;
  changes: IChange[];
  required: string | null;
  problem: string;
}

/** Reply of `GET metadata/processes/{key}`. */
export interface IConfigForm {
  key: string;
  file: string;
  schema_file: string;
  schema: Record<string, any>;
  version: string;
  values: Record<string, unknown>;
  next_version: string;
  problem: string;
}

type Settings = ServerConnection.ISettings | undefined;

const json = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  body: JSON.stringify(body)
});

/** Every artefact version and process configuration of the working copy. */
export function fetchListing(settings?: Settings): Promise<IListing> {
  return requestAPI<IListing>('registry/artefacts', {}, settings);
}

/** One artefact (`version` `latest`: the latest). */
export function fetchArtefact(
  ref: IRef,
  settings?: Settings
): Promise<IEditable> {
  const path = URLExt.join(
    'registry/artefacts',
    ...[ref.kind, ref.agency, ref.id, ref.version].map(encodeURIComponent)
  );
  return requestAPI<IEditable>(path, {}, settings);
}

/** The dimensions of dataflow `flow` (`AGENCY:ID(VERSION)`) and its allowed constraint. */
export function fetchConstraintForm(
  flow: string,
  settings?: Settings
): Promise<IConstraintForm> {
  const query = URLExt.objectToQueryString({ flow });
  return requestAPI<IConstraintForm>(
    `registry/constraints${query}`,
    {},
    settings
  );
}

/** The edit's changes and the version SDMX versioning calls for. */
export function previewEdit(
  art: IEditable,
  settings?: Settings
): Promise<IPreview> {
  return requestAPI<IPreview>(
    'registry/preview',
    json({ artefact: art }),
    settings
  );
}

/** Save the edit in the working copy as the proposed version. */
export function saveEdit(art: IEditable, settings?: Settings): Promise<ISaved> {
  return requestAPI<ISaved>(
    'registry/artefacts',
    json({ artefact: art }),
    settings
  );
}

/** The changes from the version in `environment`'s deployment branch. */
export function diffAgainstBranch(
  art: IEditable,
  environment: string,
  settings?: Settings
): Promise<IBranchDiff> {
  return requestAPI<IBranchDiff>(
    'registry/diff',
    json({ artefact: art, environment }),
    settings
  );
}

/** A process's configuration form data. */
export function fetchConfig(
  key: string,
  settings?: Settings
): Promise<IConfigForm> {
  return requestAPI<IConfigForm>(
    `registry/processes/${encodeURIComponent(key)}`,
    {},
    settings
  );
}

/** Save a process's configuration (refused when it breaks its schema). */
export function saveConfig(
  key: string,
  values: Record<string, unknown>,
  version: string,
  settings?: Settings
): Promise<{ key: string; file: string; version: string }> {
  return requestAPI(
    `registry/processes/${encodeURIComponent(key)}`,
    json({ values, version }, 'PUT'),
    settings
  );
}
