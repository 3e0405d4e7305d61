import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { parse } from 'yaml';
import { z } from 'zod';
import { SUPPORTED_LOCALES, type Locale } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

/** One kiosk robot (or kiosk page) allowed to talk to the bot. */
export interface KioskDevice {
  readonly id: string;
  readonly secret: string;
  readonly site: string | undefined;
  readonly city: string | undefined;
  readonly language: Locale;
  /** After this many seconds without a visitor's message the page clears and starts over. */
  readonly idleTimeoutSeconds: number;
  /** The same while the visitor waits for a person (longer: a queue takes minutes). */
  readonly waitingIdleTimeoutSeconds: number;
  /** How the page listens: the browser's speech recognition, the operator's WebSocket ASR, or not at all. */
  readonly voiceInput: VoiceInput;
  /** The operator's ASR endpoint (ws: or wss:) when `voiceInput` is `websocket`. */
  readonly asrUrl: string | undefined;
  /**
   * Networks the kiosk page may be served to with a session token (GET /kiosk/session), so
   * the page never holds the device secret. Empty: the device is API-only.
   */
  readonly pageNetworks: BlockList | undefined;
}

export type VoiceInput = 'browser' | 'websocket' | 'none';

const cidr = z.string().refine((value) => parseCidr(value) !== undefined, 'expected an IP address or CIDR such as 10.1.0.0/16');

const deviceSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 letters, digits, ".", "_" or "-"'),
  secret: z.string().min(16, 'expected at least 16 characters'),
  site: z.string().min(1).optional(),
  city: z.string().min(1).optional(),
  language: z.enum(SUPPORTED_LOCALES).default('en'),
  idleTimeoutSeconds: z.number().int().min(10).max(3600).default(90),
  waitingIdleTimeoutSeconds: z.number().int().min(10).max(7200).default(600),
  // Browser speech recognition sends audio to the browser maker's cloud (blocked in mainland China,
  // not allowed by some banks): `websocket` keeps it with the operator's own ASR, `none` turns voice off.
  voiceInput: z.enum(['browser', 'websocket', 'none']).default('browser'),
  asrUrl: z.string().regex(/^wss?:\/\/[^\s]+$/, 'expected a ws:// or wss:// URL').optional(),
  pageNetworks: z.array(cidr).default([]),
}).refine((device) => device.voiceInput !== 'websocket' || device.asrUrl !== undefined, { message: 'voiceInput "websocket" needs asrUrl (ws:// or wss://)', path: ['asrUrl'] });

const fileSchema = z.object({ devices: z.array(deviceSchema).min(1, 'expected at least one device') });

/** Reads and validates the devices file; every problem is reported with its path in the file. */
export function loadKioskDevices(path: string): KioskDevice[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  KIOSK_DEVICES_FILE=${JSON.stringify(path)}: ${(error as Error).message}`, { cause: error });
  }
  return parseKioskDevices(raw, path);
}

export function parseKioskDevices(raw: unknown, source = 'devices'): KioskDevice[] {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`Invalid kiosk devices file:\n${problems.join('\n')}`);
  }
  const seen = new Set<string>();
  return parsed.data.devices.map((device) => {
    if (seen.has(device.id)) throw new ConfigError(`Invalid kiosk devices file:\n  ${source}: device "${device.id}" is listed twice`);
    seen.add(device.id);
    let pageNetworks: BlockList | undefined;
    if (device.pageNetworks.length > 0) {
      pageNetworks = new BlockList();
      for (const network of device.pageNetworks) {
        const { address, prefix, family } = parseCidr(network)!;
        pageNetworks.addSubnet(address, prefix, family);
      }
    }
    return {
      id: device.id,
      secret: device.secret,
      site: device.site,
      city: device.city,
      language: device.language,
      idleTimeoutSeconds: device.idleTimeoutSeconds,
      waitingIdleTimeoutSeconds: Math.max(device.waitingIdleTimeoutSeconds, device.idleTimeoutSeconds),
      voiceInput: device.voiceInput,
      asrUrl: device.voiceInput === 'websocket' ? device.asrUrl : undefined,
      pageNetworks,
    };
  });
}

function parseCidr(value: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText] = value.trim().split('/');
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether a request from `ip` (as Express reports it) may open the kiosk page of `device`. */
export function isPageNetwork(device: KioskDevice, ip: string | undefined): boolean {
  if (!device.pageNetworks || !ip) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const version = isIP(address);
  if (version === 0) return false;
  return device.pageNetworks.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
