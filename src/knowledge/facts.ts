import type { Entity } from '../nlu/types.js';
import type { ConditionInput } from './schema.js';
import type { Facts } from './types.js';

/**
 * Maps the NLU's entities onto facts, so a question's own words win over the profile:
 *
 * | entity                         | fact                       | example value |
 * |--------------------------------|----------------------------|---------------|
 * | `place`, subtype `city`        | `city`                     | `shenzhen`    |
 * | `place`, subtype `district`    | `district`                 | `hk-wan-chai` |
 * | `age`                          | `age`                      | `5`           |
 * | `relation`                     | `relation`                 | `daughter`    |
 * | `custom`, list `<name>`        | `<name>` (the list's name) | `fever`       |
 *
 * Custom lists come from the packs (`entities:` and graph nodes with synonyms: `condition`,
 * `product`, `site`, `employeeType`, …). The first entity of a kind wins. Other entity types
 * (numbers, dates, amounts) are not facts by themselves.
 */
export function factsFromEntities(entities: readonly Entity[]): Record<string, string> {
  const facts: Record<string, string> = {};
  const set = (key: string, value: string): void => {
    if (facts[key] === undefined) facts[key] = value;
  };
  for (const entity of entities) {
    if (entity.type === 'place') set(entity.subtype === 'district' ? 'district' : 'city', entity.value);
    else if (entity.type === 'age') set('age', entity.value);
    else if (entity.type === 'relation') set('relation', entity.value);
    else if (entity.type === 'custom' && entity.subtype) set(entity.subtype, entity.value);
  }
  return facts;
}

/** The fact an entity would set (see `factsFromEntities`), if any. */
export function factKeyOf(entity: Entity): string | undefined {
  if (entity.type === 'place') return entity.subtype === 'district' ? 'district' : 'city';
  if (entity.type === 'age' || entity.type === 'relation') return entity.type;
  if (entity.type === 'custom' && entity.subtype) return entity.subtype;
  return undefined;
}

const CLAUSE_BREAK = /[,，。.!?！？;；\n]/u;
const FIRST_PERSON = /\b(i|i'm|im|i am|me|my|myself)\b|我(?![们們哋])|本人/iu;

/**
 * Whether the entity is part of a statement about the user ("I'm a local employee", "我係外籍員工",
 * "as a foreigner I…"), not a mention ("do foreigners get housing fund?"): its clause says "I"
 * before it. Only such statements may override what the identity directory says about the user.
 */
export function isStatedAboutUser(text: string, entity: Entity): boolean {
  let clauseStart = entity.start;
  while (clauseStart > 0 && !CLAUSE_BREAK.test(text[clauseStart - 1]!)) clauseStart -= 1;
  return FIRST_PERSON.test(text.slice(clauseStart, entity.start)) || /^\s*as an?\s*$/iu.test(text.slice(clauseStart, entity.start));
}

/** A fact's value as a string, or undefined when unknown or blank. */
export function factValue(facts: Facts, key: string): string | undefined {
  const value = facts[key];
  if (value === undefined) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

/** Whether a known fact satisfies one `when` condition; an unknown fact never does. */
export function conditionHolds(condition: ConditionInput, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (typeof condition === 'string') return value === condition;
  if (Array.isArray(condition)) return condition.includes(value);
  const n = Number(value);
  if (!Number.isFinite(n)) return false;
  return (condition.min === undefined || n >= condition.min) && (condition.max === undefined || n <= condition.max);
}
