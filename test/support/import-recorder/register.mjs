// `node --import tsx --import ./register.mjs script.ts`: records every module URL the ESM loader resolves.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const urls = [];
let waiting;
port1.on('message', (message) => {
  if (message === 'pong') waiting?.();
  else urls.push(message);
});
port1.unref();
register('./hooks.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });

/** Every URL resolved so far (after the hooks thread has posted them all). */
globalThis.resolvedModuleUrls = async () => {
  await new Promise((resolve) => {
    waiting = resolve;
    port1.ref();
    port1.postMessage('ping');
  });
  port1.unref();
  return urls;
};
