// Starts carebot with the given environment (WeChat and WhatsApp Web off unless it says otherwise)
// and prints, as JSON on the last line, every module URL the process resolved.
import { createCarebot } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';

const carebot = await createCarebot(loadConfig({ NODE_ENV: 'test', KNOWLEDGE_WATCH: 'false', ...process.env }), { logger: createLogger({ level: 'silent' }) });
await carebot.close();
const urls = await (globalThis as unknown as { resolvedModuleUrls: () => Promise<string[]> }).resolvedModuleUrls();
process.stdout.write(`${JSON.stringify(urls)}\n`);
