/**
 * A TCP load balancer on loopback that sends each new connection to the first upstream port that
 * accepts it, as nginx's `proxy_next_upstream error` does: an instance that stopped listening is
 * passed over, the connections already open stay where they are.
 */
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Connects to the first of `ports` that accepts, or fails with the last refusal. */
function firstAccepting(ports: number[]): Promise<Socket> {
  return ports.reduce<Promise<Socket>>(
    (previous, port) =>
      previous.catch(
        () =>
          new Promise((resolve, reject) => {
            const upstream = connect(port, '127.0.0.1');
            upstream.once('connect', () => resolve(upstream));
            upstream.once('error', reject);
          }),
      ),
    Promise.reject(new Error('no upstream')),
  );
}

/** Listens on a free port in front of `ports`; `origin` is what a terminal is given. */
export async function failoverProxy(ports: number[]) {
  const sockets = new Set<Socket>();
  const server = createServer((downstream) => {
    sockets.add(downstream);
    downstream.once('close', () => sockets.delete(downstream));
    downstream.pause();
    firstAccepting(ports).then(
      (upstream) => {
        upstream.removeAllListeners('error');
        sockets.add(upstream);
        upstream.once('close', () => sockets.delete(upstream));
        upstream.on('error', () => downstream.destroy());
        downstream.on('error', () => upstream.destroy());
        downstream.pipe(upstream).pipe(downstream);
        downstream.resume();
      },
      () => downstream.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
