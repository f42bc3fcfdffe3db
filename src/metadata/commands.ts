/** Command ids of the metadata editors (args: `environment`, the deployment environment to work against). */
export const MetadataCommands = {
  constraints: 'dataops:metadata-constraints',
  codelist: 'dataops:metadata-codelist',
  config: 'dataops:metadata-config'
};

/** The metadata editors the Deploy panel opens for an environment, with their labels. */
export const METADATA_EDITORS: { command: string; label: string }[] = [
  { command: MetadataCommands.constraints, label: 'Constraints' },
  { command: MetadataCommands.codelist, label: 'Codelists' },
  { command: MetadataCommands.config, label: 'Process configuration' }
];
