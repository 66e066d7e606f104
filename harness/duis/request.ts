/**
 * `sr:Request` in, a typed request out. Parsing is fast-xml-parser directly (the DCC's duis-parser wraps the same
 * library, lowercases EUIs and drops nothing we need, but gives no typed bodies): names without prefixes, all text
 * kept as strings. Call after schema validation: the shape is then known and only values are interpreted here.
 */
import { XMLParser } from 'fast-xml-parser';
import { DuisInputError } from './errors';
import { asTree, optText, readBody, text, type RequestBody } from './requestBodies';
import { formatRequestId, parseRequestId, type RequestId } from './requestId';
import { supportedService } from './serviceCatalogue';

export interface DuisRequest {
  readonly schemaVersion: string;
  readonly requestId: RequestId;
  /** The RequestID text as sent (echoed in responses, upper-cased EUIs). */
  readonly requestIdText: string;
  readonly commandVariant: number;
  readonly serviceReference: string;
  readonly serviceReferenceVariant: string;
  /** The Body's element name, e.g. `UpdateHANDeviceLog`. */
  readonly bodyElement: string;
  /** Typed body when the SRV is one this gateway carries; `null` for the other SRVs the schema knows. */
  readonly body: RequestBody | null;
  readonly signed: boolean;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  commentPropName: false,
});

/** Header only: enough to address an error response even when the body cannot be read. */
export interface RequestHeader {
  readonly requestIdText?: string;
  readonly serviceReference?: string;
  readonly serviceReferenceVariant?: string;
}

export function parseDuisRequest(xml: string): DuisRequest {
  const root = parseTree(xml);
  const request = asTree(root.Request);
  if (root.Request === undefined) throw new DuisInputError('the document element is not sr:Request', '/');
  const header = asTree(request.Header);
  const where = '/Request/Header';
  const requestId = parseRequestId(text(header, 'RequestID', where), `${where}/RequestID`);
  const serviceReferenceVariant = text(header, 'ServiceReferenceVariant', where);
  const body = asTree(request.Body);
  const elements = Object.keys(body).filter((k) => !k.startsWith('@') && k !== '#text');
  if (elements.length !== 1) throw new DuisInputError(`Body must hold exactly one element, found ${elements.length}`, '/Request/Body');
  const bodyElement = elements[0];
  const service = supportedService(serviceReferenceVariant);
  if (service !== undefined && service.requestElement !== bodyElement && bodyElement !== 'SignedPreCommand') {
    throw new DuisInputError(`ServiceReferenceVariant ${serviceReferenceVariant} needs a ${service.requestElement} body, not ${bodyElement}`, '/Request/Body');
  }
  return {
    schemaVersion: String(request['@schemaVersion'] ?? ''),
    requestId,
    requestIdText: formatRequestId(requestId),
    commandVariant: Number(text(header, 'CommandVariant', where)),
    serviceReference: text(header, 'ServiceReference', where),
    serviceReferenceVariant,
    bodyElement,
    body: service === undefined ? null : readBody(bodyElement, body[bodyElement], `/Request/Body/${bodyElement}`),
    signed: request.Signature !== undefined,
  };
}

/** The local name of the document element (`Request` for a request), or undefined when it cannot be read. */
export function documentElementName(xml: string): string | undefined {
  try {
    return Object.keys(parseTree(xml)).find((k) => !k.startsWith('?') && !k.startsWith('#') && !k.startsWith('@'));
  } catch {
    return undefined;
  }
}

/** Best-effort header read of a document that failed a later check; never throws. */
export function readRequestHeader(xml: string): RequestHeader {
  try {
    const header = asTree(asTree(parseTree(xml).Request).Header);
    const pick = (key: string): { [k: string]: string } => {
      const value = optText(header, key);
      return value === undefined ? {} : { [key]: value };
    };
    const id = pick('RequestID').RequestID;
    const sr = pick('ServiceReference').ServiceReference;
    const srv = pick('ServiceReferenceVariant').ServiceReferenceVariant;
    return {
      ...(id === undefined ? {} : { requestIdText: id.trim() }),
      ...(sr === undefined ? {} : { serviceReference: sr }),
      ...(srv === undefined ? {} : { serviceReferenceVariant: srv }),
    };
  } catch {
    return {};
  }
}

function parseTree(xml: string): Record<string, unknown> {
  try {
    return parser.parse(xml, true) as Record<string, unknown>;
  } catch (error) {
    throw new DuisInputError(`not well-formed XML: ${error instanceof Error ? error.message : String(error)}`, '/');
  }
}
