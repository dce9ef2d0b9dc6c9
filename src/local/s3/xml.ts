import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { malformedXml } from './s3-error.ts';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A tiny tree that renders to XML: element name -> text, nested object, or repeated elements (array). */
export type XmlValue = string | number | boolean | XmlNode | XmlNode[] | string[] | undefined;
export interface XmlNode {
  [name: string]: XmlValue;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  // Control characters other than tab/CR/LF are not allowed in XML 1.0; S3 keys may contain them, and
  // S3 itself emits them as character references, which XML parsers in the SDKs accept.
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to escape
    /[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g,
    (c) => ESCAPES[c] ?? `&#${c.charCodeAt(0)};`,
  );
}

function renderValue(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => renderValue(name, v as XmlValue)).join('');
  if (typeof value === 'object') return `<${name}>${renderChildren(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function renderChildren(node: XmlNode): string {
  return Object.entries(node)
    .map(([name, value]) => renderValue(name, value))
    .join('');
}

/** Renders a whole response document: `<?xml ...?><Root xmlns="...">...</Root>`. */
export function renderXml(root: string, body: XmlNode, xmlns: string | null = S3_XMLNS): string {
  // null: no namespace (S3's <Error> documents have none, and botocore only recognises a bare <Error>).
  const ns = xmlns === null ? '' : ` xmlns="${xmlns}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${renderChildren(body)}</${root}>`;
}

/**
 * Parses a request body; anything not well-formed is S3's MalformedXML (400). `arrays` names the elements
 * that may repeat, so a single <Part> still comes back as a one-element array.
 */
export function parseXml(text: string, root: string, arrays: string[] = []): Record<string, unknown> {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw malformedXml();
  const doc = new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => arrays.includes(name),
  }).parse(text) as Record<string, unknown>;
  const top = doc[root];
  if (top === undefined) throw malformedXml();
  return typeof top === 'object' && top !== null ? (top as Record<string, unknown>) : {};
}
