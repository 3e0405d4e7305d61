import { isAbsolute, join } from 'node:path';
import express, { Router } from 'express';
import { loginGuardOf, type CarebotFeature, type FeatureDeps } from '../feature.js';
import { requireAdmin } from '../http/admin-auth.js';
import { ContentRuntime } from './content-runtime.js';
import { ContentTeacher } from './content-teacher.js';

/** The knowledge feature: the content runtime, `POST /admin/reload` and a readiness check. */
export type KnowledgeFeature = CarebotFeature & {
  readonly runtime: ContentRuntime;
  /** Writes what operators teach into the learned overlay and retrains (none without an overlay folder). */
  readonly teacher: ContentTeacher | undefined;
};

/**
 * Loads the configured packs and trains the NLU before the server starts (invalid content
 * stops startup with file and line), watches the files when KNOWLEDGE_WATCH is on.
 */
export async function createKnowledgeFeature(deps: Pick<FeatureDeps, 'config' | 'logger' | 'rootDir'> & Partial<Pick<FeatureDeps, 'redis' | 'loginGuard'>>): Promise<KnowledgeFeature> {
  const { config, logger, rootDir } = deps;
  const inRoot = (path: string): string => (isAbsolute(path) ? path : join(rootDir, path));
  // Tests run on the packs as committed unless they name an overlay: what a developer taught the
  // local bot must not change their outcome (as the analytics store is in memory under test).
  const learnedDir = config.knowledge.learnedDir ?? (config.env === 'test' ? undefined : join('.data', 'learned'));
  const overlayDir = learnedDir === undefined ? undefined : inRoot(learnedDir);
  const runtime = await ContentRuntime.start({
    dir: inRoot(config.knowledge.dir),
    overlayDir,
    packs: config.knowledge.packs,
    modelCacheDir: inRoot(config.nlu.modelCacheDir),
    outOfScopeThreshold: config.nlu.outOfScopeThreshold,
    ambiguityMargin: config.nlu.ambiguityMargin,
    logger: logger.child({ component: 'knowledge' }),
  });

  const router = Router();
  router.post('/admin/reload', requireAdmin(config.adminToken, loginGuardOf({ config, logger, redis: deps.redis, loginGuard: deps.loginGuard })), express.json({ limit: '1kb' }), async (_req, res) => {
    const result = await runtime.reload();
    if (result.ok) {
      res.json({ version: result.version, packs: result.packs, intents: result.intents, trainMs: result.trainMs });
    } else {
      res.status(422).json({
        error: { code: result.error.code, message: result.error.message, problems: result.problems },
        version: result.version,
      });
    }
  });

  return {
    name: 'knowledge',
    runtime,
    teacher: overlayDir === undefined ? undefined : new ContentTeacher(runtime, overlayDir),
    routers: [router],
    readinessChecks: [
      {
        name: 'knowledge',
        check: async () => {
          if (!runtime.loaded) throw new Error('content not loaded');
        },
      },
    ],
    async start() {
      if (config.knowledge.watch) runtime.watch();
    },
    async close() {
      await runtime.close();
    },
  };
}
