import * as oidc from 'openid-client';
import type { HandoffSettings } from '../config/handoff.js';
import type { Agent, AgentDirectory } from './agent-directory.js';
import type { AgentTokens } from './agent-tokens.js';

type OidcSettings = NonNullable<HandoffSettings['oidc']>;

/** What a login started with, kept (sealed) in a cookie until the provider sends the agent back. */
interface PendingLogin {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

export const PENDING_COOKIE = 'carebot_oidc';
/** Time an agent has at the identity provider to log in. */
export const PENDING_TTL_SECONDS = 600;

export type OidcOutcome = { ok: true; agent: Agent } | { ok: false; reason: 'no-login-pending' | 'rejected' | 'unknown-identity'; detail?: string };

/**
 * Single sign-on for agents with OpenID Connect (authorization code flow with PKCE, state and
 * nonce) through openid-client. The provider's identity is mapped to an agent of the agents file
 * by `oidcSubject` or a verified `email`; the agent then gets the same bearer token as a password
 * login. The provider's metadata is fetched on the first login, so a provider that is down does
 * not stop carebot from starting (password logins keep working).
 */
export class AgentOidc {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly settings: OidcSettings,
    private readonly agents: AgentDirectory,
    private readonly tokens: AgentTokens,
  ) {}

  /** The provider's login page to send the agent to, and the sealed pending login for the cookie. */
  async start(): Promise<{ url: URL; pending: string }> {
    const config = await this.config();
    const pending: PendingLogin = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending: this.tokens.seal(pending, PENDING_TTL_SECONDS) };
  }

  /** Checks the provider's answer (`callbackUrl` as received) against the pending login and maps the identity. */
  async finish(callbackUrl: URL, sealedPending: string | undefined): Promise<OidcOutcome> {
    const pending = this.tokens.unseal(sealedPending) as PendingLogin | undefined;
    if (!pending?.state) return { ok: false, reason: 'no-login-pending' };
    // The provider calls back on the public redirect URL; behind a proxy the request's own URL differs.
    const received = new URL(this.settings.redirectUrl);
    received.search = callbackUrl.search;
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(await this.config(), received, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      return { ok: false, reason: 'rejected', detail: (error as Error).message };
    }
    if (!claims) return { ok: false, reason: 'rejected', detail: 'no ID token' };
    const agent = this.agents.byIdentity({
      subject: claims.sub,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      emailVerified: claims.email_verified === true,
    });
    return agent ? { ok: true, agent } : { ok: false, reason: 'unknown-identity' };
  }

  private config(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, {
        // Plain http only for a provider on this machine (development, tests); never across a network.
        execute: isLoopback(this.settings.issuer) ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }
}

function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}
