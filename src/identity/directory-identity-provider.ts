import { readFile } from 'node:fs/promises';
import type { TurnContext } from 'botbuilder';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../config.js';
import { ContentError } from '../errors.js';
import { channelUserOf, type ChannelUser, type IdentityProvider, type UserIdentity } from './identity-provider.js';

const entrySchema = z
  .object({
    ids: z.array(z.string().min(1)).default([]),
    email: z.string().min(3).optional(),
    aadObjectId: z.string().optional(),
    employeeType: z.string().optional(),
    department: z.string().optional(),
    city: z.string().optional(),
    site: z.string().optional(),
    segment: z.string().optional(),
    language: z.enum(SUPPORTED_LOCALES).optional(),
    name: z.string().optional(),
  })
  .strict();

const directorySchema = z.object({ users: z.array(entrySchema).default([]) }).strict();

type DirectoryEntry = z.output<typeof entrySchema>;

/** Country calling codes whose users get a default answer language. */
const PHONE_LANGUAGES: readonly (readonly [string, UserIdentity['language']])[] = [
  ['852', 'zh-HK'],
  ['853', 'zh-HK'],
  ['86', 'zh-CN'],
  ['886', 'zh-TW'],
];

/**
 * Identity from a directory file (user ids, emails and AAD ids → employee type, department,
 * city, site, segment, language), completed by what the channel itself tells: a kiosk's
 * site and city, a WhatsApp number's country code.
 */
export class DirectoryIdentityProvider implements IdentityProvider {
  private readonly byKey: ReadonlyMap<string, DirectoryEntry>;

  constructor(entries: readonly DirectoryEntry[]) {
    const byKey = new Map<string, DirectoryEntry>();
    for (const entry of entries) {
      for (const id of entry.ids) byKey.set(id.toLowerCase(), entry);
      if (entry.email) byKey.set(entry.email.toLowerCase(), entry);
      if (entry.aadObjectId) byKey.set(entry.aadObjectId.toLowerCase(), entry);
    }
    this.byKey = byKey;
  }

  static empty(): DirectoryIdentityProvider {
    return new DirectoryIdentityProvider([]);
  }

  static async fromFile(path: string): Promise<DirectoryIdentityProvider> {
    const source = await readFile(path, 'utf8');
    const document = parseDocument(source);
    if (document.errors.length > 0) {
      const first = document.errors[0]!;
      throw new ContentError(`${path}:${first.linePos?.[0]?.line ?? 1}: ${first.message}`);
    }
    const parsed = directorySchema.safeParse(document.toJS());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ContentError(`${path}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return new DirectoryIdentityProvider(parsed.data.users);
  }

  async identify(context: TurnContext): Promise<UserIdentity> {
    return this.identifyUser(channelUserOf(context));
  }

  identifyUser(user: ChannelUser): UserIdentity {
    // The user's own entry first; else their platform department's (`wecom-department:<id>`), which says where that department works.
    const keys = [user.aadObjectId, user.email, user.userId, `${user.channelId}:${user.userId}`, user.phone, user.department && `${user.channelId}-department:${user.department}`];
    const entry = keys.map((key) => (key ? this.byKey.get(key.toLowerCase()) : undefined)).find(Boolean);
    const fromChannel: UserIdentity = {
      ...(user.city ? { city: user.city } : {}),
      ...(user.site ? { site: user.site } : {}),
      ...(phoneLanguage(user) ? { language: phoneLanguage(user) } : {}),
    };
    if (!entry) return fromChannel;
    const fromDirectory: UserIdentity = Object.fromEntries(
      Object.entries({
        employeeType: entry.employeeType,
        department: entry.department,
        city: entry.city,
        site: entry.site,
        segment: entry.segment,
        language: entry.language,
        displayName: entry.name,
      }).filter(([, value]) => value !== undefined),
    );
    // The channel's own location (a kiosk's site) is more current than the directory's.
    return { ...fromDirectory, ...fromChannel, ...(entry.language ? { language: entry.language } : {}) };
  }
}

function phoneLanguage(user: ChannelUser): UserIdentity['language'] {
  const digits = (user.phone ?? (user.channelId === 'whatsapp' ? user.userId : '')).replace(/[^\d]/g, '');
  if (!digits) return undefined;
  return PHONE_LANGUAGES.find(([code]) => digits.startsWith(code))?.[1] ?? 'en';
}
