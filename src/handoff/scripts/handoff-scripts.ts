import type { RedisClient } from '../../state/create-redis.js';
import { defineScript, type RedisScript } from '../../state/lua-script.js';
import type { HandoffKeys } from '../../state/redis-keys.js';

/** What a script answered an agent's action on a handoff (the .lua headers' replies 1–3). */
export type ActionReply = { readonly ok: true } | { readonly ok: false; readonly reason: 'not-found' | 'not-assigned' | 'not-yours' };

export type ClaimReply = { readonly kind: 'claimed' } | { readonly kind: 'stale' } | { readonly kind: 'reserved'; readonly until: number };

/** What the script answers when the keys the caller read before it have changed: read them again. */
const KEYS_OUTDATED = { claim: 3, requeue: 5, cancel: 3, reassign: 4 } as const;
const CLAIMED = 0;
const CLAIM_STALE = 1;
const CLAIM_RESERVED = 2;
const REFUSALS: Record<number, 'not-found' | 'not-assigned' | 'not-yours'> = { 1: 'not-found', 2: 'not-assigned', 3: 'not-yours' };
/** A record changes queue or holder a few times in its life; this many re-reads in a row mean a bug. */
const MAX_KEY_READS = 20;

export interface HandoffScriptsOptions {
  readonly redis: RedisClient;
  readonly keys: HandoffKeys;
  readonly now: () => number;
  readonly leaseMs: number;
}

/**
 * The handoff record's state changes, each one Lua script of this folder run with the keys it
 * touches in KEYS. A script whose keys depend on the record (its queue, reservation or holder)
 * gets them from a read just before it; when another process changed them in between, the
 * script says so and the read and the script run again.
 */
export class HandoffScripts {
  private readonly redis: RedisClient;
  private readonly keys: HandoffKeys;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly claimScript: RedisScript<[number, number?]>;
  private readonly requeueScript: RedisScript<number>;
  private readonly heartbeatScript: RedisScript<number>;
  private readonly resolveScript: RedisScript<number>;
  private readonly cancelScript: RedisScript<number>;
  private readonly reassignScript: RedisScript<number>;

  constructor(options: HandoffScriptsOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.now = options.now;
    this.leaseMs = options.leaseMs;
    this.claimScript = defineScript(this.redis, 'src/handoff/scripts/handoff-claim.lua');
    this.requeueScript = defineScript(this.redis, 'src/handoff/scripts/handoff-requeue.lua');
    this.heartbeatScript = defineScript(this.redis, 'src/handoff/scripts/handoff-heartbeat.lua');
    this.resolveScript = defineScript(this.redis, 'src/handoff/scripts/handoff-resolve.lua');
    this.cancelScript = defineScript(this.redis, 'src/handoff/scripts/handoff-cancel.lua');
    this.reassignScript = defineScript(this.redis, 'src/handoff/scripts/handoff-reassign.lua');
  }

  /** `ticket`: the ticket number fetched, '' for an affinity offer, '*' for any ticket (see handoff-claim.lua). */
  async claim(id: string, ticket: string, agentId: string): Promise<ClaimReply> {
    const now = this.now();
    const [code, reservedUntil] = await this.withCurrentKeys(id, KEYS_OUTDATED.claim, async ({ skill, language, reservedFor }) => {
      const queue = this.keys.queueName(skill, language);
      return this.claimScript.run(
        [this.keys.record(id), this.keys.waiting(queue), this.keys.offers(reservedFor || agentId), this.keys.held(agentId), this.keys.leases],
        [id, ticket, agentId, now, now + this.leaseMs, queue, reservedFor],
      );
    });
    if (code === CLAIMED) return { kind: 'claimed' };
    if (code === CLAIM_RESERVED) return { kind: 'reserved', until: Number(reservedUntil) };
    if (code === CLAIM_STALE) return { kind: 'stale' };
    throw new Error(`handoff claim script answered ${code}`);
  }

