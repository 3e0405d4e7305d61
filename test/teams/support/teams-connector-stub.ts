import type { Server } from 'node:http';
import express from 'express';
import type { Activity } from 'botbuilder';

export interface TeamsConnectorStub {
  readonly url: string;
  readonly received: Partial<Activity>[];
  /** GET /v3/conversations/:id/members/:userId requests, by user id. */
  readonly memberLookups: string[];
  waitFor(count: number, timeoutMs?: number): Promise<Partial<Activity>[]>;
  close(): Promise<void>;
}

/**
 * The Bot Framework connector as Teams runs it: records replies (like test/support's stub) and
 * answers member lookups (TeamsInfo.getMember) from `members`.
 */
export async function startTeamsConnectorStub(members: Record<string, Record<string, unknown>>): Promise<TeamsConnectorStub> {
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
    const member = members[userId];
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
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(received)) });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
