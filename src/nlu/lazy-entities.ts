import type { MessageEntities } from './entities/extract-entities.js';
import { isFactEntity } from './entities/extract-entities.js';
import type { Entity, NluResult } from './types.js';

const MESSAGE_ENTITIES = Symbol('carebot.messageEntities');

type Lazy = NluResult & { [MESSAGE_ENTITIES]?: MessageEntities };

// One getter and one setter for every result: a pair of closures per result gave each its own
// hidden class (V8 keeps accessor functions in the object's shape), 11 us per message.
function readEntities(this: Lazy): Entity[] {
  return this[MESSAGE_ENTITIES]!.all;
}

function replaceEntities(this: Lazy, value: Entity[]): void {
  Object.defineProperty(this, 'entities', { value, enumerable: true, configurable: true, writable: true });
  delete this[MESSAGE_ENTITIES];
}

const LAZY_ENTITIES: PropertyDescriptor = { enumerable: true, configurable: true, get: readEntities, set: replaceEntities };

/**
 * Gives `result` an `entities` property that runs the extraction on first read and keeps its
 * answer: to every reader (a property read, a spread, JSON.stringify) it is the plain array
 * it always was, and assigning it replaces it as before.
 */
export function withLazyEntities(result: Omit<NluResult, 'entities'>, entities: MessageEntities): NluResult {
  const lazy = result as Lazy;
  Object.defineProperty(lazy, MESSAGE_ENTITIES, { value: entities, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(lazy, 'entities', LAZY_ENTITIES);
  return lazy;
}

/**
 * The entities of a message that state facts (ages, places, relations, custom lists): the same
 * as filtering `understanding.entities`, without running the slow recognizers when the message
 * holds none of those.
 */
export function factEntitiesOf(understanding: NluResult): Entity[] {
  return (understanding as Lazy)[MESSAGE_ENTITIES]?.facts ?? understanding.entities.filter(isFactEntity);
}

/**
 * Whether the entity recognizers ran for this understanding and stopped at their wall-time
 * budget (a crafted message, or a machine too busy to finish in time): a number, a date or an
 * amount in the message may be missing from its entities.
 */
export function entitiesCutShort(understanding: NluResult): boolean {
  return (understanding as Lazy)[MESSAGE_ENTITIES]?.cutShort ?? false;
}
