import type { ContentProblem } from './content-error.js';
import type { ContentRuntime } from './content-runtime.js';
import { addLessons, learnedFile, packOfLesson, readLearnedFile, writeLearnedFile, type Lesson } from './learned-overlay.js';
import { KnowledgeContentError } from './content-error.js';

export type TeachOutcome =
  | { readonly ok: true; readonly version: number; readonly files: readonly string[] }
  | { readonly ok: false; readonly problems: readonly ContentProblem[] };

/**
 * Writes lessons into the learned overlay and retrains through the content runtime's reload.
 * The changed overlay is validated with the rest of the content BEFORE it is written, so an
 * invalid lesson never reaches the disk and the serving model stays as it was. One lesson
 * batch at a time: two operators teaching at once cannot overwrite each other's file.
 */
export class ContentTeacher {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runtime: ContentRuntime,
    readonly overlayDir: string,
  ) {}

  teach(lessons: readonly Lesson[]): Promise<TeachOutcome> {
    const run = this.queue.then(() => this.apply(lessons));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async apply(lessons: readonly Lesson[]): Promise<TeachOutcome> {
    const texts = new Map<string, string>();
    try {
      for (const pack of new Set(lessons.map(packOfLesson))) {
        const path = learnedFile(this.overlayDir, pack);
        texts.set(path, addLessons(path, await readLearnedFile(path), lessons.filter((lesson) => packOfLesson(lesson) === pack)));
      }
    } catch (error) {
      if (error instanceof KnowledgeContentError) return { ok: false, problems: error.problems };
      throw error;
    }
    const checked = await this.runtime.check(texts);
    if (!checked.ok) return { ok: false, problems: checked.problems };
    for (const [path, text] of texts) await writeLearnedFile(path, text);
    const reloaded = await this.runtime.reload();
    if (!reloaded.ok) return { ok: false, problems: reloaded.problems };
    return { ok: true, version: reloaded.version, files: [...texts.keys()] };
  }
}
