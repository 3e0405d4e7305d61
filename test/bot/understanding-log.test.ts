import { TestAdapter } from 'botbuilder';
import { expect } from 'chai';
import { TurnLoggerMiddleware } from '../../src/bot/middleware.js';
import type { ContentSnapshot } from '../../src/bot/turn-content.js';
import { UnderstandingMiddleware } from '../../src/bot/understanding-middleware.js';
import { chosenUnderstanding } from '../../src/bot/turn-understanding.js';
import type { Logger } from '../../src/logger.js';
import { memoryLogger } from '../support/silent-logger.js';

function snapshot(): ContentSnapshot {
  return {
    knowledge: { intent: () => undefined },
    nlu: { analyze: (text: string) => chosenUnderstanding(text, 'hr.annual-leave', 'en') },
    version: 1,
  } as unknown as ContentSnapshot;
}

/** Counts the child loggers built from `logger`. */
function countChildren(logger: Logger): () => number {
  let built = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<Logger['child']>) => {
    built += 1;
    return child(...args);
  }) as Logger['child'];
  return () => built;
}

async function turn(logger: Logger): Promise<void> {
  const adapter = new TestAdapter(async (context) => {
    await context.sendActivity('ok');
  });
  adapter.use(new TurnLoggerMiddleware(logger)).use(new UnderstandingMiddleware({ current: snapshot }, logger));
  await adapter.send('how many days of annual leave').assertReply('ok');
}

describe('understanding middleware logging', () => {
  it('builds no turn logger when its debug line would not be written', async () => {
    const { logger } = memoryLogger('info');
    const children = countChildren(logger);
    await turn(logger);
    expect(children()).to.equal(0);
  });

  it('logs what it understood at debug level', async () => {
    const { logger, lines } = memoryLogger('debug');
    await turn(logger);
    expect(lines().find((line) => line.msg === 'understood')).to.include({ intent: 'hr.annual-leave', language: 'en' });
  });
});
