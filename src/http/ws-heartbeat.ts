import type { WebSocket } from 'ws';

/**
 * Pings `ws` every `intervalMs`. A socket that has not answered the previous ping by the next
 * tick is terminated: a peer that vanished without a FIN (laptop lid, mobile network, a proxy
 * that dropped the flow) would otherwise look open for as long as TCP keeps it, and everything
 * tied to it (an agent's leases) would live on. `onAlive` runs on every tick the peer was
 * alive, before the next ping. Stops by itself when the socket closes.
 */
export function startHeartbeat(ws: WebSocket, intervalMs: number, onAlive: () => void = () => undefined): void {
  let answered = true;
  const onPong = () => {
    answered = true;
  };
  ws.on('pong', onPong);
  const timer = setInterval(() => {
    if (!answered) {
      ws.terminate();
      return;
    }
    answered = false;
    ws.ping();
    onAlive();
  }, intervalMs);
  ws.once('close', () => {
    clearInterval(timer);
    ws.off('pong', onPong);
  });
}

const GOING_AWAY = 1001;

/**
 * Tells every client the server is going away (close code 1001, so Direct Line and console
 * clients reconnect elsewhere) and cuts those that do not finish the closing handshake within
 * `graceMs`: an open WebSocket must not keep a stopping process alive.
 */
export async function closeWebSockets(sockets: Iterable<WebSocket>, graceMs = 1_000): Promise<void> {
  const closing = [...sockets].map(
    (ws) =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        const cut = setTimeout(() => ws.terminate(), graceMs);
        ws.once('close', () => {
          clearTimeout(cut);
          resolve();
        });
        ws.close(GOING_AWAY, 'server shutting down');
      }),
  );
  await Promise.all(closing);
}
