import {
  BasicKeyHandler,
  BasicMouseHandler,
  BasicSelectionModel,
  DataGrid,
  DataModel,
  TextRenderer
} from '@lumino/datagrid';
import { Table } from 'apache-arrow';

import { cellText, previewColumnOrder } from './arrow';

/** A read-only `@lumino/datagrid` model over an Arrow table (cells decoded on demand). */
export class ArrowGridModel extends DataModel {
  constructor(
    private readonly table: Table,
    private readonly columns: string[]
  ) {
    super();
    this.order = previewColumnOrder(columns);
  }

  /** Grid column → table column. */
  private readonly order: number[];

  rowCount(region: DataModel.RowRegion): number {
    return region === 'body' ? this.table.numRows : 1;
  }

  columnCount(region: DataModel.ColumnRegion): number {
    return region === 'body' ? this.columns.length : 1;
  }

  data(region: DataModel.CellRegion, row: number, column: number): string {
    switch (region) {
      case 'body':
        return cellText(this.table, row, this.order[column]);
      case 'column-header':
        return this.columns[this.order[column]];
      case 'row-header':
        return String(row + 1);
      default:
        return '';
    }
  }
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/** Grid colours from the current JupyterLab theme (the canvas cannot read CSS variables). */
export function themeStyle(): DataGrid.Style {
  const background = cssVar('--jp-layout-color0', 'white');
  const stripe = cssVar('--jp-layout-color1', '#f5f5f5');
  return {
    ...DataGrid.defaultStyle,
    voidColor: cssVar('--jp-layout-color2', '#eeeeee'),
    backgroundColor: background,
    headerBackgroundColor: cssVar('--jp-layout-color2', '#eeeeee'),
    gridLineColor: cssVar('--jp-border-color3', 'rgba(20, 20, 20, 0.15)'),
    headerGridLineColor: cssVar('--jp-border-color2', 'rgba(20, 20, 20, 0.25)'),
    rowBackgroundColor: (i: number) => (i % 2 === 0 ? stripe : background),
    selectionFillColor: 'rgba(49, 119, 180, 0.2)',
    cursorBorderColor: cssVar('--jp-brand-color1', '#1976d2')
  };
}

/** Text colours and font from the current theme. */
export function themeRenderer(): TextRenderer {
  return new TextRenderer({
    textColor: cssVar('--jp-ui-font-color1', 'black'),
    horizontalAlignment: 'left',
    font: `12px ${cssVar('--jp-ui-font-family', 'sans-serif')}`
  });
}

/** A grid like JupyterLab's CSV viewer: headers, selection, copy, keyboard. */
export function createGrid(table: Table, columns: string[]): DataGrid {
  const grid = new DataGrid({
    defaultSizes: {
      rowHeight: 22,
      columnWidth: 100,
      rowHeaderWidth: 48,
      columnHeaderHeight: 24
    },
    headerVisibility: 'all'
  });
  grid.addClass('jp-DataOps-grid');
  grid.dataModel = new ArrowGridModel(table, columns);
  grid.selectionModel = new BasicSelectionModel({ dataModel: grid.dataModel });
  grid.keyHandler = new BasicKeyHandler();
  grid.mouseHandler = new BasicMouseHandler();
  applyTheme(grid);
  return grid;
}

/** Re-read the theme's colours (after a light/dark switch). */
export function applyTheme(grid: DataGrid): void {
  grid.style = themeStyle();
  grid.cellRenderers.update({
    body: themeRenderer(),
    'column-header': themeRenderer(),
    'row-header': themeRenderer()
  });
}
