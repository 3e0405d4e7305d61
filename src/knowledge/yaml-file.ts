import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { ContentProblem } from './content-error.js';

export type YamlPath = readonly PropertyKey[];

/** A parsed YAML content file that can tell the line of any path inside it. */
export interface YamlFile {
  readonly path: string;
  readonly display: string;
  readonly data: unknown;
  /** The 1-based line of the deepest existing node on `path`. */
  lineOf(path: YamlPath): number;
}

/** Parses one YAML file; syntax errors come back as problems with their line. */
export function parseYamlFile(path: string, display: string, source: string): { file?: YamlFile; problems: ContentProblem[] } {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: ContentProblem[] = doc.errors.map((error) => ({
    file: display,
    line: error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line,
    reason: `YAML syntax: ${error.message.split('\n')[0]}`,
  }));
  if (problems.length > 0) return { problems };
  const lineOf = (target: YamlPath): number => {
    for (let depth = target.length; depth >= 0; depth--) {
      const keys = target.slice(0, depth).map((k) => (typeof k === 'symbol' ? String(k.description) : k));
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(keys, true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      // A missing key: point at the key of the parent pair when there is one.
    }
    return 1;
  };
  return { file: { path, display, data: doc.toJS({ maxAliasCount: 100 }) as unknown, lineOf }, problems: [] };
}
