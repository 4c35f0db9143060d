import { StringDecoder } from 'node:string_decoder';
import { FileForgeError } from '@fileforge/core';
import { SaxesParser } from 'saxes';
import type { GuardedZip, ZipEntryInfo } from '../../archives/zip-guard.js';
import { rejectContent } from '../../reject-content.js';

/**
 * Receives the elements of an XML part. Element and attribute names arrive without their
 * namespace prefix (`w:t` → `t`, `table:name` → `name`): producers may pick other prefixes,
 * and the few names read here do not collide within their parts.
 */
export interface XmlVisitor {
  open?(name: string, attributes: Readonly<Record<string, string>>): void;
  close?(name: string): void;
  text?(text: string): void;
  /** Checked after each chunk: returning true stops reading the part. */
  done?(): boolean;
}

/**
 * The most a part may make saxes hold at once, in characters (8 Mi, 16 MB as strings).
 * saxes keeps a text node, comment, CDATA section, entity name or tag whole until its end
 * (and the open elements and a tag's attributes in arrays), so one giant `w:t` would cost
 * twice its size in memory and a part of them the whole part cap. No office producer writes
 * such a thing; a part that has one is left there (`readXmlPart` answers `false`), keeping
 * what was read before it.
 */
export const MAX_XML_BUFFERED_CHARS = 8 * 1024 * 1024;

/** Options of {@link readXmlPart}. */
export interface ReadXmlPartOptions {
  /** @default MAX_XML_BUFFERED_CHARS */
  maxBufferedChars?: number;
}

/**
 * What saxes holds between writes, in characters: its string buffers, plus its arrays (the
 * open elements, a tag's attributes) at 16 per item. Read from the parser's own fields, so
 * whatever saxes buffers in is counted; `readXmlPart`'s tests hold it to each kind.
 */
function buffered(parser: SaxesParser): number {
  let total = 0;
  for (const value of Object.values(parser)) {
    if (typeof value === 'string') total += value.length;
    else if (Array.isArray(value)) total += value.length * 16;
  }
  return total;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

function localAttributes(attributes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) out[localName(name)] = value;
  return out;
}

/**
 * Streams one XML part of a guarded zip through saxes, never holding the part whole. saxes
 * expands only the five predefined entities and character references; it neither reads
 * DTDs nor resolves external entities. FileForge goes further and refuses any part with a
 * DOCTYPE (`xml_doctype`): office formats never need one, and a DOCTYPE is how XXE and
 * entity-expansion bombs begin. Malformed XML is `corrupt_document`. Answers `false` when
 * the part was left because saxes would have held more than `maxBufferedChars` (what
 * follows is not read; the caller reports its text as truncated), `true` otherwise.
 */
export async function readXmlPart(
  zip: GuardedZip,
  entry: ZipEntryInfo,
  visitor: XmlVisitor,
  signal: AbortSignal,
  options: ReadXmlPartOptions = {},
): Promise<boolean> {
  const maxBuffered = options.maxBufferedChars ?? MAX_XML_BUFFERED_CHARS;
  const stream = await zip.openEntry(entry, signal);
  const parser = new SaxesParser({ position: true });
  let refusal: FileForgeError | undefined;
  parser.on('doctype', () => {
    refusal ??= rejectContent(
      'office',
      'xml_doctype',
      `Document rejected (xml_doctype): "${entry.name}" has a DOCTYPE`,
      { details: { part: entry.name } },
    );
  });
  parser.on('opentag', (tag) => {
    if (!refusal)
      visitor.open?.(localName(tag.name), localAttributes(tag.attributes as Record<string, string>));
  });
  parser.on('closetag', (tag) => {
    if (!refusal) visitor.close?.(localName(tag.name));
  });
  parser.on('text', (text) => {
    if (!refusal) visitor.text?.(text);
  });
  parser.on('cdata', (text) => {
    if (!refusal) visitor.text?.(text);
  });
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream) {
      parser.write(decoder.write(chunk as Buffer));
      if (refusal) throw refusal;
      if (visitor.done?.()) return true; // leaving the loop destroys the entry stream
      if (buffered(parser) > maxBuffered) return false;
    }
    parser.write(decoder.end()).close();
    if (refusal) throw refusal;
    return true;
  } catch (error) {
    if (refusal) throw refusal; // saxes may trip over the entities the DOCTYPE declared
    if (FileForgeError.is(error)) throw error;
    if (signal.aborted) throw signal.reason;
    const message = error instanceof Error ? error.message : String(error);
    throw rejectContent(
      'office',
      'corrupt_document',
      `Document rejected (corrupt_document): malformed XML in "${entry.name}": ${message}`,
      { details: { part: entry.name }, cause: error },
    );
  }
}
