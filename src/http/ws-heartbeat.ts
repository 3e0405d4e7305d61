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
