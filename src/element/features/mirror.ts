/**
 * The link between a cashier's element and a customer-facing display on another window of the same
 * origin, over `BroadcastChannel`: the cashier's element publishes every state it shows, a mirror
 * says hello when it joins and gets the current state at once. No backend call on the mirror side.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { OrderView } from '../../contract/types.js';
import type { DqrStatus } from '../state.js';

/** What a mirror needs to draw the cashier's screen; plain data, so it survives structured cloning. */
export interface MirrorSnapshot {
  status: DqrStatus;
  order?: OrderView;
  /** Local epoch ms at which the QR expires (both windows share the machine's clock). */
  deadline?: number;
  /** The message of an error or of an invalid input. */
  message?: string;
}

/** A message on the channel: the publisher's state, or a mirror asking for it. */
export type MirrorMessage = { type: 'state'; snapshot: MirrorSnapshot } | { type: 'hello' };

/** Prefix of the `BroadcastChannel` name, so other apps' channels on the origin never collide. */
export const CHANNEL_PREFIX = 'amazonpay-dqr:';

interface MirrorLinkOptions {
  /** The current state, for a mirror that joins late. */
  snapshot(): MirrorSnapshot;
  /** A state from the publisher (mirror side only). */
  onSnapshot(snapshot: MirrorSnapshot): void;
}

/** One element's end of the channel: publisher (`channel`), mirror (`mirror`) or neither. */
export class MirrorLink implements ReactiveController {
  private port: BroadcastChannel | undefined;
  private role: 'publish' | 'follow' | undefined;
  private name = '';
  private connected = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: MirrorLinkOptions,
  ) {
    host.addController(this);
  }

  /** Joins the channel `name` in `role` (leaving any other); an empty name leaves. */
  configure(role: 'publish' | 'follow' | undefined, name: string): void {
    if (role === this.role && name === this.name && (this.port !== undefined) === this.connected) return;
    this.close();
    this.role = role;
    this.name = name;
    this.open();
  }

  /** Sends the publisher's state to every mirror. */
  publish(snapshot: MirrorSnapshot): void {
    if (this.role === 'publish') this.port?.postMessage({ type: 'state', snapshot } satisfies MirrorMessage);
  }

  hostConnected(): void {
    this.connected = true;
    this.open();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.close();
  }

  private open(): void {
    if (this.port || !this.connected || !this.role || !this.name || typeof BroadcastChannel === 'undefined') return;
    const port = new BroadcastChannel(CHANNEL_PREFIX + this.name);
    port.addEventListener('message', this.handleMessage);
    this.port = port;
    if (this.role === 'follow') port.postMessage({ type: 'hello' } satisfies MirrorMessage);
    else this.publish(this.options.snapshot());
  }

  private close(): void {
    this.port?.removeEventListener('message', this.handleMessage);
    this.port?.close();
    this.port = undefined;
  }

  private handleMessage = (event: MessageEvent<MirrorMessage>): void => {
    const message = event.data;
    if (this.role === 'publish' && message?.type === 'hello') this.publish(this.options.snapshot());
    if (this.role === 'follow' && message?.type === 'state') this.options.onSnapshot(message.snapshot);
  };
}
