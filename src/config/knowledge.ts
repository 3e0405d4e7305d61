import { z } from 'zod';
import { booleanFlag, defineConfigSection, optionalString, positiveInt } from './section.js';

export interface KnowledgeSettings {
  /** Folder holding one sub-folder per knowledge pack. */
  readonly dir: string;
  /** Packs this deployment loads; undefined loads every pack in `dir`. */
  readonly packs: readonly string[] | undefined;
  /** Reload content (and retrain) when a file changes. */
  readonly watch: boolean;
  /**
   * Writable folder of the learned overlay (`<dir>/<pack>/learned.yaml`), written by the
   * dashboard's review screen; unset means `.data/learned`, or no overlay under NODE_ENV=test.
   */
  readonly learnedDir: string | undefined;
  /** The identity directory: user ids/emails → employee type, department, city, language. */
  readonly directoryFile: string | undefined;
  /** Consecutive not-understood turns before the bot offers a human. */
  readonly fallbacksBeforeHandoffOffer: number;
}

export const knowledgeConfigSection = defineConfigSection(
  {
    KNOWLEDGE_DIR: z.string().min(1).default('knowledge'),
    KNOWLEDGE_PACKS: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z0-9_-]+(,\s*[a-z0-9_-]+)*$/, 'expected pack names separated by commas, e.g. bank,hr')
        .optional(),
    ),
    KNOWLEDGE_WATCH: booleanFlag.default(true),
    KNOWLEDGE_LEARNED_DIR: optionalString,
    IDENTITY_DIRECTORY_FILE: optionalString,
    FALLBACKS_BEFORE_HANDOFF_OFFER: positiveInt.default(3),
  },
  (e): KnowledgeSettings => ({
    dir: e.KNOWLEDGE_DIR,
    packs: e.KNOWLEDGE_PACKS?.split(',').map((pack) => pack.trim()),
    watch: e.KNOWLEDGE_WATCH,
    learnedDir: e.KNOWLEDGE_LEARNED_DIR,
    directoryFile: e.IDENTITY_DIRECTORY_FILE,
    fallbacksBeforeHandoffOffer: e.FALLBACKS_BEFORE_HANDOFF_OFFER,
  }),
);