  /** The holder gives the handoff back to its queue, or (`newSkill`) to another skill's. */
  async requeue(id: string, agentId: string, newSkill?: string): Promise<ActionReply> {
    return actionReply(await this.runRequeue(id, newSkill === undefined ? 'release' : 'transfer', agentId, newSkill ?? ''));
  }

  /** Returns the handoff to its queue if its lease has ended; true when it did. */
  async expire(id: string): Promise<boolean> {
    return (await this.runRequeue(id, 'expire', '', '')) === 0;
  }

  async reassign(id: string, toAgentId: string): Promise<ActionReply> {
    const now = this.now();
    const code = await this.withCurrentKeys(id, KEYS_OUTDATED.reassign, async ({ agentId: holder }) =>
      this.reassignScript.run([this.keys.record(id), this.keys.held(holder), this.keys.held(toAgentId), this.keys.leases], [id, holder, toAgentId, now, now + this.leaseMs]),
    );
    return actionReply(code);
  }

  async resolve(id: string, agentId: string, outcomeJson: string): Promise<ActionReply> {
    return actionReply(await this.resolveScript.run([this.keys.record(id), this.keys.held(agentId), this.keys.leases], [id, agentId, outcomeJson]));
  }

  /** Cancels a waiting or assigned handoff; one already closed stays as it was. */
  async cancel(id: string): Promise<void> {
    await this.withCurrentKeys(id, KEYS_OUTDATED.cancel, async ({ agentId, skill, language, reservedFor }) => {
      const queue = this.keys.queueName(skill, language);
      return this.cancelScript.run(
        [this.keys.record(id), this.keys.waiting(queue), this.keys.offers(reservedFor), this.keys.held(agentId), this.keys.leases],
        [id, queue, reservedFor, agentId],
      );
    });
  }

  /** Marks the agent online and extends the leases of what they hold. */
  async heartbeat(agentId: string): Promise<void> {
    const now = this.now();
    const held = await this.redis.smembers(this.keys.held(agentId));
    await this.heartbeatScript.run(
      [this.keys.presence, this.keys.held(agentId), this.keys.leases, ...held.map((id) => this.keys.record(id))],
      [agentId, now, now + this.leaseMs, ...held],
    );
  }

  private async runRequeue(id: string, mode: 'expire' | 'release' | 'transfer', agentId: string, newSkill: string): Promise<number> {
    const now = this.now();
    return this.withCurrentKeys(id, KEYS_OUTDATED.requeue, async ({ agentId: holder, skill, language }) => {
      const queue = this.keys.queueName(mode === 'transfer' ? newSkill : skill, language);
      return this.requeueScript.run(
        [this.keys.record(id), this.keys.held(holder), this.keys.leases, this.keys.waiting(queue), this.keys.queues, this.keys.outbox],
        [id, mode, agentId, now, newSkill, holder, queue],
      );
    });
  }

  /** Reads the record's keys, runs the script, and again while the script answers `outdated`. */
  private async withCurrentKeys<Reply>(id: string, outdated: number, run: (read: RecordKeysRead) => Promise<Reply>): Promise<Reply> {
    for (let read = 0; read < MAX_KEY_READS; read++) {
      const fields = await this.redis.hmget(this.keys.record(id), 'agentId', 'skill', 'language', 'reservedFor');
      const [agentId = '', skill = '', language = '', reservedFor = ''] = fields.map((field) => field ?? '');
      const reply = await run({ agentId, skill, language, reservedFor });
      if ((Array.isArray(reply) ? reply[0] : reply) !== outdated) return reply;
    }
    throw new Error(`handoff ${id} kept changing its queue or holder while a script ran`);
  }
}

/** The record's fields a script's keys depend on, as read just before it ran ('' when unset). */
interface RecordKeysRead {
  readonly agentId: string;
  readonly skill: string;
  readonly language: string;
  readonly reservedFor: string;
}

function actionReply(code: number): ActionReply {
  if (code === 0) return { ok: true };
  const reason = REFUSALS[code];
  if (reason === undefined) throw new Error(`handoff script answered ${code}`);
  return { ok: false, reason };
}
