import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Activity, TurnContext } from 'botbuilder';
import express, { type Request, type Response, type Router } from 'express';
import { WebSocketServer, type WebSocket } from 'ws';
import { toSupportedLocale } from '../../src/bot/middleware.js';
import type { Locale } from '../../src/config.js';
import { closeWebSockets, startHeartbeat } from '../../src/http/ws-heartbeat.js';
import type { Logger } from '../../src/logger.js';
import type { ConversationStore, KioskConversation } from './store/conversation-store.js';
import type { KioskDevice } from './devices.js';
import { directLineCors } from './cors.js';
import { authenticate, bearer, type Caller } from './directline-auth.js';
import type { KioskAdapter } from './kiosk-adapter.js';
import type { RequestLimiter } from './request-limiter.js';
import { toActivity, type KioskEndpoint } from './to-activity.js';
import type { TokenIssuer } from './tokens.js';

export interface DirectLineDeps {
  readonly devices: ReadonlyMap<string, KioskDevice>;
  readonly store: ConversationStore;
  readonly tokens: TokenIssuer;
  readonly adapter: KioskAdapter;
  readonly limiter: RequestLimiter;
  readonly logic: (context: TurnContext) => Promise<void>;
  readonly logger: Logger;
  readonly endpoint: KioskEndpoint;
  /** Public base URL (for streamUrl); without it the request's own host is used. */
  readonly publicUrl: string | undefined;
  readonly bodyLimitBytes: number;
  /** How often the stream pings; a client that misses a pong is cut (WS_PING_INTERVAL_SECONDS). */
  readonly pingIntervalMs: number;
  /** The client's address of a WebSocket upgrade, by the TRUST_PROXY rules (default: the socket's peer). */
  readonly clientAddress?: (req: IncomingMessage) => string;
  /** Origins whose pages may call the API from a browser (DIRECTLINE_ALLOWED_ORIGINS); default none. */
  readonly allowedOrigins?: readonly string[];
}

const BASE = '/v3/directline';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/?]+)\/stream$/;

type Fail = (status: number, code: string, message: string) => void;

/**
 * A Direct Line 3.0–compatible API for kiosk robots: tokens, conversations, activities with
 * watermarks, and a WebSocket stream, all served by this process (no cloud service between).
 */
