import { XMLParser } from 'fast-xml-parser';

/** WeChat's callbacks are a few hundred bytes; anything far bigger is not from WeChat. */
export const MAX_WECHAT_XML_CHARS = 64 * 1024;

/** One flat `<xml>` document: WeChat's messages and events have no repeated or nested fields we read. */
export type WxFields = Readonly<Record<string, string>>;

const parser = new XMLParser({
  // Values stay strings: MsgId is a 64-bit number that a JS number would round.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  trimValues: true,
  maxNestedTags: 8,
  // Entity expansion is bounded, so a hostile DOCTYPE cannot blow up memory or time.
  processEntities: { enabled: true, maxEntityCount: 10, maxEntitySize: 256, maxExpansionDepth: 2, maxTotalExpansions: 50, maxExpandedLength: 8192 },
});

/** The string fields of a WeChat `<xml>` body; null when it is too large, malformed or not `<xml>`. */
export function parseWxXml(body: string): WxFields | null {
  if (body.length === 0 || body.length > MAX_WECHAT_XML_CHARS) return null;
  let parsed: unknown;
  try {
    parsed = parser.parse(body, true);
  } catch {
    return null;
  }
  const root = (parsed as { xml?: unknown } | undefined)?.xml;
  if (typeof root !== 'object' || root === null) return null;
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(root)) {
    if (typeof value === 'string') fields[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[key] = String(value);
  }
  return fields;
}

/** A CDATA section that holds any text, `]]>` included. */
function cdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** `<xml>` with each field as CDATA, numbers (CreateTime, TimeStamp) bare, as WeChat's samples write them. */
export function buildWxXml(fields: Readonly<Record<string, string | number>>): string {
  const inner = Object.entries(fields)
    .map(([key, value]) => `<${key}>${typeof value === 'number' ? String(value) : cdata(value)}</${key}>`)
    .join('');
  return `<xml>${inner}</xml>`;
}
