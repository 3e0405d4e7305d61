import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter } from '../../adapters/console/console-adapter.js';
import type { Carebot } from '../app.js';

export interface ChatOptions {
  carebot: Carebot;
  input: Readable;
  output: Writable;
  /** Show a prompt and greeting decoration; off when stdin is piped. */
  interactive: boolean;
  locale?: string | undefined;
  userId?: string | undefined;
}

/**
 * The terminal chat: one conversation with the same bot core the server runs.
 * Lines are answered one after another, so piped input gets its answers in order.
 */
export async function runChat(options: ChatOptions): Promise<void> {
  const { carebot, input, output, interactive } = options;
  const write = (line: string) => output.write(`${interactive ? 'bot> ' : ''}${line}\n`);
  const adapter = carebot.bot.attachTo(new ConsoleAdapter({ write, locale: options.locale, userId: options.userId }));
  // Registered so proactive messages (an agent's reply, a queue position) reach the terminal too.
  carebot.channels.register({
    id: 'console',
    adapter,
    status: () => ({ channelId: 'console', state: 'connected', sendFailures: 0, required: false }),
  });
  const logic = (context: Parameters<Carebot['bot']['run']>[0]) => carebot.bot.run(context);

  await adapter.start(logic);
  const lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
  if (interactive) output.write('you> ');
  for await (const line of lines) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    if (text !== '') await adapter.receiveText(text, logic);
    if (interactive) output.write('you> ');
  }
  lines.close();
}
