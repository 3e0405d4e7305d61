import type { AccessTokenCache, FetchedToken } from './access-token-cache.js';

/** errcodes meaning "this access_token is no good": invalid credential, invalid token, token expired. */
const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

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

interface ApiAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  msgid?: number | string;
}

async function call(url: string, init: RequestInit): Promise<ApiAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
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
  const send = async (token: string) =>
    call(`${baseUrl}${path}?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const token = await tokens.get();
  try {
    return await send(token);
  } catch (error) {
    if (!(error instanceof WechatApiError) || !TOKEN_ERRCODES.has(error.errcode)) throw error;
    await tokens.invalidate(token);
    return send(await tokens.get());
  }
}
