/**
 * `sr:Request` in, a typed request out, read from the one parsed tree of xmlDocument.ts (the tree the signature
 * check also verifies): names without prefixes, all text kept as strings. Call after schema validation: the shape
 * is then known and only values are interpreted here.
 */
import type { Element } from './dom/nodes';
import { DuisInputError } from './errors';
import { NS } from './namespaces';
import { asTree, optText, readBody, text, type RequestBody, type XmlTree } from './requestBodies';
import { formatRequestId, parseRequestId, type RequestId } from './requestId';
import { supportedService } from './serviceCatalogue';
import { elementTree, parseXmlDocument, type XmlDocument } from './xmlDocument';

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

/** Header only: enough to address an error response even when the body cannot be read. */
export interface RequestHeader {
  readonly requestIdText?: string;
  readonly serviceReference?: string;
  readonly serviceReferenceVariant?: string;
}

/** A parsed document, or its text (parsed here; the gateway passes the tree it verified). */
export function parseDuisRequest(input: XmlDocument | string): DuisRequest {
  const request = asTree(requestTree(typeof input === 'string' ? parseXmlDocument(input) : input));
  const header = asTree(request.Header);
  const where = '/Request/Header';
  const requestId = parseRequestId(text(header, 'RequestID', where), `${where}/RequestID`);
  const serviceReferenceVariant = text(header, 'ServiceReferenceVariant', where);
  const body = asTree(request.Body);
  const elements = Object.keys(body).filter((k) => !k.startsWith('@') && k !== '#text');
  if (elements.length !== 1)
    throw new DuisInputError(`Body must hold exactly one element, found ${elements.length}`, '/Request/Body');
  const bodyElement = elements[0];
  const service = supportedService(serviceReferenceVariant);
  if (service !== undefined && service.requestElement !== bodyElement && bodyElement !== 'SignedPreCommand') {
    throw new DuisInputError(
      `ServiceReferenceVariant ${serviceReferenceVariant} needs a ${service.requestElement} body, not ${bodyElement}`,
      '/Request/Body',
    );
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

/** True when the document element is `sr:Request` (the schema has other global elements: Response, S1SPAlert, …). */
export function isRequestDocument(input: XmlDocument): boolean {
  const root = input.document.documentElement;
  return root.namespaceURI === NS.sr && root.localName === 'Request';
}

/** Best-effort header read of a document that failed a later check; never throws. */
export function readRequestHeader(input: XmlDocument | undefined): RequestHeader {
  if (input === undefined || !isRequestDocument(input)) return {};
  const header = headerTree(input.document.documentElement);
  const id = optText(header, 'RequestID');
  const sr = optText(header, 'ServiceReference');
  const srv = optText(header, 'ServiceReferenceVariant');
  return {
    ...(id === undefined ? {} : { requestIdText: id }),
    ...(sr === undefined ? {} : { serviceReference: sr }),
    ...(srv === undefined ? {} : { serviceReferenceVariant: srv }),
  };
}

/**
 * `Header` of the request as elementTree reads it, from that element alone: the gateway reads the header before the
 * whole request, and walking the body (a certificate, a log) for it was a second walk of the document. As from the
 * whole tree: an element child named Header in any namespace, none when there is not exactly one.
 */
function headerTree(root: Element): XmlTree {
  let header: Element | undefined;
  let count = 0;
  for (let child = root.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType !== child.ELEMENT_NODE || child.localName !== 'Header') continue;
    header = child;
    count += 1;
  }
  return count === 1 ? asTree(elementTree(header!)) : {};
}

function requestTree(input: XmlDocument): ReturnType<typeof elementTree> {
  if (!isRequestDocument(input)) throw new DuisInputError('the document element is not sr:Request', '/');
  // the signature is checked elsewhere (requestSignatures.ts, over the tree itself); here only whether there is one
  return elementTree(input.document.documentElement, 'Signature');
}
