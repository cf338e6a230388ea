/**
 * The wire between the sandbox's SNS notifier and the backend's IPN endpoint, under the test's
 * control: a notification can arrive at once, be held and arrive late, arrive twice, or be lost.
 */

/** What happens to the next notifications the sandbox sends. */
export type IpnFate = 'deliver' | 'hold' | 'duplicate' | 'lose';

/** A controllable `fetch` for the sandbox's `fetch` option. */
export interface IpnChannel {
  fetch: typeof fetch;
  /** The fate of every notification from now on, until changed. */
  fate: IpnFate;
  /** Lets every held notification go on; `sandbox.settled()` resolves once they are answered. */
  release(): void;
  /** How many notifications reached the backend. */
  readonly delivered: number;
}

/** A channel delivering to `handler` (the backend's or the app's fetch, in process). */
export function createIpnChannel(handler: (request: Request) => Promise<Response>): IpnChannel {
  const held: (() => void)[] = [];
  let delivered = 0;
  const send = async (request: Request) => {
    delivered += 1;
    return handler(request);
  };
  const channel: IpnChannel = {
    fate: 'deliver',
    get delivered() {
      return delivered;
    },
    async fetch(input, init) {
      const request = new Request(input, init);
      switch (channel.fate) {
        case 'lose':
          return new Response(null, { status: 200 });
        case 'duplicate': {
          const copy = request.clone();
          const [first] = await Promise.all([send(request), send(copy)]);
          return first;
        }
        case 'hold':
          await new Promise<void>((resolve) => held.push(resolve));
          return send(request);
        case 'deliver':
          return send(request);
      }
    },
    release() {
      for (const resolve of held.splice(0)) resolve();
    },
  };
  return channel;
}
