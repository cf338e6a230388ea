/**
 * A forward proxy of the kind a merchant's network has: it tunnels `CONNECT host:port` to the host
 * (or refuses, when told to), answers anything else with 405, and records what it was asked.
 */
import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Starts the proxy on a loopback port. */
export async function connectProxy(options: { refuse?: boolean } = {}) {
  const tunnels: string[] = [];
  const plain: string[] = [];
  const server = createServer((request, response) => {
    plain.push(`${request.method} ${request.url}`);
    response.writeHead(405).end();
  });
  server.on('connect', (request, socket, head) => {
    tunnels.push(request.url ?? '');
    if (options.refuse) return void socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const { hostname, port } = new URL(`http://${request.url}`);
    const upstream = connect(Number(port), hostname, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).on('error', () => socket.destroy());
      socket.pipe(upstream).on('error', () => upstream.destroy());
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The `host:port` of each tunnel asked for. */
    tunnels,
    /** Requests sent to the proxy in the clear (none should be). */
    plain,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
