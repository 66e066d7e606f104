/**
 * Whether a text is a DUIS request at all: well-formed XML with one document element, `Request` in the DUIS
 * ServiceUserGateway namespace. Read by parsing, never by pattern, so a file that only contains `<sr:Request` is not
 * one; whether it is a valid request is the gateway's schema check, when it is sent.
 */
import { NS } from './namespaces';
import { documentNodes, type XmlNode } from './xmlTree';

/** What keeps `xml` from being a DUIS request document, or undefined when it is one. */
export function notARequestDocument(xml: string): string | undefined {
  let nodes: XmlNode[];
  try {
    nodes = documentNodes(xml);
  } catch (error) {
    return `it is not well-formed XML (${clip((error as Error).message, 200)})`;
  }
  const elements = nodes.filter((node) => !('?xml' in node) && !('#comment' in node) && !('#text' in node));
  if (elements.length !== 1) return `it has ${elements.length} document elements, not one`;
  const root = elements[0]!;
  const qualified = Object.keys(root).find((key) => key !== ':@')!;
  const colon = qualified.indexOf(':');
  const prefix = colon < 0 ? undefined : qualified.slice(0, colon);
  const local = colon < 0 ? qualified : qualified.slice(colon + 1);
  // The document element is the outermost: only its own attributes can declare its namespace.
  const attributes = (root[':@'] ?? {}) as Record<string, string>;
  const namespace = attributes[prefix === undefined ? '@_xmlns' : `@_xmlns:${prefix}`];
  if (local !== 'Request' || namespace !== NS.sr) {
    const found = namespace === undefined ? 'no namespace' : `the namespace ${namespace}`;
    return `its document element is ${clip(qualified, 60)} in ${clip(found, 100)}, not Request in the DUIS namespace ${NS.sr}`;
  }
  return undefined;
}

/** Names and messages come from the file: a hostile one must not make a message of megabytes. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
