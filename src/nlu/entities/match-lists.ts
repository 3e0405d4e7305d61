import type { Entity, EntityType } from '../types.js';
import type { GazetteerEntry } from './gazetteer.js';

interface PreparedName {
  name: string;
  entry: GazetteerEntry;
}

// Unified, longest-first names per entry list and unify function, computed once.
const PREPARED = new WeakMap<readonly GazetteerEntry[], WeakMap<(s: string) => string, PreparedName[]>>();

function preparedNames(entries: readonly GazetteerEntry[], unify: (s: string) => string): PreparedName[] {
  let byUnify = PREPARED.get(entries);
  if (!byUnify) {
    byUnify = new WeakMap();
    PREPARED.set(entries, byUnify);
  }
  let names = byUnify.get(unify);
  if (!names) {
    names = [];
    for (const entry of entries) {
      for (const n of entry.names) {
        const name = unify(n.toLowerCase());
        if (name.length > 0) names.push({ name, entry });
      }
    }
    names.sort((a, b) => b.name.length - a.name.length);
    byUnify.set(unify, names);
  }
  return names;
}

/**
 * Finds gazetteer names in a text. Matching is case-insensitive, whole-word for Latin
 * names, longest match first, non-overlapping; `view` must have the same length as the
 * original text (a case-folded, script-unified copy) so offsets map back one to one.
 */
export function matchGazetteer(
  original: string,
  view: string,
  entries: readonly GazetteerEntry[],
  type: EntityType,
  unify: (s: string) => string,
): Entity[] {
  const names = preparedNames(entries, unify);
  const taken = new Uint8Array(view.length);
  const found: Entity[] = [];
  for (const { name, entry } of names) {
    let from = 0;
    for (;;) {
      const at = view.indexOf(name, from);
      if (at < 0) break;
      from = at + 1;
      const end = at + name.length;
      if (/[a-z0-9]/.test(name)) {
        const before = view[at - 1];
        const after = view[end];
        if ((before && /[\p{L}\p{N}]/u.test(before) && !/\p{Script=Han}/u.test(before)) ||
            (after && /[\p{L}\p{N}]/u.test(after) && !/\p{Script=Han}/u.test(after))) continue;
      }
      let free = true;
      for (let i = at; i < end; i++) if (taken[i]) free = false;
      if (!free) continue;
      taken.fill(1, at, end);
      found.push({ type, text: original.slice(at, end), start: at, end, value: entry.id, subtype: entry.subtype });
    }
  }
  return found;
}
