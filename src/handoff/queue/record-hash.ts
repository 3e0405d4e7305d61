import type { Locale } from '../../config.js';
import type { HandoffRecord, NewHandoff } from '../types.js';

/**
 * A handoff record as the fields of its Redis hash, the shape the handoff scripts read and change
 * (their headers name the fields). A new record is waiting with its first ticket.
 */
export function newRecordFields(handoff: NewHandoff, now: number): Record<string, string> {
  return {
    id: handoff.id,
    state: 'waiting',
    ticket: '1',
    skill: handoff.skill,
    language: handoff.language,
    priority: String(handoff.priority),
    createdAt: String(now),
    enqueuedAt: String(now),
    payload: JSON.stringify(handoff.payload),
    ...(handoff.reservedFor && handoff.reservedUntil ? { reservedFor: handoff.reservedFor, reservedUntil: String(handoff.reservedUntil) } : {}),
  };
}

/** The record a hash holds (HGETALL), or undefined for one that is gone or half written. */
export function recordFromFields(id: string, f: Readonly<Record<string, string>>): HandoffRecord | undefined {
  if (!f.state || !f.payload) return undefined;
  return {
    id,
    state: f.state as HandoffRecord['state'],
    skill: f.skill ?? 'general',
    language: (f.language ?? 'en') as Locale,
    priority: Number(f.priority),
    createdAt: Number(f.createdAt),
    enqueuedAt: Number(f.enqueuedAt),
    ...(f.agentId ? { agentId: f.agentId } : {}),
    ...(f.assignedAt ? { assignedAt: Number(f.assignedAt) } : {}),
    ...(f.reservedFor ? { reservedFor: f.reservedFor, reservedUntil: Number(f.reservedUntil) } : {}),
    payload: JSON.parse(f.payload) as HandoffRecord['payload'],
    ...(f.outcome ? { outcome: JSON.parse(f.outcome) as HandoffRecord['outcome'] } : {}),
  };
}
