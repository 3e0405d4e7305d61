import { createContext, Script } from 'node:vm';

const CALL = new Script('work()', { filename: 'carebot-deadline.vm' });

/**
 * Runs synchronous functions on this thread and stops each after a wall-time budget, wherever
 * it is (inside a third-party library or one of its regular expressions): Node's vm timeout
 * interrupts the whole isolate, not only code compiled in the context. One instance keeps one
 * empty context (creating one costs ~2 ms; running in it ~0.05 ms).
 */
export class Deadline {
  private readonly sandbox = createContext({ work: undefined as (() => void) | undefined });

  /** False when `work` was stopped at `ms`; errors `work` throws are thrown. */
  run(work: () => void, ms: number): boolean {
    this.sandbox.work = work;
    try {
      CALL.runInContext(this.sandbox, { timeout: Math.max(1, Math.floor(ms)) });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return false;
      throw error;
    } finally {
      this.sandbox.work = undefined;
    }
  }
}
