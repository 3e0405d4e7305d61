import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { loadOrTrain, type NluEngine } from '../nlu/index.js';
import type { Logger } from '../logger.js';
import { KnowledgeContentError, type ContentProblem } from './content-error.js';
import { loadKnowledge } from './load-knowledge.js';
import type { KnowledgeBase } from './types.js';

/**
 * Content and the NLU model trained on it, as one immutable unit. A turn takes ONE snapshot
 * at its start (`runtime.current()`) and uses only that object for understanding and answers;
 * a reload builds a whole new snapshot and swaps a single reference, so a turn never mixes an
 * old model with new content (or the reverse), and a turn in flight keeps its snapshot even
 * if a reload finishes meanwhile.
 */
export interface ContentSnapshot {
  readonly knowledge: KnowledgeBase;
  readonly nlu: NluEngine;
  /** 1 for the first load, +1 for every successful reload. */
  readonly version: number;
  readonly loadedAt: Date;
}

export type ReloadResult =
  | { readonly ok: true; readonly version: number; readonly packs: readonly string[]; readonly intents: number; readonly trainMs: number; readonly fromCache: boolean }
  | { readonly ok: false; readonly version: number; readonly error: KnowledgeContentError; readonly problems: readonly ContentProblem[] };

export interface ContentRuntimeOptions {
  readonly dir: string;
  /** The learned overlay folder (see LoadKnowledgeOptions.overlayDir); watched like the content folder. */
  readonly overlayDir?: string | undefined;
  readonly packs?: readonly string[] | undefined;
  readonly modelCacheDir: string;
  readonly outOfScopeThreshold?: number | undefined;
  readonly ambiguityMargin?: number | undefined;
  readonly logger: Logger;
  /** Quiet time after the last file change before reloading (default 300 ms). */
  readonly debounceMs?: number;
  /** Clock for `loadedAt` (tests). */
  readonly now?: () => Date;
}

/** Holds the current content snapshot; reloads it on demand or when files change. */
export class ContentRuntime {
  private snapshot: ContentSnapshot | undefined;
  private inFlight: Promise<ReloadResult> | undefined;
  private next: Promise<ReloadResult> | undefined;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly options: ContentRuntimeOptions;

  constructor(options: ContentRuntimeOptions) {
    this.options = options;
  }

  /** Loads for the first time; throws (KnowledgeContentError) when the content is invalid. */
  static async start(options: ContentRuntimeOptions): Promise<ContentRuntime> {
    const runtime = new ContentRuntime(options);
    const result = await runtime.reload();
    if (!result.ok) throw result.error;
    return runtime;
  }

  /** The snapshot to use for a whole turn. Throws if nothing was ever loaded. */
  current(): ContentSnapshot {
    if (!this.snapshot) throw new Error('content not loaded yet: await ContentRuntime.start() or reload() first');
    return this.snapshot;
  }

  get loaded(): boolean {
    return this.snapshot !== undefined;
  }

  /**
   * Validates every file, trains (or reuses the cached) NLU model, then swaps the snapshot.
   * On invalid content the previous snapshot keeps serving and the problems are returned.
   * A call during a reload waits for it and then runs one more (shared by every such call),
   * so the last change on disk is always picked up.
   */
  reload(): Promise<ReloadResult> {
    if (!this.inFlight) return this.run();
    this.next ??= this.inFlight.then(() => {
      this.next = undefined;
      return this.run();
    });
    return this.next;
  }

  private run(): Promise<ReloadResult> {
    this.inFlight = this.build().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async build(): Promise<ReloadResult> {
    const { logger } = this.options;
    const started = performance.now();
    try {
      const knowledge = await loadKnowledge(this.loadOptions());
      const trained = await loadOrTrain(knowledge.trainingExamples(), this.options.modelCacheDir, {
        customLists: knowledge.customEntityLists(),
        ...(this.options.outOfScopeThreshold !== undefined ? { oosThreshold: this.options.outOfScopeThreshold } : {}),
        ...(this.options.ambiguityMargin !== undefined ? { ambiguityMargin: this.options.ambiguityMargin } : {}),
      });
      const version = (this.snapshot?.version ?? 0) + 1;
      this.snapshot = Object.freeze({ knowledge, nlu: trained.engine, version, loadedAt: this.options.now?.() ?? new Date() });
      const result: ReloadResult = {
        ok: true,
        version,
        packs: knowledge.packs.map((pack) => pack.id),
        intents: knowledge.intents.length,
        trainMs: Math.round(performance.now() - started),
        fromCache: trained.fromCache,
      };
      if (trained.workerError) {
        logger.warn({ error: trained.workerError }, 'the NLU model was trained in place (the server paused meanwhile): the training worker failed');
      }
      logger.info({ version, packs: result.packs, intents: result.intents, ms: result.trainMs, fromCache: trained.fromCache }, 'content loaded');
      return result;
    } catch (error) {
      const contentError =
        error instanceof KnowledgeContentError
          ? error
          : new KnowledgeContentError([{ file: this.options.dir, line: 1, reason: (error as Error).message }], { cause: error });
      logger.warn({ problems: contentError.problems, version: this.snapshot?.version ?? 0 }, 'content reload failed; previous content keeps serving');
      return { ok: false, version: this.snapshot?.version ?? 0, error: contentError, problems: contentError.problems };
    }
  }

  private loadOptions(overlaySources?: ReadonlyMap<string, string>) {
    return { dir: this.options.dir, packs: this.options.packs, overlayDir: this.options.overlayDir, overlaySources };
  }

  /**
   * Validates the content as it would be with these overlay files (path → text) replaced or
   * added, without touching the disk or the serving snapshot: a change is checked before it is written.
   */
  async check(overlaySources: ReadonlyMap<string, string>): Promise<{ ok: true; knowledge: KnowledgeBase } | { ok: false; problems: readonly ContentProblem[] }> {
    try {
      return { ok: true, knowledge: await loadKnowledge(this.loadOptions(overlaySources)) };
    } catch (error) {
      if (error instanceof KnowledgeContentError) return { ok: false, problems: error.problems };
      throw error;
    }
  }

  /** Reloads when a file under the content folder (or the overlay folder) changes (debounced). */
  watch(): void {
    if (this.watchers.length > 0 || this.closed) return;
    const debounceMs = this.options.debounceMs ?? 300;
    const onChange = (_event: string, name: string | Buffer | null) => {
      if (name && !/\.ya?ml$/.test(String(name))) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        if (!this.closed) void this.reload();
      }, debounceMs);
    };
    const folders = [this.options.dir];
    if (this.options.overlayDir) {
      try {
        // Created up front so the first lesson an operator teaches is watched too.
        mkdirSync(this.options.overlayDir, { recursive: true });
        folders.push(this.options.overlayDir);
      } catch (error) {
        this.options.logger.warn({ err: error, folder: this.options.overlayDir }, 'the learned overlay folder cannot be created; it is not watched');
      }
    }
    for (const folder of folders) {
      const watcher = watch(folder, { recursive: true }, onChange);
      watcher.on('error', (error) => this.options.logger.error({ err: error, folder }, 'content watcher failed'));
      this.watchers.push(watcher);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    await this.inFlight?.catch(() => undefined);
  }
}
