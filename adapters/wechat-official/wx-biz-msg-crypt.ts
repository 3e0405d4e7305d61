import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** WXBizMsgCrypt pads to 32-byte blocks (PKCS#7 with k = 32), not AES's 16. */
const BLOCK = 32;

/** SHA1 over the sorted, concatenated parts: WeChat's `signature` (token, timestamp, nonce) and `msg_signature` (+ Encrypt). */
export function wechatSignature(...parts: readonly string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison of a received signature with the expected one. */
export function signatureMatches(received: string | undefined, expected: string): boolean {
  if (typeof received !== 'string' || received.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(received.toLowerCase()), Buffer.from(expected));
}

/** Thrown when a payload does not decrypt to a well-formed message for our app. */
export class WxCryptError extends Error {}

/**
 * Tencent's published message encryption for Official Accounts and WeCom ("safe mode"):
 * AES-256-CBC with key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes; the
 * plaintext is 16 random bytes, the message length (4 bytes, big-endian), the message and the
 * receiver id (app id or corp id), which must be ours.
 */
export class WxBizMsgCrypt {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(
    private readonly token: string,
    encodingAesKey: string,
    private readonly receiveId: string,
  ) {
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (encodingAesKey.length !== 43 || this.key.length !== 32) throw new WxCryptError('EncodingAESKey must be 43 base64 characters');
    this.iv = this.key.subarray(0, 16);
  }

  /** True when `msgSignature` signs this encrypted payload with our token. */
  verify(msgSignature: string | undefined, timestamp: string, nonce: string, encrypted: string): boolean {
    return signatureMatches(msgSignature, wechatSignature(this.token, timestamp, nonce, encrypted));
  }

  signature(timestamp: string, nonce: string, encrypted: string): string {
    return wechatSignature(this.token, timestamp, nonce, encrypted);
  }

  decrypt(encrypted: string): string {
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    } catch (error) {
      throw new WxCryptError('payload does not decrypt', { cause: error });
    }
    const pad = plain.at(-1) ?? 0;
    if (pad < 1 || pad > BLOCK || plain.length < 20 + pad) throw new WxCryptError('bad padding');
    const content = plain.subarray(16, plain.length - pad);
    const length = content.readUInt32BE(0);
    if (4 + length > content.length) throw new WxCryptError('bad message length');
    const receiver = content.subarray(4 + length).toString('utf8');
    if (receiver !== this.receiveId) throw new WxCryptError('payload is for another app');
    return content.subarray(4, 4 + length).toString('utf8');
  }

  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    const unpadded = Buffer.concat([random, length, body, Buffer.from(this.receiveId, 'utf8')]);
    const pad = BLOCK - (unpadded.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([unpadded, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }
}
