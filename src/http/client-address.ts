import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../config/security.js';

/**
 * The client's address for requests that never pass through express (WebSocket upgrades), read
 * with the same TRUST_PROXY rules express applies to `req.ip`: behind a trusted balancer, the
 * balancer's address is not the client's.
 */
export function clientAddressOf(trust: TrustProxy): (req: IncomingMessage) => string {
  const trusts =
    typeof trust === 'boolean'
      ? () => trust
      : typeof trust === 'number'
        ? (_address: string, hop: number) => hop < trust
        : proxyaddr.compile([...trust]);
  return (req) => proxyaddr(req, trusts);
}
