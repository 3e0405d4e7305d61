import express, { type RequestHandler } from 'express';
import type { Logger } from '../../src/logger.js';
import type { CallbackAnswer, WxCallbackChannel } from './wx-callback-channel.js';
import { MAX_WECHAT_XML_CHARS } from './wx-xml.js';

/** GET (URL verification) and POST (callbacks) at `path`; bodies are read as text, at most 64 KB. */
export function createWxCallbackRouter(path: string, channel: WxCallbackChannel, logger: Logger): RequestHandler {
  const router = express.Router();
  const send = (res: express.Response, answer: CallbackAnswer) => {
    if (answer.status === 401) logger.warn({ channelId: channel.id }, 'callback rejected: bad signature or stale timestamp');
    res.status(answer.status).type(answer.xml ? 'application/xml' : 'text/plain').send(answer.body);
  };
  router.get(path, (req, res) => send(res, channel.verifyUrl(req.query)));
  router.post(path, express.text({ type: () => true, limit: MAX_WECHAT_XML_CHARS * 4 }), async (req, res, next) => {
    try {
      send(res, await channel.receive(req.query, typeof req.body === 'string' ? req.body : ''));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
