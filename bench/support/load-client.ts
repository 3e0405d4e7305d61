import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** What the Direct Line load generator is asked to do. */
export interface LoadJob {
  readonly url: string;
  readonly conversations: readonly { conversationId: string; token: string }[];
  readonly seconds: number;
  readonly body: string;
  /**
   * `connection`: each connection posts to one conversation of its own, one message at a time,
   * as a kiosk does. `request`: each request goes to the next conversation in turn, whichever
   * connection sends it (the method of earlier runs), so two connections can post to one
   * conversation at once and the second waits for the first's turn (turns of a conversation
   * run in order).
   */
  readonly conversationPer: 'connection' | 'request';
}

export interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<LoadResult>;
type Conversation = LoadJob['conversations'][number];

/** autocannon with as many connections as conversations, each request posting `body`. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const post = (conversation: Conversation) => ({
    method: 'POST',
    path: `/v3/directline/conversations/${conversation.conversationId}/activities`,
    headers: { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' },
    body: job.body,
  });
  let next = 0;
  const nextConversation = () => job.conversations[next++ % job.conversations.length]!;
  return autocannon({
    url: job.url,
    connections: job.conversations.length,
    duration: job.seconds,
    ...(job.conversationPer === 'connection'
      ? { setupClient: (client: { setRequests(requests: unknown[]): void }) => client.setRequests([post(nextConversation())]) }
      : { requests: [{ method: 'POST', setupRequest: (request: Record<string, unknown>) => ({ ...request, ...post(nextConversation()) }) }] }),
  });
}

/**
 * The same load from a process of its own, as real clients are: in the server's process the
 * load generator's own work (building, parsing and timing 50 connections' requests) waits in
 * the same event loop as the turns it measures, and its latencies include that wait.
 */
export function runLoadInOwnProcess(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the load generator exited with ${code}`));
      try {
        resolve(JSON.parse(output) as LoadResult);
      } catch (error) {
        reject(error as Error);
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}

/** Run as a child: the job on stdin, the result as JSON on stdout. */
async function serveOneJob(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const result = await runLoad(JSON.parse(input) as LoadJob);
  process.stdout.write(JSON.stringify({ requests: { average: result.requests.average }, latency: { p50: result.latency.p50, p99: result.latency.p99 }, non2xx: result.non2xx, errors: result.errors }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  serveOneJob().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
