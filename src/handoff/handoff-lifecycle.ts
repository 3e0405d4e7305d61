import type { Logger } from '../logger.js';
import type { CallbackRecord } from './callbacks/callback-store.js';
import type { CsatEntry } from './csat-store.js';
import type { HandoffRecord } from './types.js';

/** A handoff's life as analytics hears it (`HandoffService.onLifecycle`). */
export type HandoffLifecycleEvent =
  | { type: 'queued' | 'accepted' | 'resolved' | 'cancelled'; record: HandoffRecord; at: number }
  | { type: 'csat'; entry: CsatEntry; at: number }
  | { type: 'callback-booked' | 'callback-claimed' | 'callback-done'; callback: CallbackRecord; at: number };

/** Fans lifecycle events out to listeners; one failing listener neither stops the others nor the handoff. */
export class HandoffLifecycle {
  private readonly listeners = new Set<(event: HandoffLifecycleEvent) => void>();

  constructor(private readonly logger: Logger) {}

  /** Returns the unsubscribe. */
  on(listener: (event: HandoffLifecycleEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: HandoffLifecycleEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: event.type }, 'handoff lifecycle listener failed');
      }
    }
  }
}
