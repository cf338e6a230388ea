/**
 * The link between a cashier's element and a customer-facing display on another window of the same
 * origin, over `BroadcastChannel`: the cashier's element (`channel`) publishes every state it shows,
 * a display (`mirror`) says hello when it joins and gets the current state at once. No backend call
 * on the display's side: its session only shows what it is sent.
 */
import type { OrderView } from '../../contract/types.js';
import { ContractError } from '../../session/errors.js';
import { type DqrStatus, PAYING_KINDS, type SessionState, orderOf } from '../../session/state.js';
import type { Feature, FeatureHost } from './feature.js';

/** What a display needs to draw the cashier's screen; plain data, so it survives structured cloning. */
export interface MirrorSnapshot {
  status: DqrStatus;
  order?: OrderView;
  /** Local epoch ms at which the QR expires (both windows share the machine's clock). */
  deadline?: number;
  /** The message of an error or of an invalid input. */
  message?: string;
}

/** A message on the channel: the publisher's state, or a display asking for it. */
export type MirrorMessage = { type: 'state'; snapshot: MirrorSnapshot } | { type: 'hello' };

/** Prefix of the `BroadcastChannel` name, so other apps' channels on the origin never collide. */
export const CHANNEL_PREFIX = 'amazonpay-dqr:';

/** The publisher's state as plain data. */
function snapshotOf(state: SessionState, deadline: number): MirrorSnapshot {
  return {
    status: state.kind,
    order: orderOf(state),
    deadline: PAYING_KINDS.includes(state.kind) ? deadline : undefined,
    message: state.kind === 'error' ? state.error.message : state.kind === 'invalid' ? state.message : undefined,
  };
}

/** The state a display shows for the publisher's snapshot: the same, without its controls. */
function stateOf({ status, order, message = '' }: MirrorSnapshot): SessionState {
  if (order && (status === 'pending' || status === 'expiring')) return { kind: status, order, offline: false };
  if (order && status === 'cancelling') {
    return { kind: status, order, request: { reason: 'USER_CANCELLATION', refund: true }, timeUp: false };
  }
  if (order && (status === 'paid' || status === 'expired' || status === 'cancelled' || status === 'failed')) {
    return { kind: status, order };
  }
  return status === 'error' || status === 'invalid'
    ? { kind: 'error', error: new ContractError('MIRRORED', message) }
    : { kind: 'requesting', regenerating: false };
}

/** One element's end of the channel: publisher (`channel`) or display (`mirror`). */
export function create({ element, session }: FeatureHost): Feature {
  if (typeof BroadcastChannel === 'undefined') return { dispose: () => undefined };
  const follows = Boolean(element.mirror);
  const port = new BroadcastChannel(CHANNEL_PREFIX + (element.mirror || element.channel));
  const publish = (): void => {
    port.postMessage({ type: 'state', snapshot: snapshotOf(session.state, session.deadline) } satisfies MirrorMessage);
  };
  port.addEventListener('message', ({ data: message }: MessageEvent<MirrorMessage>) => {
    if (!follows && message?.type === 'hello') publish();
    if (follows && message?.type === 'state') session.show(stateOf(message.snapshot), message.snapshot.deadline);
  });
  if (follows) {
    // A display that joins a channel waits for that channel's cashier.
    session.show({ kind: 'idle' }, undefined);
    port.postMessage({ type: 'hello' } satisfies MirrorMessage);
  } else {
    publish();
  }
  return {
    changed: follows ? undefined : publish,
    dispose: () => port.close(),
  };
}
