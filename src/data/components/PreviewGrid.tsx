import { DataGrid } from '@lumino/datagrid';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { detachWidget } from './hooks';

import { IPreview } from '../arrow';
import { applyTheme, createGrid } from '../grid';

/** Props of `PreviewGrid`. */
export interface IPreviewGridProps {
  preview: IPreview;
  label: string;
}

/** The preview's observations in a `@lumino/datagrid` grid, as JupyterLab's CSV viewer shows files. */
export function PreviewGrid(props: IPreviewGridProps): JSX.Element {
  const host = React.useRef<HTMLDivElement>(null);
  const { preview } = props;
  React.useLayoutEffect(() => {
    const node = host.current;
    if (!node) {
      return;
    }
    const grid: DataGrid = createGrid(preview.table, preview.columns);
    Widget.attach(grid, node);
    // The grid sizes its canvas on resize messages, which a React parent does not send.
    const resize = new ResizeObserver(() =>
      MessageLoop.sendMessage(grid, Widget.ResizeMessage.UnknownSize)
    );
    resize.observe(node);
    // The canvas cannot follow CSS variables: repaint when the theme changes.
    const theme = new MutationObserver(() => applyTheme(grid));
    theme.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
    });
    return () => {
      resize.disconnect();
      theme.disconnect();
      detachWidget(grid);
      grid.dispose();
    };
  }, [preview]);
  return (
    <div
      ref={host}
      className="jp-DataOps-gridHost"
      role="region"
      aria-label={props.label}
    />
  );
}
