/**
 * Whether a text is a DUIS request at all: screened and parsed as the gateway does (xmlDocument.ts: no DOCTYPE, no
 * processing instruction, one strict parse), with one document element, `Request` in the DUIS ServiceUserGateway
 * namespace. Read by parsing, never by pattern, so a file that only contains `<sr:Request` is not one; whether it is
 * a valid request is the gateway's schema check, when it is sent.
 */
import type { Element } from './dom/nodes';
import { DuisInputError } from './errors';
import { NS } from './namespaces';
import { parseXmlDocument } from './xmlDocument';

/** What keeps `xml` from being a DUIS request document, or undefined when it is one. */
export function notARequestDocument(xml: string): string | undefined {
  let root: Element;
  try {
    root = parseXmlDocument(xml).document.documentElement!;
  } catch (error) {
    return clip(error instanceof DuisInputError ? error.detail : String(error), 200);
  }
  if (root.localName !== 'Request' || root.namespaceURI !== NS.sr) {
    const found = root.namespaceURI == null ? 'no namespace' : `the namespace ${root.namespaceURI}`;
    return `its document element is ${clip(root.nodeName, 60)} in ${clip(found, 100)}, not Request in the DUIS namespace ${NS.sr}`;
  }
  return undefined;
}

/** Names and messages come from the file: a hostile one must not make a message of megabytes. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
