import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';

let jieba: Jieba | null = null;

function instance(): Jieba {
  if (jieba === null) {
    // The bundled dictionary; loaded on first use (about 0.3 s), then shared.
    const { dict } = createRequire(import.meta.url)('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

/** Chinese word segmentation (jieba, dictionary only: no HMM guesses for unknown words). */
export function segmentHan(run: string): string[] {
  return instance().cut(run, false);
}
