import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig, type Environment } from '../config.js';
import { projectRoot } from '../project-root.js';
import { AnalyticsQueries } from './analytics-queries.js';
import { createAnalyticsStore } from './create-store.js';
import { buildReport } from './report.js';
import { parseSince } from './time-range.js';

const USAGE = `usage:
  npm run topics -- [--since 7d] [--until <date>] [--channel c] [--locale l] [--pack p] [--json] [--csv <file>]
  npm run report -- [--since 30d] [--until <date>] [--out report.md]
  npm run db:migrate`;

/**
 * The analytics commands. The entry script hands over argv and the environment (only entry
 * points read process.env); the same configuration as the server picks the store.
 */
export async function runAnalyticsCli(argv: readonly string[], env: Environment, write: (text: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      since: { type: 'string' }, until: { type: 'string' }, channel: { type: 'string' }, locale: { type: 'string' }, pack: { type: 'string' },
      json: { type: 'boolean' }, csv: { type: 'string' }, out: { type: 'string' },
    },
  });
  const config = loadConfig(env);
  const store = createAnalyticsStore(config.analytics, projectRoot(), config.env === 'test' ? 'development' : config.env);
  try {
    await store.migrate();
    if (command === 'migrate') {
      write(`analytics tables are up to date (${store.backend})\n`);
      return 0;
    }
    const now = Date.now();
    const until = parseSince(values.until, now) ?? now;
    const queries = new AnalyticsQueries(store);
    if (command === 'topics') {
      const since = parseSince(values.since ?? '7d', until) ?? until - 7 * 86_400_000;
      const filter = { since, until, channel: values.channel, locale: values.locale, pack: values.pack };
      const topics = await queries.topics(filter);
      if (values.csv) await writeFile(values.csv, await queries.learningCsv(filter));
      if (values.json) {
        write(`${JSON.stringify(topics.map(({ messages: _m, ...t }) => t), null, 2)}\n`);
        return 0;
      }
      if (!topics.length) write('No hot topics in this period.\n');
      topics.forEach((t, i) => {
        write(`${i + 1}. ${t.label}  — ${t.size} messages in ${t.conversations} conversations, ${t.trend}, CSAT ${t.csatAverage?.toFixed(2) ?? '–'}\n`);
        write(`   languages: ${Object.entries(t.languages).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
        for (const e of t.examples) write(`   · [${e.locale}] ${e.text}\n`);
      });
      return 0;
    }
    if (command === 'report') {
      const since = parseSince(values.since ?? '30d', until) ?? until - 30 * 86_400_000;
      const markdown = await buildReport(queries, { since, until });
      if (values.out) await writeFile(values.out, markdown);
      else write(markdown);
      return 0;
    }
    write(`${USAGE}\n`);
    return command === 'help' ? 0 : 2;
  } finally {
    await store.close();
  }
}
