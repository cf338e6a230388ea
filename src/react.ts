/**
 * `<amazonpay-dqr>` as a React component (`amazonpay-dqr/react`), through `@lit/react`: properties
 * are set as properties (so `requestInit` and numbers arrive as they are) and each event is a
 * typed `on…` prop. Importing it registers the element.
 */
import { createComponent, type EventName } from '@lit/react';
import React from 'react';
import { AmazonPayDqr as AmazonPayDqrElement } from './define.js';
import type {
  CancelEvent,
  DqrErrorEvent,
  ExpiredEvent,
  LatePaymentEvent,
  PaidEvent,
  RegenerateEvent,
} from './amazonpay-dqr.js';

export type * from './amazonpay-dqr.js';
/** The element's class, for a `ref` (`useRef<AmazonPayDqrElement>(null)`): `AmazonPayDqr` here is the component. */
export type { AmazonPayDqr as AmazonPayDqrElement } from './amazonpay-dqr.js';

/** The element's events as React props: `onPaid`, `onExpired`, `onCancel`, `onDqrError`, `onLatePayment`, `onRegenerate`. */
export const events = {
  onPaid: 'paid' as EventName<PaidEvent>,
  onExpired: 'expired' as EventName<ExpiredEvent>,
  onCancel: 'cancel' as EventName<CancelEvent>,
  onDqrError: 'error' as EventName<DqrErrorEvent>,
  onLatePayment: 'late-payment' as EventName<LatePaymentEvent>,
  onRegenerate: 'regenerate' as EventName<RegenerateEvent>,
};

/** `<AmazonPayDqr endpoint="/api/dqr" orderId="ORD-1" amount="249.00" onPaid={…} />`. */
export const AmazonPayDqr = createComponent({
  tagName: 'amazonpay-dqr',
  elementClass: AmazonPayDqrElement,
  react: React,
  events,
  displayName: 'AmazonPayDqr',
});
