import { CredentialError } from './errors';

/**
 * A small DER walker: just enough to read the parts of an X.509 certificate that node:crypto's X509Certificate does
 * not expose faithfully (its `subject` string mangles the binary x500UniqueIdentifier, and it has no structured
 * validity dates on Node 20). It never trusts a length: every element must fit inside its parent.
 */
export interface DerElement {
  /** The identifier octet (single-byte tags only, as in every X.509 field read here). */
  readonly tag: number;
  /** Offset of the content's first byte. */
  readonly start: number;
  /** Offset just past the content. */
  readonly end: number;
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
  explicit0: 0xa0,
  explicit3: 0xa3,
} as const;

/** Reads the element that starts at `offset` and must end by `limit`. */
export function readElement(bytes: Uint8Array, offset: number, limit: number): DerElement {
  if (offset + 2 > limit) throw new CredentialError(`DER: element header at offset ${offset} runs past its container`);
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new CredentialError(`DER: multi-byte tag at offset ${offset} is not supported`);
  const first = bytes[offset + 1];
  let length: number;
  let start: number;
  if (first < 0x80) {
    length = first;
    start = offset + 2;
  } else {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length, never valid DER; more than 3 length bytes would mean a >16 MB certificate.
    if (count === 0 || count > 3) {
      throw new CredentialError(`DER: unsupported length form 0x${first.toString(16)} at offset ${offset}`);
    }
    if (offset + 2 + count > limit)
      throw new CredentialError(`DER: length bytes at offset ${offset} run past their container`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i];
    start = offset + 2 + count;
  }
  const end = start + length;
  if (end > limit)
    throw new CredentialError(`DER: element at offset ${offset} claims ${length} bytes, past its container`);
  return { tag, start, end };
}

/** The elements directly inside a constructed element, in order; they must fill it exactly. */
export function readChildren(bytes: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  let offset = parent.start;
  while (offset < parent.end) {
    const child = readElement(bytes, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element === undefined) throw new CredentialError(`DER: ${what} is missing`);
  if (element.tag !== tag) {
    throw new CredentialError(`DER: ${what} has tag 0x${element.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  }
  return element;
}

export function contentOf(bytes: Uint8Array, element: DerElement): Uint8Array {
  return bytes.subarray(element.start, element.end);
}

/** A directory-string attribute value as text (the string types X.509 names use in practice). */
export function readDirectoryString(bytes: Uint8Array, element: DerElement, what: string): string {
  const content = Buffer.from(contentOf(bytes, element));
  switch (element.tag) {
    case TAG.utf8String:
      return content.toString('utf8');
    case TAG.printableString:
    case TAG.ia5String:
    case TAG.teletexString:
      return content.toString('latin1');
    default:
      throw new CredentialError(
        `DER: ${what} has string tag 0x${element.tag.toString(16)}, not a supported string type`,
      );
  }
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** An X.509 Time (UTCTime or GeneralizedTime, DER form: seconds present, UTC 'Z') as ms since the epoch. */
export function readTime(bytes: Uint8Array, element: DerElement, what: string): number {
  const text = Buffer.from(contentOf(bytes, element)).toString('latin1');
  let match: RegExpExecArray | null;
  let year: number;
  if (element.tag === TAG.utcTime && (match = UTC_TIME.exec(text))) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 4.1.2.5.1
  } else if (element.tag === TAG.generalizedTime && (match = GENERALIZED_TIME.exec(text))) {
    year = Number(match[1]);
  } else {
    throw new CredentialError(`DER: ${what} ${JSON.stringify(text)} is not a DER UTCTime or GeneralizedTime`);
  }
  const [month, day, hour, minute, second] = match.slice(2).map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new CredentialError(`DER: ${what} ${JSON.stringify(text)} is not a real date and time`);
  }
  return ms;
}
