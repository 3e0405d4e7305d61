import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SUPPORTED_LOCALES, type Locale } from '../config.js';
import { ConfigError } from '../errors.js';
import { localize } from '../handoff/skills.js';
import { parseYamlFile } from '../knowledge/yaml-file.js';

/** The fields a canned response may use; anything else in braces is a mistake caught at load. */
export const CANNED_FIELDS = ['customer.name', 'agent.name', 'skill'] as const;
export type CannedFields = Readonly<Record<(typeof CANNED_FIELDS)[number], string>>;

const FIELD = /\{([^{}]*)\}/g;

const textSchema = z.string().min(1).max(2000).superRefine((text, ctx) => {
  for (const [, name] of text.matchAll(FIELD)) {
    if (!(CANNED_FIELDS as readonly string[]).includes(name ?? '')) ctx.addIssue({ code: 'custom', message: `unknown field {${name}}; known: ${CANNED_FIELDS.map((f) => `{${f}}`).join(', ')}` });
  }
});

const responseSchema = z.object({
  id: z.string().regex(/^[a-z0-9_.-]+$/, 'expected lower-case letters, digits, "_", "." or "-"'),
  title: z.union([z.string().min(1), z.partialRecord(z.enum(SUPPORTED_LOCALES), z.string().min(1))]),
  /** Skills the response suits; every skill when left out. */
  skills: z.array(z.string().min(1)).min(1).optional(),
  /** The text in each language it exists in; offered only in conversations of those languages. */
  text: z.partialRecord(z.enum(SUPPORTED_LOCALES), textSchema).refine((texts) => Object.keys(texts).length > 0, 'give the text in at least one language'),
});

const fileSchema = z.object({ responses: z.array(responseSchema).default([]) }).superRefine((file, ctx) => {
  const seen = new Set<string>();
  file.responses.forEach((response, index) => {
    if (seen.has(response.id)) ctx.addIssue({ code: 'custom', path: ['responses', index, 'id'], message: `duplicate id "${response.id}"` });
    seen.add(response.id);
  });
});

type CannedResponseConfig = z.infer<typeof responseSchema>;

/** A canned response as the console shows it: title in the agent's language, text filled in. */
export interface CannedReply {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/** Canned responses per skill and language, from HANDOFF_CANNED_RESPONSES_FILE. */
export class CannedResponses {
  constructor(private readonly responses: readonly CannedResponseConfig[]) {}

  /** Parses the YAML; every problem is reported as `file:line: path: message`. */
  static parse(source: string, display = 'canned responses'): CannedResponses {
    const { file, problems } = parseYamlFile(display, display, source);
    if (!file) throw new ConfigError(problems.map((p) => `${p.file}:${p.line}: ${p.reason}`).join('\n'));
    const parsed = fileSchema.safeParse(file.data ?? {});
    if (!parsed.success) {
      throw new ConfigError(parsed.error.issues.map((issue) => `${display}:${file.lineOf(issue.path)}: ${issue.path.join('.') || '(file)'}: ${issue.message}`).join('\n'));
    }
    return new CannedResponses(parsed.data.responses);
  }

  static load(path: string | undefined, display = path): CannedResponses {
    if (!path) return new CannedResponses([]);
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`HANDOFF_CANNED_RESPONSES_FILE=${display}: ${(error as Error).message}`, { cause: error });
    }
    return CannedResponses.parse(source, display);
  }

  /** The responses for a conversation's skill and language, titled for the agent, fields filled in. */
  for(skill: string, language: Locale, agentLanguage: Locale, fields: CannedFields): CannedReply[] {
    return this.responses
      .filter((r) => (!r.skills || r.skills.includes(skill)) && r.text[language] !== undefined)
      .map((r) => ({ id: r.id, title: localize(r.title, agentLanguage, r.id), text: fill(r.text[language]!, fields) }));
  }
}

function fill(text: string, fields: CannedFields): string {
  return text.replace(FIELD, (whole, name: string) => fields[name as keyof CannedFields] ?? whole);
}
