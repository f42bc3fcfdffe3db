import * as React from 'react';

/** Props of `VirtualList`. */
export interface IVirtualListProps {
  /** Number of rows. */
  count: number;
  /** Height of every row in pixels (rows do not wrap). */
  rowHeight: number;
  /**
   * Height of the list in pixels, shrinking to fit fewer rows. Without it the list takes
   * the height its CSS gives it (a flex child, say) and follows its resizes.
   */
  height?: number;
  /** Render row `index`; `style` positions it and must be put on the row's element. */
  renderRow: (index: number, style: React.CSSProperties) => React.ReactNode;
  /** Told which rows are on screen, so their data can be loaded. */
  onRange?: (first: number, last: number) => void;
  /** Keep the last row in view as rows are added (until the user scrolls up). */
  follow?: boolean;
  /** Called when the user scrolls away from the end (false) or back to it (true). */
  onFollowChange?: (follow: boolean) => void;
  /** Changes whenever the rows' content changes without the count changing (filters). */
  version?: number;
  /** The list itself takes keyboard focus (to scroll with the keys) when its rows do not. */
  focusable?: boolean;
  className?: string;
  label: string;
  role?: string;
}

/** Rows rendered beyond the visible ones, so scrolling does not flash. */
const OVERSCAN = 12;
/** Height assumed until a list without a fixed height is measured. */
const FIRST_GUESS = 400;

/**
 * A scrolling list that puts only the rows on screen into the DOM: Eurostat's thousands of
 * dataflows, a run log or a job log of 200,000 lines cost as much as 50 rows.
 */
export function VirtualList(props: IVirtualListProps): JSX.Element {
  const { count, rowHeight, follow, onFollowChange, onRange } = props;
  const ref = React.useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = React.useState(0);
  const [measured, setMeasured] = React.useState(FIRST_GUESS);
  const fixed = props.height;

  React.useEffect(() => {
    const node = ref.current;
    if (!node || fixed !== undefined) {
      return;
    }
    const observer = new ResizeObserver(() => setMeasured(node.clientHeight));
    observer.observe(node);
    setMeasured(node.clientHeight);
    return () => observer.disconnect();
  }, [fixed]);

  const height =
    fixed === undefined
      ? measured
      : Math.min(fixed, Math.max(count, 1) * rowHeight);

  // Follow the tail: jump to the end after rows arrive.
  React.useLayoutEffect(() => {
    const node = ref.current;
    if (node && follow) {
      const bottom = Math.max(0, count * rowHeight - node.clientHeight);
      if (Math.abs(node.scrollTop - bottom) > 1) {
        node.scrollTop = bottom;
      }
      setScrollTop(node.scrollTop);
    }
  }, [count, follow, rowHeight, props.version, height]);

  const onScroll = () => {
    const node = ref.current!;
    setScrollTop(node.scrollTop);
    if (onFollowChange) {
      // reaching the end (ours or the user's) follows; scrolling up stops following
      const atEnd =
        node.scrollTop + node.clientHeight >= node.scrollHeight - rowHeight;
      if (atEnd !== follow) {
        onFollowChange(atEnd);
      }
    }
  };

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(
    count - 1,
    Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN
  );
  React.useEffect(() => {
    if (count > 0) {
      onRange?.(first, last);
    }
  }, [first, last, count, onRange]);

  const rows: React.ReactNode[] = [];
  for (let index = first; index <= last; index++) {
    rows.push(
      props.renderRow(index, {
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
      ref={ref}
      className={`jp-DataOps-virtualList ${props.className ?? ''}`}
      style={fixed === undefined ? undefined : { height }}
      onScroll={onScroll}
      tabIndex={props.focusable ? 0 : undefined}
      role={props.role ?? 'list'}
      aria-label={props.label}
    >
      <div
        className="jp-DataOps-virtualList-spacer"
        style={{ height: count * rowHeight }}
      >
        {rows}
      </div>
    </div>
  );
}
