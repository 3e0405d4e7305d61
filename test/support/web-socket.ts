import { WebSocket } from 'ws';

/** Opens a client socket (`autoPong: false` plays a client that stopped answering pings). */
export function openWebSocket(url: string, options: { autoPong?: boolean } = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, options);
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => ws.once('open', () => resolve(ws)).once('error', reject));
}

/** Resolves with the close code once the socket closes; rejects if it is still open after `timeoutMs`. */
export function closedWebSocket(ws: WebSocket, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the socket was still open after ${timeoutMs} ms`)), timeoutMs);
    ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
