import { factValue } from './facts.js';
import { numberAttribute, type GraphNode, type KnowledgeGraph } from './graph.js';
import type { TemplateValue } from './localize.js';
import type { Facts } from './types.js';

/** What a reasoner decided: the outcome (a template name in the intent's `outcomes`) and its values. */
export interface ReasonerDecision {
  readonly outcome: string;
  readonly values: Readonly<Record<string, TemplateValue>>;
}

export interface Reasoner {
  readonly name: string;
  /** Outcomes every intent using this reasoner must provide templates for (`covered_no_wait` falls back to `covered`). */
  readonly outcomes: readonly string[];
  /** Facts it reads: intents using it must declare them as slots (asked for when missing). */
  readonly requiredFacts: readonly string[];
  /** Problems with the graph for this reasoner (empty when usable). */
  check(graph: KnowledgeGraph): string[];
  decide(graph: KnowledgeGraph, facts: Facts): ReasonerDecision;
}

/**
 * Insurance coverage: "can <product> claim for <condition> for a person aged <age>?"
 *
 * Graph vocabulary: nodes of type `product` (attributes `minAge`, `maxAge`, `waitingDays`),
 * `condition` and `category`; relations `condition -in_category-> category`,
 * `product -covers-> category` (attributes `minAge`, `maxAge`, `waitingDays` narrow the
 * product's) and `product -excludes-> category`.
 *
 * Decision order: an excluded category → `excluded`; no covered category → `not_covered`;
 * age outside every covered category's range → `age_outside`; inside the waiting period
 * (`policyDays` known and below it) → `waiting`; otherwise `covered` (`covered_no_wait` when
 * there is no waiting period). Template values: product, condition, category (titles),
 * minAge, maxAge, waitingDays, daysLeft, age.
 */
export const coverageReasoner: Reasoner = {
  name: 'coverage',
  outcomes: ['covered', 'waiting', 'excluded', 'not_covered', 'age_outside', 'unknown'],
  requiredFacts: ['product', 'condition', 'age'],
  check(graph) {
    const problems: string[] = [];
    if (graph.nodesOfType('product').length === 0) problems.push('the coverage reasoner needs graph nodes of type "product"');
    if (graph.nodesOfType('condition').length === 0) problems.push('the coverage reasoner needs graph nodes of type "condition"');
    return problems;
  },
  decide(graph, facts) {
    const product = graph.node(factValue(facts, 'product') ?? '');
    const condition = graph.node(factValue(facts, 'condition') ?? '');
    if (!product || product.type !== 'product' || !condition || condition.type !== 'condition') {
      return { outcome: 'unknown', values: {} };
    }
    const base: Record<string, TemplateValue> = { product: product.title, condition: condition.title };
    const categories = graph
      .relations(condition.id, 'in_category')
      .map((relation) => graph.node(relation.to))
      .filter((node): node is GraphNode => node !== undefined);
    const excluded = categories.find((category) => graph.relation(product.id, 'excludes', category.id));
    if (excluded) return { outcome: 'excluded', values: { ...base, category: excluded.title } };

    const covered = categories
      .map((category) => ({ category, relation: graph.relation(product.id, 'covers', category.id) }))
      .filter((c) => c.relation !== undefined);
    if (covered.length === 0) return { outcome: 'not_covered', values: { ...base, category: categories[0]?.title ?? condition.title } };

    const ageText = factValue(facts, 'age');
    const age = ageText === undefined ? undefined : Number(ageText);
    const range = (attributes: GraphNode['attributes'], fallback: GraphNode['attributes']) => ({
      min: Math.max(numberAttribute(attributes, 'minAge') ?? 0, numberAttribute(fallback, 'minAge') ?? 0),
      max: Math.min(numberAttribute(attributes, 'maxAge') ?? 200, numberAttribute(fallback, 'maxAge') ?? 200),
    });
    const scored = covered.map(({ category, relation }) => ({
      category,
      range: range(relation!.attributes, product.attributes),
      waitingDays: numberAttribute(relation!.attributes, 'waitingDays') ?? numberAttribute(product.attributes, 'waitingDays') ?? 0,
    }));
    const eligible = scored.find((c) => age === undefined || !Number.isFinite(age) || (age >= c.range.min && age <= c.range.max));
    if (!eligible) {
      const first = scored[0]!;
      return {
        outcome: 'age_outside',
        values: { ...base, category: first.category.title, minAge: first.range.min, maxAge: first.range.max, age: ageText ?? '' },
      };
    }
    const values = {
      ...base,
      category: eligible.category.title,
      minAge: eligible.range.min,
      maxAge: eligible.range.max,
      waitingDays: eligible.waitingDays,
      age: ageText ?? '',
    };
    const policyDays = Number(factValue(facts, 'policyDays'));
    if (eligible.waitingDays > 0 && Number.isFinite(policyDays) && factValue(facts, 'policyDays') !== undefined && policyDays < eligible.waitingDays) {
      return { outcome: 'waiting', values: { ...values, daysLeft: eligible.waitingDays - policyDays } };
    }
    return { outcome: eligible.waitingDays > 0 ? 'covered' : 'covered_no_wait', values };
  },
};

export const REASONERS: ReadonlyMap<string, Reasoner> = new Map([[coverageReasoner.name, coverageReasoner]]);
