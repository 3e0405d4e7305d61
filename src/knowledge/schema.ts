import { z } from 'zod';

/**
 * The shape of one content file. Every `*.yaml` file in a pack folder has this shape and the
 * pack's files are merged; `pack:` appears once, in `pack.yaml`.
 */
const text = z.string().trim().min(1, 'expected a non-empty text');

/** Text per locale: en, zh-CN and zh-HK are required; zh-TW is derived from zh-CN when absent. */
export const localizedSchema = z.strictObject({
  en: text,
  'zh-CN': text,
  'zh-HK': text,
  'zh-TW': text.optional(),
});
export type LocalizedInput = z.infer<typeof localizedSchema>;

const ID = /^[a-z0-9][a-z0-9_-]*$/;
const INTENT_ID = /^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$/;
const FACT = /^[A-Za-z][A-Za-z0-9_]*$/;

const idSchema = z.string().regex(ID, 'expected lower-case letters, digits, "-" or "_"');
const factName = z.string().regex(FACT, 'expected a fact name such as city or employeeType');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const conditionSchema = z.union([
  z.union([z.string(), z.number()]).transform((v) => String(v)),
  z.array(z.union([z.string(), z.number()]).transform((v) => String(v))).min(1),
  z
    .strictObject({ min: z.number().optional(), max: z.number().optional() })
    .refine((range) => range.min !== undefined || range.max !== undefined, 'expected min and/or max'),
]);
export type ConditionInput = z.infer<typeof conditionSchema>;

export const variantSchema = z.strictObject({
  /** Stable id for analytics; defaults to the variant's position. */
  id: idSchema.optional(),
  /** Facts that must all hold (unknown facts do not match). No `when`: the default variant. */
  when: z.record(factName, conditionSchema).optional(),
  en: text,
  'zh-CN': text,
  'zh-HK': text,
  'zh-TW': text.optional(),
});
export type VariantInput = z.infer<typeof variantSchema>;

export const choiceSchema = z.strictObject({
  value: z.union([z.string().min(1), z.number()]).transform((v) => String(v)),
  title: localizedSchema,
  synonyms: z.array(text).default([]),
});

export const slotSchema = z
  .strictObject({
    question: localizedSchema,
    choices: z.array(choiceSchema).default([]),
    /** Build the choices from the graph nodes of this type (e.g. `product`). */
    choicesFromGraph: idSchema.optional(),
    /** NLU entity type that fills the slot from free text (`age`, `number`, …). */
    entity: z.string().min(1).optional(),
  });
export type SlotInput = z.infer<typeof slotSchema>;

export const intentSchema = z
  .strictObject({
    id: z.string().regex(INTENT_ID, 'expected a namespaced id "pack.intent" (lower-case, digits, "-", "_")'),
    title: localizedSchema,
    examples: z.array(text).min(2, 'expected at least 2 example utterances'),
    answers: z.array(variantSchema).min(1).optional(),
    /** For reasoner intents: the answer templates per outcome. */
    outcomes: z.record(idSchema, localizedSchema).optional(),
    reasoner: idSchema.optional(),
    slots: z.array(factName).default([]),
    related: z.array(z.string().regex(INTENT_ID, 'expected an intent id "pack.intent"')).default([]),
    handoff: z.boolean().default(false),
    skill: idSchema.optional(),
    priority: z.number().int().default(0),
    /** How sure the NLU must be before the dialogs act on this intent (high-stakes topics). */
    policy: z
      .strictObject({
        /** Below this confidence the intent is not answered directly (precision: emergencies). */
        minConfidence: z.number().min(0).max(1).optional(),
        /** Below `minConfidence`, ask the user to confirm instead of dropping the intent. */
        confirm: z.boolean().default(false),
        /** Near the top of the ranking, even for a message otherwise out of scope, confirm it (recall: scams). */
        recallFirst: z.boolean().default(false),
      })
      .default({ confirm: false, recallFirst: false }),
  })
  .refine((intent) => intent.reasoner !== undefined || intent.answers !== undefined, {
    message: 'expected "answers" (or a "reasoner" with "outcomes")',
    path: ['answers'],
  })
  .refine((intent) => intent.reasoner === undefined || intent.outcomes !== undefined, {
    message: 'a reasoner intent needs "outcomes"',
    path: ['outcomes'],
  });
export type IntentInput = z.infer<typeof intentSchema>;

export const graphNodeSchema = z.strictObject({
  id: idSchema,
  type: idSchema,
  title: localizedSchema,
  /** Words users say for it; nodes with synonyms become a custom entity list named after their type. */
  synonyms: z.array(text).default([]),
  attributes: z.record(z.string(), scalar).default({}),
});
export type GraphNodeInput = z.infer<typeof graphNodeSchema>;

export const graphRelationSchema = z.strictObject({
  from: idSchema,
  type: idSchema,
  to: idSchema,
  attributes: z.record(z.string(), scalar).default({}),
});
export type GraphRelationInput = z.infer<typeof graphRelationSchema>;

export const contentFileSchema = z.strictObject({
  pack: z
    .strictObject({
      id: idSchema,
      title: localizedSchema,
      description: text,
    })
    .optional(),
  slots: z.record(factName, slotSchema).default({}),
  /** Custom list entities: list name → canonical key → synonyms in any language. */
  entities: z.record(factName, z.record(z.string().min(1), z.array(text).min(1))).default({}),
  intents: z.array(intentSchema).default([]),
  /**
   * More example utterances for intents defined elsewhere in the same pack: what the learned
   * overlay (operators labelling missed messages on the dashboard) adds without copying intents.
   */
  examples: z.record(z.string().regex(INTENT_ID, 'expected an intent id "pack.intent"'), z.array(text).min(1)).default({}),
  graph: z
    .strictObject({
      nodes: z.array(graphNodeSchema).default([]),
      relations: z.array(graphRelationSchema).default([]),
    })
    .optional(),
});
export type ContentFileInput = z.infer<typeof contentFileSchema>;
