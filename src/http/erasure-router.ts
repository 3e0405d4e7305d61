import { Router, type Request, type Response } from 'express';
import type { ErasureCounts } from '../feature.js';
import { requireAdmin } from './admin-auth.js';
import type { LoginGuard } from './login-guard.js';

/** One part of carebot that can forget a user: the core state or a feature. */
export interface UserEraser {
  readonly name: string;
  eraseUser(userId: string): Promise<ErasureCounts>;
}

/**
 * `DELETE /api/admin/users/:id`: erases a channel user everywhere carebot keeps them (each
 * feature's stores and the bot's state) and answers what went, per store:
 * `{ erased: { state: { userState: 1, … }, handoff: { … }, analytics: { rows: 12 } }, deleted: 15 }`.
 */
export function createErasureRouter(adminToken: string | undefined, guard: LoginGuard, erasers: () => readonly UserEraser[]): Router {
  const router = Router();
  router.delete('/api/admin/users/:id', requireAdmin(adminToken, guard), async (req: Request<{ id: string }>, res: Response) => {
    const erased: Record<string, ErasureCounts> = {};
    let deleted = 0;
    for (const eraser of erasers()) {
      const counts = await eraser.eraseUser(req.params.id);
      erased[eraser.name] = counts;
      for (const count of Object.values(counts)) deleted += count;
    }
    res.json({ erased, deleted });
  });
  return router;
}
