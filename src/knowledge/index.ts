/**
 * carebot's knowledge: content packs (intents, examples, answers with identity/location
 * variants, slots, custom entities, a knowledge graph), the reasoners, and the runtime that
 * hot-reloads content and the NLU model together.
 *
 * Dialogs use it like this, once per turn:
 *
 *   const snapshot = runtime.current();            // one snapshot for the whole turn
 *   const nlu = snapshot.nlu.analyze(text);        // or getTurnUnderstanding(context)
 *   const facts = { ...profileFacts, ...identityFacts, ...factsFromEntities(nlu.entities) };
 *   const resolution = snapshot.knowledge.resolve({ intent, locale, facts });
 */
export { loadKnowledge, CORE_PACK } from './load-knowledge.js';
export type { LoadKnowledgeOptions } from './load-knowledge.js';
export { factsFromEntities } from './facts.js';
export { KnowledgeContentError } from './content-error.js';
export type { ContentProblem } from './content-error.js';
export { ContentRuntime } from './content-runtime.js';
export type { ContentSnapshot, ContentRuntimeOptions, ReloadResult } from './content-runtime.js';
export { createKnowledgeFeature } from './knowledge-feature.js';
export type { KnowledgeFeature } from './knowledge-feature.js';
export type {
  ChoiceOption,
  Facts,
  IntentInfo,
  KnowledgeBase,
  LocalizedText,
  PackInfo,
  Resolution,
  ResolveRequest,
  SlotChoice,
  SlotInfo,
} from './types.js';
