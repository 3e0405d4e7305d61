import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudWebhook } from '../../adapters/whatsapp-cloud/webhook-types.js';
import { projectRoot } from '../../src/project-root.js';

/** A recorded-shape webhook body from test/fixtures/whatsapp-cloud/. */
export function cloudFixture(name: string): CloudWebhook {
  return JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'whatsapp-cloud', `${name}.json`), 'utf8')) as CloudWebhook;
}
