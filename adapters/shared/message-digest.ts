import { createHash } from 'node:crypto';

/**
 * A stand-in for a platform's message id where the id itself is not needed, only its identity
 * (dedupe keys, reply job ids): a WhatsApp message id holds the sender's phone number, a wamid
 * the same in base64, a WeChat event's id the sender's openid. A SHA-256, unkeyed so every
 * process sharing a Redis agrees without sharing a secret; the ids' random parts keep it from
 * being reversed by hashing every phone number. 43 characters of [A-Za-z0-9_-].
 */
export function messageIdDigest(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}
