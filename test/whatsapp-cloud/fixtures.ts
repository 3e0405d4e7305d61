import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudWebhook } from '../../adapters/whatsapp-cloud/webhook-types.js';
import { projectRoot } from '../../src/project-root.js';

/**
 * A recorded-shape webhook body from test/fixtures/whatsapp-cloud/, its messages stamped as
 * written now: the 24-hour window runs from a message's own timestamp, and a recorded one is old.
 */
export function cloudFixture(name: string): CloudWebhook {
  const body = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'whatsapp-cloud', `${name}.json`), 'utf8')) as CloudWebhook;
  const now = String(Math.floor(Date.now() / 1000));
  for (const entry of body.entry ?? []) for (const change of entry.changes ?? []) for (const message of change.value?.messages ?? []) (message as { timestamp?: string }).timestamp = now;
  return body;
}
