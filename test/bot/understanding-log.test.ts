import { TestAdapter } from 'botbuilder';
import { expect } from 'chai';
import { TurnLoggerMiddleware } from '../../src/bot/middleware.js';
import type { ContentSnapshot } from '../../src/bot/turn-content.js';
import { UnderstandingMiddleware } from '../../src/bot/understanding-middleware.js';
import { chosenUnderstanding } from '../../src/bot/turn-understanding.js';
import type { Logger } from '../../src/logger.js';
import { MessageEntities } from '../../src/nlu/entities/extract-entities.js';
import { withLazyEntities } from '../../src/nlu/lazy-entities.js';
import type { AnalyzeOptions } from '../../src/nlu/types.js';
import { getTurnUnderstanding } from '../../src/bot/turn-understanding.js';
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

  describe('when the entity recognizers run out of time', () => {
    /** A model whose entities are the real ones, found under the budget the middleware passes. */
    function snapshotWithEntities(): ContentSnapshot {
      return {
        knowledge: { intent: () => undefined },
        nlu: {
          analyze: (text: string, options: AnalyzeOptions) => {
            const { entities: _none, ...result } = chosenUnderstanding(text, 'insurance.coverage', 'en');
            return withLazyEntities(result, new MessageEntities(text, { recognizerBudgetMs: options.recognizerBudgetMs }));
          },
        },
        version: 1,
      } as unknown as ContentSnapshot;
    }

    async function turnReadingEntities(logger: Logger, text: string, recognizerBudgetMs: number): Promise<void> {
      const adapter = new TestAdapter(async (context) => {
        await context.sendActivity(`${getTurnUnderstanding(context)!.entities.length} entities`);
      });
      adapter.use(new TurnLoggerMiddleware(logger)).use(new UnderstandingMiddleware({ current: snapshotWithEntities }, logger, { recognizerBudgetMs }));
      await adapter.send(text).assertReply((reply) => expect(reply.text).to.match(/entities$/));
    }

    it('warns with the budget and the message\'s length, never its text', async () => {
      const { logger, lines } = memoryLogger('info');
      const text = `my card number is 4111 ${'1/'.repeat(60)}`;
      await turnReadingEntities(logger, text, 10);
      const warning = lines().find((line) => String(line.msg).includes('ran out of time'));
      expect(warning).to.include({ level: 40, budgetMs: 10, characters: text.length });
      expect(JSON.stringify(lines())).not.to.include('4111');
    });

    it('stays quiet when they finish', async () => {
      const { logger, lines } = memoryLogger('info');
      await turnReadingEntities(logger, 'I bought it 10 days ago', 60_000);
      expect(lines().filter((line) => String(line.msg).includes('ran out of time'))).to.deep.equal([]);
    });
  });
});
