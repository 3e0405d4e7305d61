import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { AgentEvent } from '../handoff/event-bus.js';
import { closeWebSockets, startHeartbeat } from '../http/ws-heartbeat.js';
import type { Logger } from '../logger.js';
import type { Agent, AgentDirectory } from './agent-directory.js';
import type { AgentInbox } from './agent-inbox.js';
import type { AgentTokens } from './agent-tokens.js';

export const STREAM_PATH = '/api/agent/stream';

/** The console sends nothing that needs more; ws would otherwise buffer frames of up to 100 MiB. */
const MAX_PAYLOAD_BYTES = 4096;

/**
 * WebSocket `/api/agent/stream?token=…`: pushes customer messages, assignments and delivery
 * failures to the agent, and keeps the agent's leases alive while it is open. The server pings
 * every heartbeat; a socket that misses a pong is cut and renews nothing more. When the socket
 * goes (browser closed, network gone silently) the agent's handoffs return to the queue after
 * HANDOFF_LEASE_MS.
 */
export class AgentStream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly deps: { service: HandoffService; agents: AgentDirectory; tokens: AgentTokens; inbox: AgentInbox; logger: Logger; heartbeatMs: number },
  ) {
    this.wss.on('error', (error) => deps.logger.error({ err: error }, 'agent stream error'));
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== STREAM_PATH) return;
      const agentId = this.deps.tokens.verify(url.searchParams.get('token') ?? /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]);
      const agent = agentId ? this.deps.agents.get(agentId) : undefined;
      if (!agent) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, agent));
    });
  }

  private connected(ws: WebSocket, agent: Agent): void {
    const agentId = agent.id;
    this.sockets.add(ws);
    const beat = () => void this.deps.service.heartbeat(agentId).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'agent heartbeat failed'));
    beat();
    // Leases are renewed only while the browser answers pings: an open-looking dead socket renews nothing.
    startHeartbeat(ws, this.deps.heartbeatMs, beat);
    // Agents with autoAssign get waiting handoffs while their console is connected, up to capacity.
    let assigning: Promise<unknown> = Promise.resolve();
    const autoAssign = () => {
      if (!agent.autoAssign) return;
      assigning = assigning
        .then(() => this.deps.inbox.autoAssign(agent))
        .catch((error: unknown) => this.deps.logger.warn({ err: error, agentId }, 'auto-assign failed'));
    };
    // Supervisors read along every chat, so they hear every agent's events.
    const hears = (event: AgentEvent) => event.type === 'queue-changed' || agent.role === 'supervisor' || event.agentId === agentId;
    const unsubscribe = this.deps.service.bus.subscribe((event: AgentEvent) => {
      if (hears(event)) ws.send(JSON.stringify(event));
      if (event.type === 'queue-changed') autoAssign();
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      unsubscribe();
      this.sockets.delete(ws);
    });
    ws.send(JSON.stringify({ type: 'hello', agentId }));
    autoAssign();
  }

  /** Ends every agent's stream with 1001 "going away" (the console reconnects to another process). */
  async detach(): Promise<void> {
    await closeWebSockets(this.sockets);
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
