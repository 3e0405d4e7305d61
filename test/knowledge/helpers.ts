import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PACKS_DIR = join(ROOT, 'knowledge');
export const FIXTURES = join(ROOT, 'test/fixtures/knowledge');

/** A private copy of a fixture folder that a test may edit; removed by `cleanup`. */
export async function copyFixture(name: string): Promise<{ dir: string; cacheDir: string; cleanup: () => Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), 'carebot-knowledge-'));
  const dir = join(base, 'content');
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return { dir, cacheDir: join(base, 'models'), cleanup: () => rm(base, { recursive: true, force: true }) };
}
