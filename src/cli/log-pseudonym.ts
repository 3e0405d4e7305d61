/**
 * Prints the pseudonym carebot's log lines give a person's chat id (or a message id), so an
 * operator can find one customer's lines without the logs ever holding the id itself.
 * Run as `npm run log-pseudonym -- <channel> <id> [--message]` (src/main.ts) with the server's
 * environment: ANALYTICS_HASH_SECRET, or the installation's secret file, which this never creates.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hashSecretFile } from '../analytics/hash-secret.js';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import { logPseudonyms } from '../logger.js';
import { projectRoot } from '../project-root.js';

const USAGE = `usage: npm run log-pseudonym -- <channel> <id> [--message]

  <channel>   the channel as log lines name it: whatsapp, whatsapp-cloud, wechat, wechat-official…
  <id>        the chat id as the channel gives it (WhatsApp Web: 85291234567@c.us; WhatsApp Cloud: the
              wa_id, 85291234567), or with --message a message id (a wamid…)

Prints the value of the log lines' conversationId (or messageId, activityId, wamid with --message).
Reads the secret the server uses: ANALYTICS_HASH_SECRET, else the installation's analytics-hash.secret.`;

/** The installation's secret, read and never created: a new one would name nobody in the existing logs. */
function installationSecret(config: Config): string {
  if (config.analytics.hashSecret) return config.analytics.hashSecret;
  const file = hashSecretFile(config.analytics, projectRoot(), config.env);
  if (!file) throw new ConfigError('with an in-memory analytics database (NODE_ENV=test) each process makes up its own secret: its pseudonyms cannot be recomputed');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigError(`no ${file}: set ANALYTICS_HASH_SECRET as the server has it, or run this where the server keeps its data`);
    throw error;
  }
}

/** Prints the pseudonym; returns the exit code (2: usage). Throws when the installation's secret cannot be read. */
export function runLogPseudonym(config: Config, argv: readonly string[], out: (line: string) => void): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { message: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    out(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [channel, id] = positionals;
  if (values.help || !channel || !id || positionals.length > 2) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  out(logPseudonyms(installationSecret(config))(values.message ? 'message' : channel, id));
  return 0;
}
