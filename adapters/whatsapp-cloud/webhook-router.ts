import express, { Router, type RequestHandler } from 'express';
import type { Logger } from '../../src/logger.js';
import { validSignature } from './signature.js';
import { readWebhook } from './to-activity.js';
import type { CloudWebhook } from './webhook-types.js';
import type { WhatsappCloudChannel } from './whatsapp-cloud-channel.js';

export interface WebhookRouterOptions {
  readonly channel: WhatsappCloudChannel;
  readonly verifyToken: string;
  readonly appSecret: string;
  readonly phoneNumberId: string;
  readonly bodyLimitBytes: number;
  readonly logger: Logger;
  /** Work started by a webhook and still running; the feature waits for it on close. */
  readonly track: (work: Promise<void>) => void;
}

/**
 * `GET /webhooks/whatsapp`: Meta's verification (hub.challenge). `POST /webhooks/whatsapp`:
 * signed events. A POST is answered 200 as soon as its signature holds and the work runs after:
 * Meta retries slow answers, and the dedupe answers a redelivery once.
 */
export function whatsappCloudWebhookRouter(options: WebhookRouterOptions): RequestHandler {
  const { channel, logger } = options;
  const router = Router();
  router.get('/webhooks/whatsapp', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && token === options.verifyToken && typeof challenge === 'string') {
      channel.webhookVerified();
      res.type('text/plain').send(challenge);
      return;
    }
    logger.warn('WhatsApp webhook verification refused: wrong mode or verify token');
    res.sendStatus(403);
  });
  // The signature is over the raw bytes: parse JSON only after checking it.
  router.post('/webhooks/whatsapp', express.raw({ type: '*/*', limit: options.bodyLimitBytes }), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validSignature(raw, req.get('x-hub-signature-256'), options.appSecret)) {
      logger.warn('WhatsApp webhook refused: missing or wrong X-Hub-Signature-256');
      res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'Invalid X-Hub-Signature-256' } });
      return;
    }
    let body: CloudWebhook;
    try {
      body = JSON.parse(raw.toString('utf8')) as CloudWebhook;
    } catch {
      res.status(400).json({ error: { code: 'REQUEST_INVALID', message: 'Malformed JSON' } });
      return;
    }
    res.sendStatus(200);
    const { messages, statuses } = readWebhook(body, options.phoneNumberId);
    for (const message of messages) {
      options.track(channel.receive(message).catch((error: unknown) => logger.error({ err: error, messageId: channel.adapter.logPseudonym('message', message.messageId) }, 'WhatsApp Cloud message could not be handled')));
    }
    for (const status of statuses) {
      options.track(channel.receiveStatus(status).catch((error: unknown) => logger.error({ err: error, wamid: channel.adapter.logPseudonym('message', status.id) }, 'WhatsApp status could not be recorded')));
    }
  });
  return router;
}
