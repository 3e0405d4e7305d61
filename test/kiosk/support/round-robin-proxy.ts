import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RoutedRequest {
  readonly kind: 'http' | 'websocket';
  readonly method: string;
  readonly path: string;
  /** Index into `targets` of the process that served it. */
  readonly target: number;
}

export interface RoundRobinProxy {
  readonly url: string;
  /** Backend ports, in the order requests rotate over them. */
  readonly targets: number[];
  readonly routed: RoutedRequest[];
  close(): Promise<void>;
}

/**
 * A load balancer without sticky routing: every HTTP request and every WebSocket upgrade goes to
 * the next backend in turn. A backend that refuses the connection (a killed process) is skipped,
 * as a balancer's passive health check would.
 */
export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  const targets: number[] = [];
  const routed: RoutedRequest[] = [];
  const sockets = new Set<Socket>();
  let turn = 0;
  const next = () => turn++ % targets.length;

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, attempt: number) => {
    const target = next();
    const upstream = request(
      { host: '127.0.0.1', port: targets[target], method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        routed.push({ kind: 'http', method: req.method ?? '', path: req.url ?? '', target });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (attempt < targets.length) forward(req, body, res, attempt + 1);
      else if (!res.headersSent) res.writeHead(502).end();
    });
    upstream.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, Buffer.concat(chunks), res, 1));
  });

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const tryTarget = (attempt: number) => {
      const target = next();
      const upstream = connect(targets[target]!, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.once('error', () => {
        if (!upstream.bytesRead && attempt < targets.length && !client.destroyed) {
          upstream.removeAllListeners('close');
          sockets.delete(upstream);
          tryTarget(attempt + 1);
        } else client.destroy();
      });
      upstream.once('connect', () => {
        routed.push({ kind: 'websocket', method: 'GET', path: req.url ?? '', target });
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
        client.on('close', () => upstream.destroy());
      });
    };
    tryTarget(1);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    routed,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
