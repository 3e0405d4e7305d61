import { relative } from 'node:path';
import { ContentError } from '../errors.js';

/** One thing wrong in a content file, located to the line. */
export interface ContentProblem {
  /** Path of the file, relative to the working directory when inside it. */
  readonly file: string;
  /** 1-based line (1 when the whole file is at fault). */
  readonly line: number;
  readonly reason: string;
}

/** A content file (or several) is invalid. `problems` lists every one found, each with file and line. */
export class KnowledgeContentError extends ContentError {
  readonly problems: readonly ContentProblem[];

  constructor(problems: readonly ContentProblem[], options?: { cause?: unknown }) {
    const shown = problems.slice(0, 20).map((p) => `  ${p.file}:${p.line}: ${p.reason}`);
    if (problems.length > 20) shown.push(`  … and ${problems.length - 20} more`);
    super(`Invalid content:\n${shown.join('\n')}`, options);
    this.problems = problems;
  }
}

export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