export class DirectLineApi {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });

  constructor(private readonly deps: DirectLineDeps) {}

  router(): Router {
    const router = express.Router();
    const json = express.json({ limit: Math.min(this.deps.bodyLimitBytes, 64 * 1024), strict: true });
    // First, so that refusals (401, 429) reach an allowed page readable too.
    router.use(BASE, directLineCors(this.deps.allowedOrigins ?? []));
    router.use(BASE, (req, res, next) => {
      const wait = this.deps.limiter.hit(`ip:${req.ip ?? ''}`);
      if (wait > 0) return tooMany(res, wait, 'this address');
      next();
    });
    router.post(`${BASE}/tokens/generate`, json, (req, res) => this.generate(req, res));
    router.post(`${BASE}/tokens/refresh`, (req, res) => this.refresh(req, res));
    router.post(`${BASE}/conversations`, json, (req, res) => this.start(req, res));
    router.get(`${BASE}/conversations/:id`, (req, res) => this.reconnect(req, res));
    router.post(`${BASE}/conversations/:id/activities`, json, (req, res) => this.post(req, res));
    router.get(`${BASE}/conversations/:id/activities`, (req, res) => this.list(req, res));
    router.post(`${BASE}/conversations/:id/upload`, (_req, res) => {
      fail(res)(400, 'REQUEST_INVALID', 'Uploads are not supported on the kiosk channel');
    });
    return router;
  }

  /** Serves WebSocket upgrades for stream URLs; other upgrade requests are left to other listeners. */
  attachToServer(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = STREAM_PATH.exec(url.pathname);
      if (!match) return;
      this.upgrade(req, socket, head, decodeURIComponent(match[1] ?? ''), url);
    });
  }

  /** Ends every stream with 1001 "going away" (clients reconnect to another process). */
  async detach(): Promise<void> {
    await closeWebSockets(this.wss.clients);
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  /** The bot hears that a conversation's client is gone (as if it had posted endOfConversation): a wait for a person ends. */
  async clientLeft(conversation: KioskConversation): Promise<void> {
    await this.runTurn({ ...this.base(conversation), type: 'endOfConversation', code: 'userCancelled' });
  }

  private caller(req: Request, res: Response): Caller | undefined {
    const auth = authenticate(bearer(req.headers.authorization), this.deps.devices, this.deps.tokens);
    if (!auth.ok) {
      if (auth.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="carebot directline"');
      fail(res)(auth.status, auth.code, auth.message);
      return undefined;
    }
    const wait = this.deps.limiter.hit(`device:${auth.caller.device.id}`);
    if (wait > 0) {
      tooMany(res, wait, `device ${auth.caller.device.id}`);
      return undefined;
    }
    return auth.caller;
  }

  /** The conversation `:id` names, if this caller may use it. */
  private async conversation(req: Request, res: Response, caller: Caller): Promise<KioskConversation | undefined> {
    const id = String(req.params.id ?? '');
    if (caller.kind === 'token' && caller.claims.conv !== id) {
      fail(res)(403, 'UNAUTHORIZED', 'The token belongs to another conversation');
      return undefined;
    }
    const conversation = await this.deps.store.get(id);
    if (!conversation || conversation.deviceId !== caller.device.id) {
      fail(res)(404, 'NOT_FOUND', `Unknown conversation "${id}" (it may have ended after being idle)`);
      return undefined;
    }
    return conversation;
  }

  private generate(req: Request, res: Response): void {
    const caller = this.caller(req, res);
    if (!caller) return;
    if (caller.kind !== 'secret') return fail(res)(401, 'UNAUTHORIZED', 'Generating a token needs the device secret');
    const user = userFrom(req.body);
    if (typeof user === 'string') return fail(res)(400, 'REQUEST_INVALID', user);
    const conversationId = newConversationId();
    const userId = user.id ?? `dl_${randomUUID()}`;
    const token = this.deps.tokens.issue({ dev: caller.device.id, conv: conversationId, user: userId });
    res.json({ conversationId, token, expires_in: this.deps.tokens.expiresIn });
  }

  private refresh(req: Request, res: Response): void {
    const caller = this.caller(req, res);
    if (!caller) return;
    if (caller.kind !== 'token') return fail(res)(401, 'UNAUTHORIZED', 'Refreshing needs a token, not a secret');
    const { dev, conv, user } = caller.claims;
    res.json({ conversationId: conv, token: this.deps.tokens.issue({ dev, conv, user }), expires_in: this.deps.tokens.expiresIn });
  }

  private async start(req: Request, res: Response): Promise<void> {
    const caller = this.caller(req, res);
    if (!caller) return;
    const user = userFrom(req.body);
    if (typeof user === 'string') return fail(res)(400, 'REQUEST_INVALID', user);
    const device = caller.device;
    if (caller.kind === 'token') {
      const existing = await this.deps.store.get(caller.claims.conv);
      // A token names its device: another device's conversation is not its to resume.
      if (existing && existing.deviceId !== device.id) return fail(res)(404, 'NOT_FOUND', `Unknown conversation "${existing.id}"`);
      if (existing) {
        await this.deps.store.touch(existing.id);
        res.status(200).json(this.describe(req, existing, req.headers.authorization ? bearer(req.headers.authorization)! : '', undefined));
        return;
      }
    }
    if (await this.deps.store.full()) return fail(res)(503, 'RATE_LIMITED', 'Too many open kiosk conversations; try again shortly');
    const bodyLocale = typeof (req.body as { locale?: unknown } | undefined)?.locale === 'string' ? (req.body as { locale: string }).locale : undefined;
    const locale: Locale = toSupportedLocale(bodyLocale) ?? device.language;
    const conversation = await this.deps.store.create({
      id: caller.kind === 'token' ? caller.claims.conv : newConversationId(),
      deviceId: device.id,
      userId: caller.kind === 'token' ? caller.claims.user : (user.id ?? `dl_${randomUUID()}`),
      userName: user.name,
      locale,
    });
    const token =
      caller.kind === 'token' ? bearer(req.headers.authorization)! : this.deps.tokens.issue({ dev: device.id, conv: conversation.id, user: conversation.userId });
    res.status(201).json(this.describe(req, conversation, token, undefined));
    // The bot sees the visitor join (and greets in the kiosk's language), as Direct Line does.
    void this.runTurn({
      ...this.base(conversation),
      type: 'conversationUpdate',
      membersAdded: [{ id: conversation.userId, name: conversation.userName ?? '' }],
    });
  }

  private async reconnect(req: Request, res: Response): Promise<void> {
    const caller = this.caller(req, res);
    if (!caller) return;
    const conversation = await this.conversation(req, res, caller);
    if (!conversation) return;
    const token =
      caller.kind === 'token'
        ? this.deps.tokens.issue({ dev: caller.device.id, conv: conversation.id, user: conversation.userId })
        : this.deps.tokens.issue({ dev: caller.device.id, conv: conversation.id, user: conversation.userId });
    const watermark = watermarkOf(req.query.watermark);
    if (typeof watermark === 'string') return fail(res)(400, 'REQUEST_INVALID', watermark);
    await this.deps.store.touch(conversation.id);
    res.json(this.describe(req, conversation, token, watermark));
  }

  private async post(req: Request, res: Response): Promise<void> {
    const caller = this.caller(req, res);
    if (!caller) return;
    const conversation = await this.conversation(req, res, caller);
    if (!conversation) return;
    const parsed = toActivity(req.body, conversation, this.deps.endpoint, new Date());
    if (!parsed.ok) return parsed.tooLarge ? fail(res)(413, 'REQUEST_TOO_LARGE', parsed.message) : fail(res)(400, 'REQUEST_INVALID', parsed.message);
    await this.deps.store.touch(conversation.id);
    if (parsed.chosenLocale) await this.deps.store.setChosenLocale(conversation.id, parsed.chosenLocale);
    const activity = parsed.activity;
    // Direct Line echoes the client's own activity into the log (Web Chat matches it to mark "sent").
    const id = await this.deps.store.append(conversation.id, activity);
    if (!id) return fail(res)(404, 'NOT_FOUND', `Unknown conversation "${conversation.id}"`);
    activity.id = id;
    if (activity.type !== 'typing') await this.runTurn(activity);
    res.json({ id });
  }

  private async list(req: Request, res: Response): Promise<void> {
    const caller = this.caller(req, res);
    if (!caller) return;
    const conversation = await this.conversation(req, res, caller);
    if (!conversation) return;
    const watermark = watermarkOf(req.query.watermark);
    if (typeof watermark === 'string') return fail(res)(400, 'REQUEST_INVALID', watermark);
    await this.deps.store.touch(conversation.id);
    res.json(await this.deps.store.since(conversation.id, watermark));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, conversationId: string, url: URL): void {
    const reject = (status: number, code: string, message: string) => {
      const body = JSON.stringify({ error: { code, message } });
      socket.end(
        `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 429 ? 'Too Many Requests' : status === 503 ? 'Service Unavailable' : 'Not Found'}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    const address = this.deps.clientAddress?.(req) ?? req.socket.remoteAddress ?? '';
    if (this.deps.limiter.hit(`ip:${address}`) > 0) return reject(429, 'RATE_LIMITED', 'Too many requests');
    const inUrl = url.searchParams.get('t');
    const auth = authenticate(inUrl ?? bearer(req.headers.authorization), this.deps.devices, this.deps.tokens);
    if (!auth.ok) return reject(auth.status, auth.code, auth.message);
    // URLs end up in proxy and access logs: `t=` carries a conversation token, never a device secret.
    if (inUrl !== null && auth.caller.kind !== 'token') return reject(401, 'UNAUTHORIZED', 'The stream URL takes a conversation token (t=), not a device secret');
    if (auth.caller.kind === 'token' && auth.caller.claims.conv !== conversationId) return reject(403, 'UNAUTHORIZED', 'The token belongs to another conversation');
    void this.openStream(req, socket, head, conversationId, auth.caller.device.id, url, reject).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, conversationId }, 'kiosk stream could not open');
      if (socket.writable) reject(503, 'STORAGE_UNAVAILABLE', 'The conversation store is not reachable; retry shortly');
    });
  }

  private async openStream(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    conversationId: string,
    deviceId: string,
    url: URL,
    reject: (status: number, code: string, message: string) => void,
  ): Promise<void> {
    const conversation = await this.deps.store.get(conversationId);
    if (!conversation || conversation.deviceId !== deviceId) return reject(404, 'NOT_FOUND', `Unknown conversation "${conversationId}"`);
    const watermark = watermarkOf(url.searchParams.get('watermark') ?? undefined);
    if (typeof watermark === 'string') return reject(400, 'REQUEST_INVALID', watermark);
    const ws = await new Promise<WebSocket>((resolve) => this.wss.handleUpgrade(req, socket, head, resolve));
    startHeartbeat(ws, this.deps.pingIntervalMs);
    ws.on('error', (error) => this.deps.logger.debug({ err: error, conversationId }, 'kiosk stream error'));
    // Clients send empty keep-alive frames; Direct Line ignores anything sent on the stream.
    ws.on('message', () => void this.deps.store.touch(conversationId).catch(() => undefined));
    let unsubscribe: (() => void) | undefined;
    let closed = false;
    ws.on('close', () => {
      closed = true;
      unsubscribe?.();
    });
    // The backlog after the client's watermark, then every activity appended in any process, once each.
    try {
      unsubscribe = await this.deps.store.stream(conversationId, watermark, (set) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(set));
      });
    } catch (error) {
      // Already upgraded: tell the client to come back (it reconnects with its watermark).
      this.deps.logger.warn({ err: error, conversationId }, 'kiosk stream could not read the conversation');
      ws.close(1011, 'store unavailable');
      return;
    }
    if (closed) unsubscribe?.();
    else if (!unsubscribe) ws.close(1011, 'conversation gone');
  }

  private base(conversation: KioskConversation): Partial<Activity> {
    const { endpoint } = this.deps;
    const now = new Date();
    return {
      channelId: 'directline',
      serviceUrl: endpoint.serviceUrl,
      timestamp: now,
      from: { id: conversation.userId, name: conversation.userName ?? '', role: 'user' },
      recipient: { id: endpoint.botId, name: endpoint.botName, role: 'bot' },
      conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
      locale: conversation.chosenLocale ?? conversation.locale,
      id: randomUUID(),
    };
  }

  private async runTurn(activity: Partial<Activity>): Promise<void> {
    try {
      await this.deps.adapter.receive(activity, this.deps.logic);
    } catch (error) {
      this.deps.logger.error({ err: error, conversationId: activity.conversation?.id }, 'kiosk turn failed');
    }
  }

  private describe(req: Request, conversation: KioskConversation, token: string, watermark: number | undefined) {
    const base = this.deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const wsBase = base.replace(/^http/i, 'ws').replace(/\/$/, '');
    const query = new URLSearchParams({ t: token });
    if (watermark !== undefined) query.set('watermark', String(watermark));
    return {
      conversationId: conversation.id,
      token,
      expires_in: this.deps.tokens.expiresIn,
      streamUrl: `${wsBase}${BASE}/conversations/${encodeURIComponent(conversation.id)}/stream?${query.toString()}`,
      referenceGrammarId: '',
    };
  }
}

function fail(res: Response): Fail {
  return (status, code, message) => {
    res.status(status).json({ error: { code, message } });
  };
}

function tooMany(res: Response, retryAfterSeconds: number, who: string): void {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  fail(res)(429, 'RATE_LIMITED', `Too many requests from ${who}; retry in ${retryAfterSeconds} s`);
}

function newConversationId(): string {
  return randomUUID().replace(/-/g, '');
}

/** A `watermark` query value: absent or empty = from the start; otherwise the reason it is unusable (a string). */
function watermarkOf(value: unknown): number | undefined | string {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return '"watermark" must be a whole number of at most 15 digits (the watermark the last answer gave)';
  return Number(value);
}

/** The optional `user` of a start/generate body; a string is the reason it is unusable. */
function userFrom(body: unknown): { id?: string; name?: string } | string {
  const user = (body as { user?: unknown } | undefined)?.user;
  if (user === undefined || user === null) return {};
  if (typeof user !== 'object') return '"user" must be an object';
  const { id, name } = user as { id?: unknown; name?: unknown };
  if (id !== undefined && id !== null && (typeof id !== 'string' || !/^[A-Za-z0-9._:@-]{1,64}$/.test(id) || id.startsWith('dl_'))) {
    return '"user.id" must be 1-64 letters, digits or ._:@- and must not start with "dl_" (reserved)';
  }
  if (name !== undefined && name !== null && (typeof name !== 'string' || name.length > 100)) return '"user.name" must be a string of at most 100 characters';
  return { ...(typeof id === 'string' ? { id } : {}), ...(typeof name === 'string' ? { name } : {}) };
}
