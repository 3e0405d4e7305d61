import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { SUPPORTED_LOCALES, type Locale } from '../config.js';
import { ConfigError } from '../errors.js';
import { needsRehash, parsePasswordHash, UNMATCHABLE_HASH, verifyPassword } from './password.js';

export const DEFAULT_CAPACITY = 3;

const agentSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, "_", "." or "-"'),
  name: z.string().min(1),
  skills: z.array(z.string().min(1)).min(1),
  languages: z.array(z.enum(SUPPORTED_LOCALES)).min(1),
  /** Optional when the agent logs in with single sign-on only (then the password login refuses them). */
  passwordHash: z
    .string()
    .refine((hash) => parsePasswordHash(hash) !== undefined, 'expected scrypt$N$r$p$salt$hash (npx tsx src/agent/agent-cli.ts hash-password)')
    .optional(),
  /** Single sign-on (OpenID Connect): the identity provider's `sub` for this agent… */
  oidcSubject: z.string().min(1).optional(),
  /** …or their e-mail address, accepted only when the provider says it is verified. */
  email: z.string().email().optional(),
  /** Chats the agent holds at once; waiting handoffs are offered or assigned only up to it. */
  capacity: z.number().int().min(1).max(20).default(DEFAULT_CAPACITY),
  /** Supervisors also see the floor (/supervisor): every agent, queue and live chat, and may reassign. */
  role: z.enum(['agent', 'supervisor']).default('agent'),
  /** Waiting handoffs are assigned to the agent as capacity frees up, instead of waiting for "Accept". */
  autoAssign: z.boolean().default(false),
});

export type AgentConfig = z.infer<typeof agentSchema>;

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly string[];
  readonly languages: readonly Locale[];
  readonly capacity: number;
  readonly role: 'agent' | 'supervisor';
  readonly autoAssign: boolean;
}

/** The agents who may log in to the console, from HANDOFF_AGENTS_FILE. */
export class AgentDirectory {
  private readonly agents: Map<string, AgentConfig>;

  constructor(agents: readonly AgentConfig[]) {
    this.agents = new Map(agents.map((agent) => [agent.id, agent]));
  }

  static parse(text: string, source = 'agents'): AgentDirectory {
    const parsed = z.object({ agents: z.array(agentSchema).default([]) }).safeParse(parse(text) ?? {});
    if (!parsed.success) throw new ConfigError(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return new AgentDirectory(parsed.data.agents);
  }

  static load(file: string | undefined): AgentDirectory {
    if (!file) return new AgentDirectory([]);
    try {
      return AgentDirectory.parse(readFileSync(file, 'utf8'), file);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`HANDOFF_AGENTS_FILE=${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  get(id: string): Agent | undefined {
    const agent = this.agents.get(id);
    return agent ? { id: agent.id, name: agent.name, skills: agent.skills, languages: agent.languages, capacity: agent.capacity, role: agent.role, autoAssign: agent.autoAssign } : undefined;
  }

  list(): Agent[] {
    return [...this.agents.keys()].map((id) => this.get(id)).filter((a): a is Agent => a !== undefined);
  }

  /** Agents whose password hash is in the old format or below today's scrypt cost (still accepted). */
  needingRehash(): string[] {
    return [...this.agents.values()].filter((agent) => agent.passwordHash !== undefined && needsRehash(agent.passwordHash)).map((agent) => agent.id);
  }

  /** The agent a single sign-on identity maps to: by subject, else by a verified e-mail address. */
  byIdentity(identity: { subject: string; email?: string | undefined; emailVerified?: boolean | undefined }): Agent | undefined {
    const agents = [...this.agents.values()];
    const found =
      agents.find((agent) => agent.oidcSubject === identity.subject) ??
      (identity.email && identity.emailVerified ? agents.find((agent) => agent.email?.toLowerCase() === identity.email!.toLowerCase()) : undefined);
    return found ? this.get(found.id) : undefined;
  }

  /** The agent when the password matches; undefined otherwise (same work either way). */
  async authenticate(id: string, password: string): Promise<Agent | undefined> {
    const agent = this.agents.get(id);
    const ok = await verifyPassword(password, agent?.passwordHash ?? UNMATCHABLE_HASH);
    return ok && agent ? this.get(id) : undefined;
  }
}
