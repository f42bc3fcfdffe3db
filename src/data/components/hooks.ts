import { MessageLoop } from '@lumino/messaging';
import { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

/** Re-render the component whenever `signal` fires. */
export function useSignal(signal: ISignal<unknown, unknown> | null): void {
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    if (!signal) {
      return;
    }
    const onChange = () => setTick(tick => tick + 1);
    signal.connect(onChange);
    return () => {
      signal.disconnect(onChange);
    };
  }, [signal]);
}

/** `value`, but only after it stopped changing for `delay` ms. */
export function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = React.useState(value);
  React.useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/**
 * Detach a Lumino widget that a React component attached to its own host node. When the host
 * already left the page with its parent (React removes the subtree before passive cleanups),
 * `Widget.detach` would throw: the widget is then only told it was detached.
 */
export function detachWidget(widget: Widget): void {
  if (!widget.isAttached) {
    return;
  }
  if (widget.node.isConnected) {
    Widget.detach(widget);
  } else {
    MessageLoop.sendMessage(widget, Widget.Msg.AfterDetach);
  }
}
