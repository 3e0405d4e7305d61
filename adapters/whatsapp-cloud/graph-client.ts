import type { CloudSendable } from './message-types.js';

/**
 * Graph API error codes a later try can succeed with: throughput (130429), pair rate (131056),
 * account/app rate limits (4, 80007, 131048), and temporary platform faults (1, 2, 131000,
 * 131016, 133004). Anything else (131047 outside the 24-hour window, 131026 undeliverable, 100
 * bad parameter, 190 expired token...) is final.
 */
const RETRYABLE_CODES = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

/** A refusal by the Cloud API (or no answer at all), with the platform's code when it gave one. */
export class CloudApiError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'CloudApiError';
  }
}

export function isRetryableCloudError(error: unknown): boolean {
  return !(error instanceof CloudApiError) || error.retryable;
}

export interface GraphClientOptions {
  readonly apiBaseUrl: string;
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly fetch?: typeof fetch;
  /** Longest wait for one API call. */
  readonly timeoutMs?: number;
}

/** `POST /{phone-number-id}/messages`, typed for the messages carebot sends. */
export class GraphClient {
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: GraphClientOptions) {
    this.doFetch = options.fetch ?? fetch;
  }

  /** Resolves with the message's wamid; throws CloudApiError when the platform refuses it. */
  async sendMessage(to: string, message: CloudSendable): Promise<string> {
    const { apiBaseUrl, accessToken, phoneNumberId } = this.options;
    let response: Response;
    try {
      response = await this.doFetch(`${apiBaseUrl}/${encodeURIComponent(phoneNumberId)}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new CloudApiError(`Graph API not reachable: ${(error as Error).message}`, undefined, true);
    }
    const body = (await response.json().catch(() => ({}))) as {
      messages?: { id?: string }[];
      error?: { code?: number; message?: string; error_data?: { details?: string } };
    };
    if (!response.ok || body.error) {
      const code = body.error?.code;
      const detail = body.error?.error_data?.details ?? body.error?.message ?? `HTTP ${response.status}`;
      const retryable = code !== undefined ? RETRYABLE_CODES.has(code) : response.status >= 500 || response.status === 429;
      throw new CloudApiError(`Graph API error${code !== undefined ? ` ${code}` : ''}: ${detail}`, code, retryable);
    }
    const id = body.messages?.[0]?.id;
    if (!id) throw new CloudApiError('Graph API answered without a message id', undefined, true);
    return id;
  }
}
