import * as React from 'react';

/** Props of `VirtualList`. */
export interface IVirtualListProps {
  /** Number of rows. */
  count: number;
  /** Height of every row, in px. */
  rowHeight: number;
  /** Renders row `index`. */
  renderRow: (index: number) => React.ReactNode;
  /** Keep the last row in view as rows are added (until the user scrolls up). */
  follow: boolean;
  /** Called when the user scrolls away from the bottom (false) or back to it (true). */
  onFollowChange: (follow: boolean) => void;
  /** Changes whenever the rows' content changes without the count changing (filters). */
  version: number;
  className?: string;
  ariaLabel?: string;
}

const OVERSCAN = 20;

/**
 * A scrolling list that only puts the rows in view into the DOM, so 100,000 lines
 * cost as much as 50. Rows have one fixed height (a log line does not wrap).
 */
export function VirtualList(props: IVirtualListProps): JSX.Element {
  const { count, rowHeight, follow, onFollowChange } = props;
  const ref = React.useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = React.useState(0);
  const [height, setHeight] = React.useState(400);

  React.useEffect(() => {
    const node = ref.current;
    if (!node) {
      return;
    }
    const observer = new ResizeObserver(() => setHeight(node.clientHeight));
    observer.observe(node);
    setHeight(node.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Follow the tail: jump to the bottom after rows arrive.
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
    // Scrolling to the bottom (ours or the user's) follows; scrolling up stops following.
    const atBottom =
      node.scrollTop + node.clientHeight >= node.scrollHeight - rowHeight;
    if (atBottom !== follow) {
      onFollowChange(atBottom);
    }
  };

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(
    count,
    Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN
  );
  const rows: React.ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i}
        className="jp-DataOps-wf-vrow"
        role="listitem"
        style={{ top: i * rowHeight, height: rowHeight }}
      >
        {props.renderRow(i)}
      </div>
    );
  }
  return (
    <div
      ref={ref}
      className={`jp-DataOps-wf-vlist ${props.className ?? ''}`}
      onScroll={onScroll}
      tabIndex={0}
      role="list"
      aria-label={props.ariaLabel}
    >
      <div
        className="jp-DataOps-wf-vlist-spacer"
        style={{ height: count * rowHeight }}
      >
        {rows}
      </div>
    </div>
  );
}
