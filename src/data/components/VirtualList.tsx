import * as React from 'react';

/** Props of `VirtualList`. */
export interface IVirtualListProps {
  /** Number of rows. */
  count: number;
  /** Height of one row in pixels (all rows are alike). */
  rowHeight: number;
  /** Height of the list in pixels. */
  height: number;
  /** Render row `index` (absolutely positioned by the list). */
  renderRow: (index: number, style: React.CSSProperties) => React.ReactNode;
  /** Told which rows are on screen, so their data can be loaded. */
  onRange?: (first: number, last: number) => void;
  className?: string;
  label: string;
  role?: string;
}

/** Rows rendered beyond the visible ones, so scrolling does not flash. */
const OVERSCAN = 8;

/**
 * A scrolling list that renders only the rows on screen: Eurostat's thousands of
 * dataflows or a codelist of several hundred codes stay fast to filter and scroll.
 */
export function VirtualList(props: IVirtualListProps): JSX.Element {
  const { count, rowHeight, height, renderRow, onRange } = props;
  const [scrollTop, setScrollTop] = React.useState(0);
  const shown = Math.min(height, Math.max(count, 1) * rowHeight);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(
    count - 1,
    Math.ceil((scrollTop + shown) / rowHeight) + OVERSCAN
  );
  React.useEffect(() => {
    if (count > 0) {
      onRange?.(first, last);
    }
  }, [first, last, count, onRange]);
  const rows: React.ReactNode[] = [];
  for (let index = first; index <= last; index++) {
    rows.push(
      renderRow(index, {
        position: 'absolute',
        top: index * rowHeight,
        height: rowHeight,
        left: 0,
        right: 0
      })
    );
  }
  return (
    <div
      className={`jp-DataOps-virtualList ${props.className ?? ''}`}
      style={{ height: shown }}
      onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
      role={props.role ?? 'list'}
      aria-label={props.label}
    >
      <div style={{ position: 'relative', height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
