/** Command ids of the Data panel (palette, menus, buttons and UI tests share them). */
export const DataCommands = {
  open: 'dataops:open-data',
  reloadSources: 'dataops:data-reload-sources',
  preview: 'dataops:data-preview',
  cancelPreview: 'dataops:data-cancel-preview',
  insertCode: 'dataops:data-insert-code',
  insertAndRun: 'dataops:data-insert-and-run',
  copyCode: 'dataops:data-copy-code',
  copyUrl: 'dataops:data-copy-url'
};
