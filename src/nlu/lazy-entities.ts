import type { MessageEntities } from './entities/extract-entities.js';
import { isFactEntity } from './entities/extract-entities.js';
import type { Entity, NluResult } from './types.js';

const FACT_ENTITIES = Symbol('carebot.factEntities');

type WithFacts = NluResult & { [FACT_ENTITIES]?: () => Entity[] };

/**
 * Gives `result` an `entities` property that runs the extraction on first read and keeps its
 * answer: to every reader (a property read, a spread, JSON.stringify) it is the plain array
 * it always was, and assigning it replaces it as before.
 */
export function withLazyEntities(result: Omit<NluResult, 'entities'>, entities: MessageEntities): NluResult {
  const lazy = result as WithFacts;
  Object.defineProperty(lazy, 'entities', {
    enumerable: true,
    configurable: true,
    get: () => entities.all,
    set: (value: Entity[]) => {
      Object.defineProperty(lazy, 'entities', { value, enumerable: true, configurable: true, writable: true });
      delete lazy[FACT_ENTITIES];
    },
  });
  Object.defineProperty(lazy, FACT_ENTITIES, { value: () => entities.facts, enumerable: false, configurable: true });
  return lazy;
}

/**
 * The entities of a message that state facts (ages, places, relations, custom lists): the same
 * as filtering `understanding.entities`, without running the slow recognizers when the message
 * holds none of those.
 */
export function factEntitiesOf(understanding: NluResult): Entity[] {
  return (understanding as WithFacts)[FACT_ENTITIES]?.() ?? understanding.entities.filter(isFactEntity);
}
