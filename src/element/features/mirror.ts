/**
 * The link between a cashier's element and a customer-facing display on another window of the same
 * origin, over `BroadcastChannel`: the cashier's element publishes every state it shows, a mirror
 * says hello when it joins and gets the current state at once. No backend call on the mirror side.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { OrderView } from '../../contract/types.js';
import type { ContractError } from '../client.js';
import type { DqrState, DqrStatus } from '../state.js';

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
  /** The host's state now, and the deadline its countdown runs to (local epoch ms). */
  current(): { state: DqrState; deadline: number };
  /** The publisher's state, on a mirror; `deadline` is there while the QR is payable. */
  show(state: DqrState, deadline: number | undefined): void;
  /** The host's error for a message the publisher shows (errors lose their class on the channel). */
  error(message: string): ContractError;
}

/** States in which the publisher's QR (or its placeholder) and countdown are on screen. */
const PAYING: readonly DqrStatus[] = ['pending', 'expiring', 'cancelling'];

/** The publisher's state as plain data. */
function snapshotOf({ state, deadline }: { state: DqrState; deadline: number }): MirrorSnapshot {
  return {
    status: state.kind,
    order: 'order' in state ? state.order : undefined,
    deadline: PAYING.includes(state.kind) ? deadline : undefined,
    message: state.kind === 'error' ? state.error.message : state.kind === 'invalid' ? state.message : undefined,
  };
}

/** The state a mirror shows for the publisher's snapshot: the same, without its controls. */
function stateOf({ status, order, message = '' }: MirrorSnapshot, error: (message: string) => ContractError): DqrState {
  if (order && (status === 'pending' || status === 'expiring')) {
    return { kind: status, order, reconnecting: false, offline: false };
  }
  if (order && status === 'cancelling') return { kind: status, order, reason: 'USER_CANCELLATION', timeUp: false };
  if (order && (status === 'paid' || status === 'expired' || status === 'cancelled' || status === 'failed')) {
    return { kind: status, order };
  }
  return status === 'error' || status === 'invalid' ? { kind: 'error', error: error(message) } : { kind: 'requesting' };
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

  /** Sends the publisher's current state to every mirror. */
  publish(): void {
    if (this.role !== 'publish' || !this.port) return;
    this.port.postMessage({ type: 'state', snapshot: snapshotOf(this.options.current()) } satisfies MirrorMessage);
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
    else this.publish();
  }

  private close(): void {
    this.port?.removeEventListener('message', this.handleMessage);
    this.port?.close();
    this.port = undefined;
  }

  private handleMessage = (event: MessageEvent<MirrorMessage>): void => {
    const message = event.data;
    if (this.role === 'publish' && message?.type === 'hello') this.publish();
    if (this.role === 'follow' && message?.type === 'state') {
      this.options.show(stateOf(message.snapshot, this.options.error), message.snapshot.deadline);
    }
  };
}
