import type { Activity } from 'botbuilder';
import type { Agent, AgentDirectory } from '../agent/agent-directory.js';
import type { Locale } from '../config.js';
import type { I18n } from '../i18n/create-i18n.js';
import type { Logger } from '../logger.js';
import type { OutboundDelivery, OutboundMessage } from '../channels/outbound/outbound-delivery.js';
import type { HandoffQueue } from './queue/handoff-queue.js';
import type { HandoffRecord } from './types.js';
import { randomUUID } from 'node:crypto';

const DEFAULT_HANDLE_MS = 5 * 60_000;

/**
 * Where the customer stands, on every handoff message (`channelData.handoff`): pages that can
 * (the kiosk) show the wait with a cancel button, the rating as buttons, and an agent's words apart.
 */
export type HandoffStage = 'waiting' | 'agent' | 'survey' | 'none';
const STAGE_OF_NOTICE: Readonly<Record<string, HandoffStage>> = { queued: 'waiting', position: 'waiting', agentLost: 'waiting', transferred: 'waiting', accepted: 'agent', resolved: 'survey' };

export const staged = (text: string, stage: HandoffStage, extra: Record<string, unknown> = {}): Partial<Activity> => ({ type: 'message', text, channelData: { handoff: stage, ...extra } });

export interface CustomerNoticesDeps {
  readonly queue: HandoffQueue;
  readonly outbound: OutboundDelivery;
  readonly agents: AgentDirectory;
  readonly i18n: I18n;
  readonly logger: Logger;
}

/**
 * What the handoff tells a customer outside their own turn (accepted, transferred, position in
 * the queue, agent lost, resolved): localized, staged, and sent through the outbound queue.
 */
export class CustomerNotices {
  constructor(private readonly deps: CustomerNoticesDeps) {}

  text(locale: Locale, key: string, values: Record<string, unknown> = {}): string {
    return this.deps.i18n.t(`handoff:${key}`, { lng: locale, ...values });
  }

  /** Agents configured for a skill and language. */
  agentsFor(skill: string, language: Locale): Agent[] {
    return this.deps.agents.list().filter((a) => a.skills.includes(skill) && a.languages.includes(language));
  }

  async estimateMinutes(record: HandoffRecord, position: number): Promise<number> {
    const handleMs = (await this.deps.queue.averageHandleMs(record.skill)) ?? DEFAULT_HANDLE_MS;
    const agents = Math.max(1, this.agentsFor(record.skill, record.language).length);
    return Math.max(1, Math.ceil((position * handleMs) / agents / 60_000));
  }

  async tellPosition(record: HandoffRecord, key: 'queued' | 'position' | 'agentLost'): Promise<void> {
    const position = (await this.deps.queue.position(record.id)) ?? 1;
    const minutes = await this.estimateMinutes(record, position);
    await this.tell(record, key, { position, minutes }, `${key}-${record.id}-${randomUUID()}`);
  }

  /** `id` is the outbound job id: the same id twice sends once. */
  async tell(record: HandoffRecord, key: string, values: Record<string, unknown>, id: string): Promise<void> {
    const message: OutboundMessage = {
      id,
      reference: record.payload.reference,
      activities: [{ ...staged(this.text(record.language, key, values), STAGE_OF_NOTICE[key] ?? 'none'), locale: record.language }],
      origin: { kind: 'system', handoffId: record.id },
    };
    try {
      await this.deps.outbound.enqueue(message);
    } catch (error) {
      this.deps.logger.error({ err: error, handoffId: record.id }, 'could not queue a message to the customer');
    }
  }
}
