import { createHash } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import QRCode from 'qrcode';
import { loginGuardOf, type CarebotFeature, type FeatureDeps } from '../feature.js';
import { requireAdmin } from '../http/admin-auth.js';
import type { LoginGuard } from '../http/login-guard.js';
import type { ReadinessCheck } from '../http/readiness.js';
import { setContentSecurityPolicy } from '../http/security-headers.js';
import type { ChannelRegistry, ChannelStatus } from './channel-registry.js';

/**
 * `/admin/channels`: every channel of this process with its state, account, last message,
 * send failures and pending login QR code (WeChat, WhatsApp pairing); and a `/readyz` check per
 * channel that fails while a channel whose status says `required` is not connected.
 */
export async function createAdminChannelsFeature(deps: FeatureDeps): Promise<CarebotFeature> {
  const { channels } = deps;
  return {
    name: 'admin-channels',
    routers: [adminChannelsRouter(channels, deps.config.adminToken, loginGuardOf(deps))],
    // Read by the composition root after every feature registered its channels.
    get readinessChecks(): readonly ReadinessCheck[] {
      return channelReadinessChecks(channels);
    },
  };
}

export function channelReadinessChecks(channels: ChannelRegistry): ReadinessCheck[] {
  return channels.list().map((channel) => ({
    name: `channel:${channel.id}`,
    check: async () => {
      const status = channel.status();
      if (status.required && status.state !== 'connected') {
        throw new Error(`${status.state}${status.detail ? `: ${status.detail}` : ''} (sendFailures ${status.sendFailures})`);
      }
    },
  }));
}

export function adminChannelsRouter(channels: ChannelRegistry, adminToken: string | undefined, loginGuard: LoginGuard): RequestHandler {
  const router = Router();
  const guard = requireAdmin(adminToken, loginGuard);
  router.get('/admin/channels.json', guard, (_req, res) => {
    res.json({ channels: channels.statuses() });
  });
  router.get('/admin/channels', guard, async (_req, res) => {
    const statuses = channels.statuses();
    const rows = await Promise.all(statuses.map(renderRow));
    const pending = statuses.some((status) => status.qrCode);
    setContentSecurityPolicy(res, { 'style-src': [STYLE_SOURCE] });
    res.type('html').send(page(rows.join('\n'), pending));
  });
  return router;
}

async function renderRow(status: ChannelStatus): Promise<string> {
  const qr = status.qrCode
    ? `<img alt="login QR code for ${escape(status.channelId)}" width="264" height="264" src="${await QRCode.toDataURL(status.qrCode, { margin: 1, width: 264 })}">`
    : '';
  return `<tr class="${escape(status.state)}">
  <td>${escape(status.channelId)}</td>
  <td>${escape(status.state)}${status.required ? '' : ' <small>(not required for readiness)</small>'}</td>
  <td>${escape(status.loggedInAs ?? '')}</td>
  <td>${status.lastMessageAt ? `<time datetime="${escape(status.lastMessageAt)}">${escape(status.lastMessageAt)}</time>` : ''}</td>
  <td>${status.sendFailures}</td>
  <td>${escape(status.detail ?? '')}${qr ? `<br>${qr}` : ''}</td>
</tr>`;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: .5rem .75rem; text-align: left; vertical-align: top; }
tr.connected td:nth-child(2) { color: #137333; }
tr.down td:nth-child(2), tr.logged-out td:nth-child(2) { color: #b3261e; }
`;
/** The page's one inline style, allowed by its hash (CSP has no 'unsafe-inline' here). */
const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

function page(rows: string, refresh: boolean): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>carebot channels</title>
${refresh ? '<meta http-equiv="refresh" content="5">' : ''}
<style>${STYLE}</style>
</head>
<body>
<h1>Channels</h1>
<p>Scan a pending QR code with the account's phone (WeChat: scan; WhatsApp: Linked devices → Link a device). This page refreshes while a code is pending.</p>
<table>
<thead><tr><th>channel</th><th>state</th><th>logged in as</th><th>last message</th><th>send failures</th><th>detail</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/gu, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}
