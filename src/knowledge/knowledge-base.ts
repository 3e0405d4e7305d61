import type { Locale } from '../config.js';
import type { CustomEntityList, TrainingExample } from '../nlu/types.js';
import { REASONERS } from './coverage-reasoner.js';
import { conditionHolds, factValue } from './facts.js';
import type { KnowledgeGraph } from './graph.js';
import { fillTemplate, toSpeech, type TemplateValue } from './localize.js';
import type { ConditionInput } from './schema.js';
import type { Facts, IntentInfo, KnowledgeBase, LocalizedText, PackInfo, Resolution, ResolveRequest, SlotInfo } from './types.js';

export interface CompiledVariant {
  readonly id: string;
  readonly when: Readonly<Record<string, ConditionInput>>;
  readonly text: LocalizedText;
}

export interface CompiledIntent {
  readonly info: IntentInfo;
  readonly examples: readonly string[];
  readonly variants: readonly CompiledVariant[];
  readonly outcomes: Readonly<Record<string, LocalizedText>>;
}

export interface CompiledPack {
  readonly info: PackInfo;
  readonly slots: ReadonlyMap<string, SlotInfo>;
  readonly entityLists: readonly CustomEntityList[];
  readonly graph: KnowledgeGraph;
}

/** The in-memory knowledge of the loaded packs. Built by `loadKnowledge`; never mutated. */
export class LoadedKnowledgeBase implements KnowledgeBase {
  readonly packs: readonly PackInfo[];
  readonly intents: readonly IntentInfo[];
  private readonly byId: ReadonlyMap<string, CompiledIntent>;
  private readonly packsById: ReadonlyMap<string, CompiledPack>;
  private readonly lists: readonly CustomEntityList[];

  constructor(packs: readonly CompiledPack[], intents: readonly CompiledIntent[]) {
    this.packs = Object.freeze(packs.map((pack) => pack.info));
    this.intents = Object.freeze(intents.map((intent) => intent.info));
    this.byId = new Map(intents.map((intent) => [intent.info.id, intent]));
    this.packsById = new Map(packs.map((pack) => [pack.info.id, pack]));
    this.lists = Object.freeze(mergeLists(packs));
  }

  intent(id: string): IntentInfo | undefined {
    return this.byId.get(id)?.info;
  }

  title(intentId: string, locale: Locale): string {
    return this.byId.get(intentId)?.info.titles[locale] ?? intentId;
  }

  topIntents(limit: number): readonly IntentInfo[] {
    const queues = this.packs
      .filter((pack) => pack.id !== 'core')
      .map((pack) =>
        this.intents
          .filter((intent) => intent.pack === pack.id && !intent.handoff)
          .sort((a, b) => b.priority - a.priority),
      );
    const picked: IntentInfo[] = [];
    for (let round = 0; picked.length < limit && queues.some((queue) => queue.length > round); round++) {
      for (const queue of queues) {
        const next = queue[round];
        if (next && picked.length < limit) picked.push(next);
      }
    }
    return picked;
  }

  trainingExamples(): TrainingExample[] {
    return [...this.byId.values()].flatMap((intent) => intent.examples.map((text) => ({ text, intent: intent.info.id })));
  }

  customEntityLists(): CustomEntityList[] {
    return [...this.lists];
  }

  resolve({ intent: intentId, locale, facts }: ResolveRequest): Resolution {
    const intent = this.byId.get(intentId);
    if (!intent) return { kind: 'unknown', intent: intentId };
    const pack = this.packsById.get(intent.info.pack)!;

    for (const slot of intent.info.slots) {
      if (factValue(facts, slot.name) !== undefined) continue;
      return {
        kind: 'ask',
        intent: intentId,
        slot: slot.name,
        question: slot.questions[locale],
        choices: slot.choices.map((choice) => ({ value: choice.value, title: choice.titles[locale] })),
        ...(slot.entity ? { entity: slot.entity } : {}),
      };
    }

    let answerId: string;
    let template: string;
    let values: Readonly<Record<string, TemplateValue>> = {};
    const reasoner = intent.info.reasoner ? REASONERS.get(intent.info.reasoner) : undefined;
    if (reasoner) {
      const decision = reasoner.decide(pack.graph, facts);
      const outcome =
        intent.outcomes[decision.outcome] ??
        (decision.outcome === 'covered_no_wait' ? intent.outcomes['covered'] : undefined) ??
        intent.outcomes['unknown']!;
      answerId = `${intentId}#${decision.outcome}`;
      template = outcome[locale];
      values = decision.values;
    } else {
      const variant = pickVariant(intent.variants, facts);
      answerId = `${intentId}#${variant.id}`;
      template = variant.text[locale];
    }

    const text = fillTemplate(template, locale, (name) => values[name] ?? factTitle(pack, name, factValue(facts, name)));
    const speak = toSpeech(text);
    return {
      kind: 'answer',
      intent: intentId,
      answerId,
      text,
      ...(speak !== text ? { speak } : {}),
      related: intent.info.related.filter((id) => this.byId.has(id)),
      handoff: intent.info.handoff,
      ...(intent.info.skill ? { skill: intent.info.skill } : {}),
    };
  }
}

/**
 * Most specific first: among the variants whose every condition holds for the known facts,
 * the one with the most conditions wins (file order breaks ties); a variant with a condition
 * on an unknown or different fact never applies; the default (no `when`) comes last.
 */
export function pickVariant(variants: readonly CompiledVariant[], facts: Facts): CompiledVariant {
  let best: CompiledVariant | undefined;
  let bestScore = -1;
  for (const variant of variants) {
    const conditions = Object.entries(variant.when);
    if (!conditions.every(([fact, condition]) => conditionHolds(condition, factValue(facts, fact)))) continue;
    if (conditions.length > bestScore) {
      best = variant;
      bestScore = conditions.length;
    }
  }
  // The loader guarantees a default variant, so `best` is always set.
  return best ?? variants[variants.length - 1]!;
}

/** Lists of the same name from several packs are merged (synonyms of the same key joined). */
function mergeLists(packs: readonly CompiledPack[]): CustomEntityList[] {
  const merged = new Map<string, Record<string, string[]>>();
  for (const pack of packs) {
    for (const list of pack.entityLists) {
      const values = merged.get(list.name) ?? {};
      for (const [key, synonyms] of Object.entries(list.values)) values[key] = [...new Set([...(values[key] ?? []), ...synonyms])];
      merged.set(list.name, values);
    }
  }
  return [...merged].map(([name, values]) => ({ name, values }));
}

/** A fact shown in an answer: the slot choice's or graph node's title, else the raw value. */
function factTitle(pack: CompiledPack, name: string, value: string | undefined): TemplateValue | undefined {
  if (value === undefined) return undefined;
  const choice = pack.slots.get(name)?.choices.find((c) => c.value === value);
  if (choice) return choice.titles;
  const node = pack.graph.node(value);
  if (node) return node.title;
  return value;
}
