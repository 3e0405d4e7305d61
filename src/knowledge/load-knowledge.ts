import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import type { CustomEntityList } from '../nlu/types.js';
import { displayPath, KnowledgeContentError, type ContentProblem } from './content-error.js';
import { REASONERS } from './coverage-reasoner.js';
import { KnowledgeGraph, type GraphNode, type GraphRelation } from './graph.js';
import { LoadedKnowledgeBase, type CompiledIntent, type CompiledPack, type CompiledVariant } from './knowledge-base.js';
import { completeLocales, placeholders } from './localize.js';
import { contentFileSchema, type ContentFileInput, type IntentInput, type SlotInput } from './schema.js';
import type { IntentInfo, KnowledgeBase, SlotChoice, SlotInfo } from './types.js';
import { parseYamlFile, type YamlFile, type YamlPath } from './yaml-file.js';

export interface LoadKnowledgeOptions {
  /** Folder with one sub-folder per pack. */
  readonly dir: string;
  /** Packs to load (the built-in `core` pack is always added); undefined loads every pack. */
  readonly packs?: readonly string[] | undefined;
  /**
   * Folder of the learned overlay: `<overlayDir>/<pack>/*.yaml`, read after the pack's own files
   * and validated the same way (examples operators labelled, intents they created). Outside the
   * content folder so a read-only image can still learn. A pack without an overlay folder is fine.
   */
  readonly overlayDir?: string | undefined;
  /** Overlay file texts to use instead of what is on disk (path → text): checks a change before it is written. */
  readonly overlaySources?: ReadonlyMap<string, string> | undefined;
}

/** The pack every deployment loads: greeting, thanks, goodbye, help, human. */
export const CORE_PACK = 'core';

interface Located<T> {
  readonly file: YamlFile;
  readonly path: YamlPath;
  readonly value: T;
}

interface PackSource {
  readonly id: string;
  readonly folder: string;
  readonly files: { file: YamlFile; content: ContentFileInput }[];
}

/**
 * Reads, validates and compiles the packs under `dir`. Every problem in every file is
 * collected and thrown at once as a `KnowledgeContentError` (code CONTENT_INVALID) whose
 * `problems` carry file, line and reason.
 */
export async function loadKnowledge(options: LoadKnowledgeOptions): Promise<KnowledgeBase> {
  const problems: ContentProblem[] = [];
  const sources = await readPacks(options, problems);
  if (problems.length > 0) throw new KnowledgeContentError(problems);
  const knowledge = compile(sources, problems);
  if (problems.length > 0) throw new KnowledgeContentError(problems);
  return knowledge;
}

async function readPacks(options: LoadKnowledgeOptions, problems: ContentProblem[]): Promise<PackSource[]> {
  const dirShown = displayPath(options.dir);
  let entries: string[];
  try {
    entries = (await readdir(options.dir)).sort();
  } catch (error) {
    problems.push({ file: dirShown, line: 1, reason: `cannot read the knowledge folder: ${(error as Error).message}` });
    return [];
  }
  const available: string[] = [];
  for (const entry of entries) {
    const isPack = await stat(join(options.dir, entry, 'pack.yaml')).then((s) => s.isFile(), () => false);
    if (isPack) available.push(entry);
  }
  let wanted = available;
  if (options.packs) {
    for (const pack of options.packs) {
      if (!available.includes(pack)) problems.push({ file: dirShown, line: 1, reason: `pack "${pack}" not found (no ${pack}/pack.yaml); available: ${available.join(', ')}` });
    }
    wanted = available.filter((pack) => pack === CORE_PACK || options.packs!.includes(pack));
  }
  if (wanted.length === 0 && problems.length === 0) problems.push({ file: dirShown, line: 1, reason: 'no packs found (expected <pack>/pack.yaml)' });

  const sources: PackSource[] = [];
  for (const id of wanted) {
    const folder = join(options.dir, id);
    const names = (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name)).sort((a, b) => (a === 'pack.yaml' ? -1 : b === 'pack.yaml' ? 1 : a.localeCompare(b)));
    const files: PackSource['files'] = [];
    const paths = [...names.map((name) => join(folder, name)), ...(await overlayFiles(options, id))];
    for (const path of paths) {
      const display = displayPath(path);
      const parsed = parseYamlFile(path, display, options.overlaySources?.get(path) ?? (await readFile(path, 'utf8')));
      problems.push(...parsed.problems);
      if (!parsed.file) continue;
      const data = parsed.file.data ?? {};
      const result = contentFileSchema.safeParse(data);
      if (!result.success) {
        problems.push(...zodProblems(parsed.file, result.error));
        continue;
      }
      files.push({ file: parsed.file, content: result.data });
    }
    sources.push({ id, folder, files });
  }
  return sources;
}

