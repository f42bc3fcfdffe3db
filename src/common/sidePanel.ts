import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { LabIcon, ReactWidget, SidePanel } from '@jupyterlab/ui-components';

/** Options of `createSidePanel`. */
export interface ISidePanelOptions {
  id: string;
  title: string;
  caption: string;
  /** Label of the panel's (only) accordion section. */
  section: string;
  icon: LabIcon;
  content: ReactWidget;
  translator?: ITranslator;
}

/** A left-sidebar `SidePanel` with a titled header hosting one React widget. */
export function createSidePanel(options: ISidePanelOptions): SidePanel {
  const panel = new SidePanel({
    translator: options.translator ?? nullTranslator
  });
  panel.id = options.id;
  panel.addClass('jp-DataOps-sidePanel');
  panel.title.icon = options.icon;
  panel.title.caption = options.caption;
  const heading = document.createElement('h2');
  heading.textContent = options.title;
  panel.header.node.appendChild(heading);
  panel.header.addClass('jp-DataOps-sidePanelHeader');
  options.content.addClass('jp-DataOps-panel');
  options.content.title.label = options.section;
  panel.addWidget(options.content);
  return panel;
}
