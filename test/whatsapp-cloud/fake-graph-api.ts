import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';

export interface GraphCall {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: {
    readonly to: string;
    readonly type: string;
    readonly text?: { body: string };
    readonly interactive?: { type: string; body: { text: string }; action: Record<string, unknown> };
    readonly template?: { name: string; language: { code: string }; components: { parameters: { text: string }[] }[] };
    readonly [key: string]: unknown;
  };
  /** The wamid the fake answered with. */
  readonly wamid: string;
}

/** A local Graph API: records every `POST /{phone-number-id}/messages` and answers with a fresh wamid (127.0.0.1 only). */
export interface FakeGraphApi {
  readonly url: string;
  readonly calls: GraphCall[];
  /** Answers the next call with this Graph error instead. */
  failNext(status: number, code: number, message: string): void;
  close(): Promise<void>;
}

export async function startFakeGraphApi(): Promise<FakeGraphApi> {
  const calls: GraphCall[] = [];
  const failures: { status: number; code: number; message: string }[] = [];
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const failure = failures.shift();
      res.setHeader('content-type', 'application/json');
      if (failure) {
        res.statusCode = failure.status;
        res.end(JSON.stringify({ error: { message: failure.message, type: 'OAuthException', code: failure.code, error_data: { messaging_product: 'whatsapp', details: failure.message }, fbtrace_id: 'trace' } }));
        return;
      }
      count += 1;
      const wamid = `wamid.fake-${count}`;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphCall['body'];
      calls.push({ path: req.url ?? '', authorization: req.headers.authorization, body, wamid });
      res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: wamid }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    calls,
    failNext: (status, code, message) => failures.push({ status, code, message }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The text a call shows the customer: a text body, an interactive body or a template variable. */
export function shownText(call: GraphCall): string {
  return call.body.text?.body ?? call.body.interactive?.body.text ?? call.body.template?.components[0]?.parameters[0]?.text ?? '';
}
