// Module resolution hooks (node:module register): tell the main thread every URL resolved.
let port;

export async function initialize(data) {
  port = data.port;
  // Answers a ping after every URL posted before it: the main thread knows it has them all.
  port.on('message', (message) => {
    if (message === 'ping') port.postMessage('pong');
  });
  port.unref();
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  port?.postMessage(result.url);
  return result;
}
