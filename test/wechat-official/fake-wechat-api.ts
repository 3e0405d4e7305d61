import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
}

/**
 * A local stand-in for api.weixin.qq.com / qyapi.weixin.qq.com on 127.0.0.1: token endpoints
 * hand out numbered tokens (slowly, if asked, so concurrent refreshes overlap), send endpoints
 * record what they got and can reject a token once with 40001.
 */
export class FakeWechatApi {
  readonly calls: RecordedCall[] = [];
  tokenDelayMs = 0;
  /** Tokens the send endpoints answer 40001 for. */
  readonly rejectedTokens = new Set<string>();
  /** errcodes the next sends answer, one each, in order (-1 busy, 45015 out of the 48-hour window...). */
  readonly sendErrors: number[] = [];
  /** WeCom `user/get`: userid → departments; anyone else gets 60111 (no such user). */
  readonly wecomUsers = new Map<string, { department: number[]; main_department?: number }>();
  private issued = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const query = Object.fromEntries(url.searchParams);
        this.calls.push({ path: url.pathname, query, body: raw ? (JSON.parse(raw) as unknown) : undefined });
        const answer = (body: unknown) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (url.pathname === '/cgi-bin/token' || url.pathname === '/cgi-bin/gettoken') {
          this.issued += 1;
          const token = `token-${this.issued}`;
          setTimeout(() => answer({ errcode: 0, access_token: token, expires_in: 7200 }), this.tokenDelayMs);
          return;
        }
        if (this.rejectedTokens.has(query.access_token ?? '')) return answer({ errcode: 40001, errmsg: 'invalid credential' });
        if (url.pathname === '/cgi-bin/user/get') {
          const user = this.wecomUsers.get(query.userid ?? '');
          return answer(user ? { errcode: 0, errmsg: 'ok', userid: query.userid, ...user } : { errcode: 60111, errmsg: 'userid not found' });
        }
        const failure = this.sendErrors.shift();
        if (failure !== undefined) return answer({ errcode: failure, errmsg: `simulated error ${failure}` });
        answer({ errcode: 0, errmsg: 'ok' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  tokenCalls(): RecordedCall[] {
    return this.calls.filter((call) => call.path === '/cgi-bin/token' || call.path === '/cgi-bin/gettoken');
  }

  userGetCalls(): RecordedCall[] {
    return this.calls.filter((call) => call.path === '/cgi-bin/user/get');
  }

  /** Texts sent to `user` through the message APIs (refused tries included). */
  sentTo(user: string): string[] {
    return this.calls
      .filter((call) => call.path.startsWith('/cgi-bin/message/'))
      .map((call) => call.body as { touser?: string; text?: { content?: string } })
      .filter((body) => body.touser === user)
      .map((body) => body.text?.content ?? '');
  }
}
