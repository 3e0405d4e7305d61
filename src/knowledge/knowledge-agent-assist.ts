import type { AgentAssist, AssistScope, AssistSuggestion } from '../agent/agent-assist.js';
import type { ContentSource } from '../bot/turn-content.js';
import type { Locale } from '../config.js';
import { factsFromEntities } from './facts.js';

const SUGGESTIONS = 3;

/**
 * Agent assist from the knowledge base: for the customer's latest message, the answers of the
 * intents the NLU thinks most likely, in the customer's language, filled with what the message
 * itself says (city, age, condition…). Answers that still need a fact are left out, and so are
 * intents outside the conversation's scope: its packs, or intents routed to its skill.
 */
export class KnowledgeAgentAssist implements AgentAssist {
  constructor(private readonly content: ContentSource) {}

  async suggest(input: { text: string; locale: Locale; intent?: string | null | undefined; scope?: AssistScope | undefined }): Promise<AssistSuggestion[]> {
    const { knowledge, nlu } = this.content.current();
    const understanding = nlu.analyze(input.text, { sentiment: false });
    const facts = factsFromEntities(understanding.entities);
    const candidates = [
      ...(input.intent ? [{ intent: input.intent, confidence: 1 }] : []),
      ...(understanding.intent ? [{ intent: understanding.intent, confidence: understanding.confidence }] : []),
      ...understanding.alternatives,
    ];
    const suggestions: AssistSuggestion[] = [];
    const seen = new Set<string>();
    for (const candidate of candidates) {
      if (seen.has(candidate.intent) || candidate.intent.startsWith('core.')) continue;
      seen.add(candidate.intent);
      if (input.scope && !inScope(knowledge.intent(candidate.intent), input.scope)) continue;
      const resolution = knowledge.resolve({ intent: candidate.intent, locale: input.locale, facts });
      if (resolution.kind !== 'answer') continue;
      suggestions.push({ text: resolution.text, source: resolution.answerId, score: Number(candidate.confidence.toFixed(3)) });
      if (suggestions.length === SUGGESTIONS) break;
    }
    return suggestions;
  }
}

function inScope(intent: { pack: string; skill: string | undefined } | undefined, scope: AssistScope): boolean {
  if (!intent) return false;
  return scope.packs.includes(intent.pack) || (intent.skill !== undefined && intent.skill === scope.skill);
}