/** The overlay files of one pack: those on disk plus any given in `overlaySources` (new files), sorted. */
async function overlayFiles(options: LoadKnowledgeOptions, pack: string): Promise<string[]> {
  if (!options.overlayDir) return [];
  const folder = join(options.overlayDir, pack);
  const onDisk = await readdir(folder).then(
    (names) => names.filter((name) => /\.ya?ml$/.test(name)).map((name) => join(folder, name)),
    () => [],
  );
  const given = [...(options.overlaySources?.keys() ?? [])].filter((path) => dirname(path) === folder);
  return [...new Set([...onDisk, ...given])].sort();
}

function zodProblems(file: YamlFile, error: z.ZodError): ContentProblem[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    let reason = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) reason = `missing (${issue.message.replace(/^Invalid input: /, '')})`;
    if (issue.code === 'unrecognized_keys') reason = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    const path = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...issue.path, issue.keys[0]] : issue.path;
    return { file: file.display, line: file.lineOf(path), reason: `${where}${reason}` };
  });
}

function compile(sources: readonly PackSource[], problems: ContentProblem[]): KnowledgeBase {
  const at = (loc: { file: YamlFile; path: YamlPath }, reason: string): void => {
    problems.push({ file: loc.file.display, line: loc.file.lineOf(loc.path), reason });
  };

  const packs: CompiledPack[] = [];
  const intentSources: { pack: CompiledPack; intent: Located<IntentInput> }[] = [];
  const seenIntents = new Map<string, Located<IntentInput>>();

  for (const source of sources) {
    const packFile = source.files.find((f) => f.file.path.endsWith('pack.yaml'));
    const declared = source.files.filter((f) => f.content.pack !== undefined);
    const header = packFile?.content.pack;
    if (packFile && !header) at({ file: packFile.file, path: [] }, 'pack.yaml must declare "pack: {id, title, description}"');
    for (const other of declared) {
      if (other !== packFile) at({ file: other.file, path: ['pack'] }, '"pack:" belongs in pack.yaml only');
    }
    if (packFile && header && header.id !== source.id) at({ file: packFile.file, path: ['pack', 'id'] }, `pack id "${header.id}" must match its folder name "${source.id}"`);
    if (!header) continue;

    const slotSources = new Map<string, Located<SlotInput>>();
    const nodes: Located<GraphNode>[] = [];
    const relations: Located<GraphRelation>[] = [];
    const lists = new Map<string, Record<string, string[]>>();
    for (const { file, content } of source.files) {
      for (const [name, slot] of Object.entries(content.slots)) {
        if (slotSources.has(name)) at({ file, path: ['slots', name] }, `slot "${name}" is already defined in ${slotSources.get(name)!.file.display}`);
        else slotSources.set(name, { file, path: ['slots', name], value: slot });
      }
      for (const [name, values] of Object.entries(content.entities)) {
        const list = lists.get(name) ?? {};
        for (const [key, synonyms] of Object.entries(values)) list[key] = [...(list[key] ?? []), ...synonyms];
        lists.set(name, list);
      }
      content.graph?.nodes.forEach((node, i) => {
        nodes.push({ file, path: ['graph', 'nodes', i], value: { ...node, title: completeLocales(node.title) } });
      });
      content.graph?.relations.forEach((relation, i) => relations.push({ file, path: ['graph', 'relations', i], value: relation }));
    }

    const nodeIds = new Set<string>();
    for (const node of nodes) {
      if (nodeIds.has(node.value.id)) at({ file: node.file, path: [...node.path, 'id'] }, `graph node "${node.value.id}" is defined twice`);
      nodeIds.add(node.value.id);
      if (node.value.synonyms.length > 0) {
        const list = lists.get(node.value.type) ?? {};
        const titles = Object.values(node.value.title);
        list[node.value.id] = [...new Set([...(list[node.value.id] ?? []), ...node.value.synonyms, ...titles])];
        lists.set(node.value.type, list);
      }
    }
    relations.forEach((relation) => {
      for (const end of ['from', 'to'] as const) {
        if (!nodeIds.has(relation.value[end])) at({ file: relation.file, path: [...relation.path, end] }, `no graph node "${relation.value[end]}"`);
      }
    });
    const graph = new KnowledgeGraph(
      nodes.map((n) => n.value),
      relations.map((r) => r.value),
    );

    const slots = new Map<string, SlotInfo>();
    for (const [name, located] of slotSources) {
      const slot = located.value;
      let choices: SlotChoice[] = slot.choices.map((c) => ({ value: c.value, titles: completeLocales(c.title), synonyms: c.synonyms }));
      if (slot.choicesFromGraph) {
        const fromGraph = graph.nodesOfType(slot.choicesFromGraph);
        if (fromGraph.length === 0) at({ file: located.file, path: [...located.path, 'choicesFromGraph'] }, `no graph nodes of type "${slot.choicesFromGraph}"`);
        choices = [...choices, ...fromGraph.map((node) => ({ value: node.id, titles: node.title, synonyms: node.synonyms }))];
      }
      const withSynonyms = slot.choices.filter((c) => c.synonyms.length > 0);
      if (withSynonyms.length > 0) {
        const list = lists.get(name) ?? {};
        for (const c of withSynonyms) list[c.value] = [...new Set([...(list[c.value] ?? []), ...c.synonyms, ...Object.values(completeLocales(c.title))])];
        lists.set(name, list);
      }
      slots.set(name, {
        name,
        questions: completeLocales(slot.question),
        choices,
        ...(slot.entity ? { entity: slot.entity } : {}),
      });
    }

    const entityLists: CustomEntityList[] = [...lists].map(([name, values]) => ({ name, values }));
    const pack: CompiledPack = {
      info: { id: header.id, titles: completeLocales(header.title), description: header.description },
      slots,
      entityLists,
      graph,
    };
    packs.push(pack);

    for (const { file, content } of source.files) {
      content.intents.forEach((intent, i) => {
        const located: Located<IntentInput> = { file, path: ['intents', i], value: intent };
        const previous = seenIntents.get(intent.id);
        if (previous) {
          at({ file, path: ['intents', i, 'id'] }, `intent "${intent.id}" is already defined in ${previous.file.display}:${previous.file.lineOf(previous.path)}`);
          return;
        }
        seenIntents.set(intent.id, located);
        intentSources.push({ pack, intent: located });
      });
    }
  }

  const extraExamples = new Map<string, string[]>();
  for (const source of sources) {
    for (const { file, content } of source.files) {
      for (const [intentId, texts] of Object.entries(content.examples)) {
        const where = { file, path: ['examples', intentId] };
        if (!seenIntents.has(intentId)) at(where, `no intent "${intentId}" to add examples to`);
        else if (!intentId.startsWith(`${source.id}.`)) at(where, `examples in pack "${source.id}" can only be added to its own intents ("${source.id}.…")`);
        else extraExamples.set(intentId, [...(extraExamples.get(intentId) ?? []), ...texts]);
      }
    }
  }

  const intents: CompiledIntent[] = [];
  for (const { pack, intent: located } of intentSources) {
    const intent = located.value;
    const loc = (...path: PropertyKey[]) => ({ file: located.file, path: [...located.path, ...path] });
    const packId = pack.info.id;
    if (!intent.id.startsWith(`${packId}.`)) at(loc('id'), `intent ids in pack "${packId}" must start with "${packId}."`);

    const slotInfos: SlotInfo[] = [];
    intent.slots.forEach((name, i) => {
      const slot = pack.slots.get(name);
      if (!slot) at(loc('slots', i), `no slot "${name}" in pack "${packId}" (define it under "slots:")`);
      else slotInfos.push(slot);
    });
    intent.related.forEach((id, i) => {
      const target = id.split('.')[0];
      if (!seenIntents.has(id)) at(loc('related', i), `related intent "${id}" is not defined in the loaded packs`);
      else if (target !== packId && target !== CORE_PACK) at(loc('related', i), `related intent "${id}" must be in pack "${packId}" or "${CORE_PACK}"`);
    });

    const variants: CompiledVariant[] = [];
    (intent.answers ?? []).forEach((answer, i) => {
      const when = answer.when ?? {};
      for (const [fact, condition] of Object.entries(when)) {
        const slot = pack.slots.get(fact);
        const values = typeof condition === 'string' ? [condition] : Array.isArray(condition) ? condition : [];
        if (slot && slot.choices.length > 0) {
          for (const value of values) {
            if (!slot.choices.some((c) => c.value === value)) {
              at(loc('answers', i, 'when', fact), `"${value}" is not a choice of slot "${fact}" (${slot.choices.map((c) => c.value).join(', ')})`);
            }
          }
        }
      }
      const text = completeLocales(answer);
      for (const value of Object.values(text)) {
        for (const name of placeholders(value)) {
          if (!intent.slots.includes(name)) at(loc('answers', i), `placeholder {${name}} is not one of the intent's slots`);
        }
      }
      variants.push({ id: answer.id ?? (Object.keys(when).length === 0 ? 'default' : String(i)), when, text });
    });
    const ids = new Set<string>();
    variants.forEach((variant, i) => {
      if (ids.has(variant.id)) at(loc('answers', i, 'id'), `answer id "${variant.id}" is used twice`);
      ids.add(variant.id);
    });
    if (intent.answers && !variants.some((variant) => Object.keys(variant.when).length === 0)) {
      at(loc('answers'), 'expected a default answer (one without "when") for facts no variant matches');
    }

    const outcomes: Record<string, ReturnType<typeof completeLocales>> = {};
    for (const [name, template] of Object.entries(intent.outcomes ?? {})) outcomes[name] = completeLocales(template);
    if (intent.reasoner) {
      const reasoner = REASONERS.get(intent.reasoner);
      if (!reasoner) at(loc('reasoner'), `unknown reasoner "${intent.reasoner}" (known: ${[...REASONERS.keys()].join(', ')})`);
      else {
        for (const outcome of reasoner.outcomes) if (!outcomes[outcome]) at(loc('outcomes'), `missing outcome "${outcome}" for the ${reasoner.name} reasoner`);
        for (const fact of reasoner.requiredFacts) if (!intent.slots.includes(fact)) at(loc('slots'), `the ${reasoner.name} reasoner needs slot "${fact}"`);
        for (const problem of reasoner.check(pack.graph)) at(loc('reasoner'), problem);
      }
    }

    const info: IntentInfo = Object.freeze({
      id: intent.id,
      pack: packId,
      titles: completeLocales(intent.title),
      slots: Object.freeze(slotInfos),
      related: Object.freeze([...intent.related]),
      handoff: intent.handoff,
      skill: intent.skill,
      reasoner: intent.reasoner,
      priority: intent.priority,
      policy: Object.freeze({ ...intent.policy }),
    });
    intents.push({ info, examples: [...new Set([...intent.examples, ...(extraExamples.get(intent.id) ?? [])])], variants, outcomes });
  }
  return new LoadedKnowledgeBase(packs, intents);
}
