/** What the stream needs of a WebSocket (the browser's, or a test double). */
export interface ISocket {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

/** Connection state of a stream. */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Options of `OffsetStream`. */
export interface IOffsetStreamOptions<T> {
  /** The WebSocket URL resuming after `offset`. */
  url: (offset: number) => string;
  /** The last offset the consumer holds (asked again on every reconnect). */
  offset: () => number;
  /** Called with each decoded JSON message. */
  onMessage: (message: T) => void;
  /** Called when the connection state changes. */
  onState?: (state: StreamState) => void;
  /** False stops reconnecting (e.g. the run is over and everything arrived). */
  shouldReconnect?: () => boolean;
  /** Opens a socket; the browser's `WebSocket` by default. */
  createSocket?: (url: string) => ISocket;
  /** First reconnect delay and its cap, in ms (doubling in between). */
  backoff?: { initial: number; max: number };
}

/**
 * One WebSocket that reconnects by itself, resuming after the consumer's last offset.
 *
 * Because the URL carries the offset the consumer really holds (not the last one
 * the socket saw), a reconnect misses nothing even when messages were in flight.
 */
export class OffsetStream<T> {
  constructor(private readonly options: IOffsetStreamOptions<T>) {}

  /** Current connection state. */
  get state(): StreamState {
    return this._state;
  }

  /** Connections opened so far (1 + reconnects). */
  get connections(): number {
    return this._connections;
  }

  /** Open the connection (idempotent). */
  start(): void {
    if (!this._socket && !this._timer && this._state !== 'closed') {
      this._connect();
    }
  }

  /** Close for good. */
  dispose(): void {
    this._setState('closed');
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    const socket = this._socket;
    this._socket = null;
    socket?.close();
  }

  /** Drop the current connection and reconnect at once (e.g. after the network came back). */
  reconnectNow(): void {
    if (this._state === 'closed') {
      return;
    }
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    const socket = this._socket;
    this._socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    this._connect();
  }

  private _connect(): void {
    const create =
      this.options.createSocket ??
      ((url: string) => new WebSocket(url) as unknown as ISocket);
    const socket = create(this.options.url(this.options.offset()));
    this._socket = socket;
    this._connections++;
    this._setState(this._connections === 1 ? 'connecting' : 'reconnecting');
    socket.onopen = () => {
      this._setState('open');
    };
    socket.onmessage = ev => {
      this._delay = 0; // a working connection resets the back-off
      if (typeof ev.data === 'string') {
        this.options.onMessage(JSON.parse(ev.data) as T);
      }
    };
    socket.onerror = () => undefined; // a close always follows
    socket.onclose = () => {
      if (this._socket !== socket || this._state === 'closed') {
        return;
      }
      this._socket = null;
      if (this.options.shouldReconnect && !this.options.shouldReconnect()) {
        this._setState('closed');
        return;
      }
      const { initial, max } = this.options.backoff ?? {
        initial: 500,
        max: 10000
      };
      this._delay = this._delay ? Math.min(max, this._delay * 2) : initial;
      this._setState('reconnecting');
      this._timer = setTimeout(() => {
        this._timer = null;
        this._connect();
      }, this._delay);
    };
  }

  private _setState(state: StreamState): void {
    if (state !== this._state) {
      this._state = state;
      this.options.onState?.(state);
    }
  }

  private _socket: ISocket | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _delay = 0;
  private _connections = 0;
  private _state: StreamState = 'connecting';
}
