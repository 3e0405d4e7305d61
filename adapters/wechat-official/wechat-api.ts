import type { AccessTokenCache, FetchedToken } from './access-token-cache.js';

/** errcodes meaning "this access_token is no good": invalid credential, invalid token, token expired. */
const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/**
 * errcodes a later try can fix: system busy (-1), the per-minute call limit (45011) and a token
 * that went bad again after the one refresh postWithToken makes. Anything else fails the same way
 * every time, so it is reported at once: 45009 is the account's DAILY quota of the API (retries
 * within minutes only spend more of tomorrow's), 45015 the user has not written within 48 h,
 * 45047 too many messages without a reply, 40003 an unknown user.
 */
const RETRYABLE_ERRCODES: ReadonlySet<number> = new Set([-1, 45011, ...TOKEN_ERRCODES]);

const REQUEST_TIMEOUT_MS = 10_000;

/** An API answer with a non-zero errcode. */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`WeChat API error ${errcode}: ${errmsg}`);
  }
}

/** For the shared retry policy: platform errcodes per RETRYABLE_ERRCODES; network failures, timeouts and HTTP errors are retried. */
export function isRetryableWechatError(error: unknown): boolean {
  return !(error instanceof WechatApiError) || RETRYABLE_ERRCODES.has(error.errcode);
}

export interface ApiAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  msgid?: number | string;
  /** WeCom user/get: the departments the user belongs to, and the main one. */
  department?: number[];
  main_department?: number;
}

async function call(url: string, init: RequestInit, timeoutMs = REQUEST_TIMEOUT_MS): Promise<ApiAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`WeChat API answered HTTP ${response.status}`);
  const answer = (await response.json()) as ApiAnswer;
  if (answer.errcode) throw new WechatApiError(answer.errcode, answer.errmsg ?? '');
  return answer;
}

/** GET a token endpoint (`/cgi-bin/token` or WeCom's `/cgi-bin/gettoken`) and read `access_token` + `expires_in`. */
export async function fetchAccessToken(url: string): Promise<FetchedToken> {
  const answer = await call(url, { method: 'GET' });
  if (!answer.access_token) throw new Error('token endpoint answered without access_token');
  return { token: answer.access_token, expiresInSeconds: answer.expires_in ?? 7200 };
}

/**
 * POSTs JSON to `<path>?access_token=...`. A rejected token (expired early, or refreshed
 * elsewhere) is dropped from the cache and the call retried once with a fresh one.
 */
export async function postWithToken(baseUrl: string, path: string, body: unknown, tokens: AccessTokenCache): Promise<ApiAnswer> {
  return withToken(tokens, (token) =>
    call(`${baseUrl}${path}?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

/** GETs `<path>?access_token=...&<query>` (WeCom's user/get), with postWithToken's token handling. */
export async function getWithToken(baseUrl: string, path: string, query: Readonly<Record<string, string>>, tokens: AccessTokenCache, timeoutMs = REQUEST_TIMEOUT_MS): Promise<ApiAnswer> {
  return withToken(tokens, (token) =>
    call(`${baseUrl}${path}?${new URLSearchParams({ access_token: token, ...query }).toString()}`, { method: 'GET' }, timeoutMs),
  );
}

async function withToken(tokens: AccessTokenCache, send: (token: string) => Promise<ApiAnswer>): Promise<ApiAnswer> {
  const token = await tokens.get();
  try {
    return await send(token);
  } catch (error) {
    if (!(error instanceof WechatApiError) || !TOKEN_ERRCODES.has(error.errcode)) throw error;
    await tokens.invalidate(token);
    return send(await tokens.get());
  }
}
