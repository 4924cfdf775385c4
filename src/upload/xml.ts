// Reading S3's XML answers in the browser, where a Worker has no DOMParser: the few elements the uploader needs
// (UploadId, ListParts' parts, CompleteMultipartUpload's result, an Error's Code and Message), found with indexOf
// (linear in the answer), their text unescaped.

// XML's five entities and character references. Linear: no quantifier can match what the next one matches.
const ENTITY = /&(?:#x([\da-f]{1,6})|#(\d{1,7})|(amp|lt|gt|quot|apos));/gi;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text with its entities and character references replaced by what they stand for. */
export const unescapeXml = (text: string): string =>
  text.replace(ENTITY, (whole, hex?: string, decimal?: string, name?: string) => {
    if (name) return NAMED[name.toLowerCase()]!;
    const code = hex ? parseInt(hex, 16) : Number(decimal);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });

/** The unescaped text of every `<tag>…</tag>` in `xml`, in order (elements without attributes, as S3 writes them). */
export function xmlAll(xml: string, tag: string): string[] {
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  const found: string[] = [];
  for (let at = xml.indexOf(open); at >= 0;) {
    const start = at + open.length;
    const end = xml.indexOf(close, start);
    if (end < 0) break;
    found.push(xml.slice(start, end));
    at = xml.indexOf(open, end + close.length);
  }
  return found;
}

/** The unescaped text of the first `<tag>…</tag>` in `xml`, or `undefined`. */
export const xmlValue = (xml: string, tag: string): string | undefined => {
  const [first] = xmlAll(xml, tag);
  return first === undefined ? undefined : unescapeXml(first);
};

/** A part ListParts lists. */
export interface ListedPart {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
}

/** One page of ListParts: its parts, and where the next page starts when it is truncated. */
export function readListParts(xml: string): { parts: ListedPart[]; next: number | undefined } {
  const parts: ListedPart[] = [];
  for (const part of xmlAll(xml, 'Part')) {
    const partNumber = Number(xmlValue(part, 'PartNumber'));
    const etag = xmlValue(part, 'ETag');
    const size = Number(xmlValue(part, 'Size'));
    if (Number.isInteger(partNumber) && partNumber > 0 && etag && Number.isInteger(size) && size >= 0)
      parts.push({ partNumber, etag, size });
  }
  const truncated = xmlValue(xml, 'IsTruncated') === 'true';
  const next = Number(xmlValue(xml, 'NextPartNumberMarker'));
  return { parts, next: truncated && Number.isInteger(next) && next > 0 ? next : undefined };
}
