import type { AgentDirectory } from '../../agent/agent-directory.js';
import type { Locale } from '../../config.js';
import type { HandoffSettings } from '../../config/handoff.js';
import { customerKey } from '../handoff-keys.js';
import type { HandoffQueue } from '../queue/handoff-queue.js';
import { DEFAULT_SKILL, type Skill, type SkillCatalog } from '../skills.js';
import type { HandoffPayload } from '../types.js';

export interface RoutingPolicyDeps {
  readonly queue: HandoffQueue;
  readonly skills: SkillCatalog;
  readonly agents: AgentDirectory;
  readonly settings: Pick<HandoffSettings, 'affinityMs' | 'strongNegativeScore' | 'prioritySegments'>;
  readonly now: () => number;
}

/** Where a new handoff goes: its skill, its priority in the queue, and the agent it is kept for (affinity). */
export class RoutingPolicy {
  constructor(private readonly deps: RoutingPolicyDeps) {}

  /** The skill from the content's flags; otherwise the intent → skill mapping, then `general`. */
  skillFor(request: { readonly skill?: string | undefined; readonly intent?: string | undefined }): Skill {
    const { skills, intents } = this.deps.skills;
    const id = request.skill ?? (request.intent ? intents[request.intent] : undefined) ?? DEFAULT_SKILL;
    return skills.get(id) ?? skills.get(DEFAULT_SKILL)!;
  }

  /** 1 (first) to 5: recent negative turns, a strongly negative one and a priority segment move a customer up. */
  priority(payload: HandoffPayload): number {
    const { strongNegativeScore, prioritySegments } = this.deps.settings;
    let priority = 5;
    const recent = payload.sentimentTrend.slice(-3);
    priority -= recent.filter((s) => s < 0).length;
    if (recent.some((s) => s <= strongNegativeScore)) priority -= 1;
    if (payload.customer.segment && prioritySegments.includes(payload.customer.segment)) priority -= 3;
    return Math.max(1, priority);
  }

  /** The customer's last agent, when online and serving this skill and language, gets the first look for `affinityMs`. */
  async reservation(payload: HandoffPayload, skill: string, locale: Locale): Promise<{ reservedFor: string; reservedUntil: number } | undefined> {
    const { queue, agents, settings } = this.deps;
    const now = this.deps.now();
    const last = await queue.lastAgent(customerKey(payload));
    const lastAgent = last ? agents.get(last) : undefined;
    if (lastAgent && settings.affinityMs > 0 && lastAgent.skills.includes(skill) && lastAgent.languages.includes(locale) && (await queue.isOnline(lastAgent.id))) {
      return { reservedFor: lastAgent.id, reservedUntil: now + settings.affinityMs };
    }
    return undefined;
  }
}
