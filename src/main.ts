import { parseArgs } from 'node:util';
import { runAnalyticsCli } from './analytics/cli.js';
import { createCarebot } from './app.js';
import { runChat } from './cli/chat.js';
import { runLogPseudonym } from './cli/log-pseudonym.js';
import { loadConfig, type Config } from './config.js';
import { CarebotError } from './errors.js';
import { listen } from './http/http-server.js';
import { createLogger } from './logger.js';

/** The only module that reads process.env; everything else receives a Config. */
async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  const config = loadConfig(process.env);
  if (command === 'serve') return serve(config);
  if (command === 'chat') return chat(config, rest);
  if (command === 'log-pseudonym') {
    process.exitCode = runLogPseudonym(config, rest, (line) => process.stdout.write(`${line}\n`));
    return;
  }
  if (command === 'topics' || command === 'report' || command === 'migrate') {
    process.exitCode = await runAnalyticsCli(argv, process.env, (text) => process.stdout.write(text));
    return;
  }
  throw new CarebotError('CONFIG_INVALID', `Unknown command "${command}" (expected serve, chat, topics, report, migrate or log-pseudonym)`);
}

async function serve(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const carebot = await createCarebot(config, { logger });
  const running = await listen(carebot.app, config.http.host, config.http.port);
  for (const feature of carebot.features) feature.attachToServer?.(running.server);
  await carebot.start();
  logger.info({ url: running.url, redis: Boolean(config.redis) }, 'carebot listening');
  process.stdout.write(`carebot is listening on ${running.url} (Bot Framework endpoint: ${running.url}/api/messages)\n`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight turns');
    // One deadline for everything: a connection or store that never answers must not keep the
    // process alive past SHUTDOWN_TIMEOUT_MS while a new process already serves the port.
    const graceful = (async () => {
      const draining = running.close(config.shutdownTimeoutMs);
      // The server waits for upgraded sockets too: end the features' WebSockets now, not after.
      await Promise.all(carebot.features.map((feature) => feature.detachFromServer?.()));
      await draining;
      await carebot.close();
      return true;
    })();
    const closed = await Promise.race([
      graceful,
      new Promise<false>((resolve) => setTimeout(() => resolve(false), config.shutdownTimeoutMs).unref()),
    ]);
    if (!closed) logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'some connections did not close in time; exiting anyway');
    logger.info('shutdown complete');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

async function chat(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { locale: { type: 'string' }, as: { type: 'string' }, pack: { type: 'string', multiple: true } },
    strict: true,
  });
  const packs = values.pack?.flatMap((pack) => pack.split(',')).map((pack) => pack.trim());
  const chatConfig: Config = packs ? { ...config, knowledge: { ...config.knowledge, packs, watch: false } } : config;
  // The chat owns the terminal: logs go to stderr and stay quiet unless LOG_LEVEL asks for more.
  const logger = createLogger({ level: process.env.LOG_LEVEL ? config.logLevel : 'warn', destination: process.stderr });
  const carebot = await createCarebot(chatConfig, { logger });
  try {
    await runChat({
      carebot,
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
      locale: values.locale,
      userId: values.as,
    });
  } finally {
    await carebot.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CarebotError) {
    process.stderr.write(`carebot: ${error.message}\n`);
  } else {
    process.stderr.write(`carebot: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
