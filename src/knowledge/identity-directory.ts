import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SUPPORTED_LOCALES, type Locale } from '../config.js';
import { displayPath, KnowledgeContentError } from './content-error.js';
import { parseYamlFile } from './yaml-file.js';

const entrySchema = z.strictObject({
  /** Channel user ids and emails that identify this person (Teams AAD id, email, phone…). */
  ids: z.array(z.string().min(1)).min(1),
  name: z.string().optional(),
  employeeType: z.enum(['local', 'foreign']).optional(),
  department: z.string().optional(),
  city: z.string().optional(),
  site: z.string().optional(),
  segment: z.string().optional(),
  language: z.enum(SUPPORTED_LOCALES).optional(),
});
const directorySchema = z.strictObject({ users: z.array(entrySchema) });

export interface DirectoryEntry {
  readonly name?: string;
  readonly employeeType?: 'local' | 'foreign';
  readonly department?: string;
  readonly city?: string;
  readonly site?: string;
  readonly segment?: string;
  readonly language?: Locale;
}

/** Who a user is, by any of their ids (case-insensitive). */
export interface IdentityDirectory {
  lookup(id: string): DirectoryEntry | undefined;
  readonly size: number;
}

/** Reads `knowledge/directory.yaml`-style files; problems are reported with file and line. */
export async function loadIdentityDirectory(path: string): Promise<IdentityDirectory> {
  const display = displayPath(path);
  const parsed = parseYamlFile(path, display, await readFile(path, 'utf8'));
  if (!parsed.file) throw new KnowledgeContentError(parsed.problems);
  const file = parsed.file;
  const result = directorySchema.safeParse(file.data);
  if (!result.success) {
    throw new KnowledgeContentError(result.error.issues.map((issue) => ({ file: display, line: file.lineOf(issue.path), reason: `${issue.path.join('.')}: ${issue.message}` })));
  }
  const byId = new Map<string, DirectoryEntry>();
  for (const { ids, ...entry } of result.data.users) {
    const frozen = Object.freeze(Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as DirectoryEntry);
    for (const id of ids) byId.set(id.toLowerCase(), frozen);
  }
  return { lookup: (id) => byId.get(id.toLowerCase()), size: result.data.users.length };
}
