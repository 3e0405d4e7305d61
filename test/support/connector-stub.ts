import type { Server } from 'node:http';
import express from 'express';
import type { Activity } from 'botbuilder';

export interface ConnectorStub {
  readonly url: string;
  /** Every activity the bot sent, in order. */
  readonly received: Partial<Activity>[];
  /** GET /v3/conversations/:id/members/:userId requests (Teams' TeamsInfo.getMember), by user id. */
  readonly memberLookups: string[];
  /** Resolves once at least `count` activities arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Partial<Activity>[]>;
  close(): Promise<void>;
}

/**
 * Stands in for the Bot Framework channel service at an Activity's `serviceUrl`: records replies
 * and, as Teams does, answers member lookups from `members`.
 */
export async function startConnectorStub(options: { members?: Record<string, Record<string, unknown>> } = {}): Promise<ConnectorStub> {
  const received: Partial<Activity>[] = [];
  const memberLookups: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  const record = (req: express.Request, res: express.Response) => {
    received.push(req.body as Partial<Activity>);
    for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
    res.json({ id: `reply-${received.length}` });
  };
  app.post('/v3/conversations/:conversationId/activities/:activityId', record);
  app.post('/v3/conversations/:conversationId/activities', record);
  app.get('/v3/conversations/:conversationId/members/:userId', (req, res) => {
    const userId = String(req.params.userId);
    memberLookups.push(userId);
    const member = options.members?.[userId];
    if (!member) {
      res.status(404).json({ error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
      return;
    }
    res.json(member);
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    memberLookups,
    waitFor(count, timeoutMs = 5000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} activities, got ${received.length}`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let sequence = 0;

/** A message Activity as the Bot Framework Emulator (or Teams) posts it. */
export function messageActivity(serviceUrl: string, text: string, overrides: Partial<Activity> = {}): Partial<Activity> {
  sequence += 1;
  return {
    type: 'message',
    id: `activity-${sequence}`,
    timestamp: new Date().toISOString() as unknown as Date,
    serviceUrl,
    channelId: 'emulator',
    from: { id: 'user-1', name: 'User' },
    conversation: { id: 'conversation-1', isGroup: false, conversationType: 'personal', name: '' },
    recipient: { id: 'carebot', name: 'carebot' },
    text,
    locale: 'en-US',
    ...overrides,
  };
}
