import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { displayPath, KnowledgeContentError } from './content-error.js';
import type { LocalizedInput } from './schema.js';
import { parseYamlFile } from './yaml-file.js';

/** An example utterance for an intent that exists (in the pack's own files or the overlay). */
export interface ExampleLesson {
  readonly kind: 'example';
  readonly intent: string;
  readonly text: string;
}

/** A new intent an operator created from missed messages: title and answer per locale, at least two examples. */
export interface IntentLesson {
  readonly kind: 'intent';
  readonly id: string;
  readonly title: LocalizedInput;
  readonly answer: LocalizedInput;
  readonly examples: readonly string[];
}

export type Lesson = ExampleLesson | IntentLesson;

/** The one overlay file the review screen writes per pack; other overlay files are the operator's own. */
export function learnedFile(overlayDir: string, pack: string): string {
  return join(overlayDir, pack, 'learned.yaml');
}

export function packOfLesson(lesson: Lesson): string {
  const id = lesson.kind === 'example' ? lesson.intent : lesson.id;
  return id.slice(0, id.indexOf('.'));
}

/** The file's text, or undefined when it does not exist yet. */
export async function readLearnedFile(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

const HEADER = '# Written by the dashboard\'s review screen (carebot): examples and intents operators taught.\n# Validated like any content file; edit with care, the next lesson rewrites this file.\n';

/**
 * The overlay text with these lessons added: examples under `examples: {intent: [...]}`, new
 * intents under `intents:`. A current text with YAML errors throws KnowledgeContentError.
 * The result is checked by the content loader before anything is written.
 */
export function addLessons(path: string, current: string | undefined, lessons: readonly Lesson[]): string {
  let data: Record<string, unknown> = {};
  if (current !== undefined) {
    const parsed = parseYamlFile(path, displayPath(path), current);
    // A broken file is left for a person to fix rather than rewritten from a guess of its content.
    if (!parsed.file) throw new KnowledgeContentError(parsed.problems);
    data = isRecord(parsed.file.data) ? parsed.file.data : {};
  }
  const examples = (isRecord(data.examples) ? data.examples : {}) as Record<string, unknown>;
  const intents = (Array.isArray(data.intents) ? data.intents : []) as unknown[];
  for (const lesson of lessons) {
    if (lesson.kind === 'example') {
      // An example for an intent this file defines goes into that intent, so the file stays readable.
      const own = intents.find((intent): intent is { examples: unknown[] } => isRecord(intent) && intent.id === lesson.intent && Array.isArray(intent.examples));
      const list = own ? own.examples : ((examples[lesson.intent] as unknown[] | undefined) ?? (examples[lesson.intent] = []) as unknown[]);
      if (!list.includes(lesson.text)) list.push(lesson.text);
    } else {
      intents.push({ id: lesson.id, title: { ...lesson.title }, examples: [...lesson.examples], answers: [{ ...lesson.answer }] });
    }
  }
  const next: Record<string, unknown> = { ...data };
  if (Object.keys(examples).length > 0) next.examples = examples;
  if (intents.length > 0) next.intents = intents;
  return HEADER + stringify(next, { lineWidth: 0 });
}

/** Replaces the file in one step (temp file + rename): a reader sees the old or the new file, never half. */
export async function writeLearnedFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
