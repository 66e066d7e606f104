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
  return requestFrom(readRequestTree(typeof input === 'string' ? parseXmlDocument(input) : input));
}

/**
 * The request read as elementTree reads it, once: the gateway takes its header (requestHeader) for the checks before
 * the request is read, then the request (requestFrom) from the same tree, not walking the header twice.
 */
export function readRequestTree(input: XmlDocument): XmlTree {
  if (!isRequestDocument(input)) throw new DuisInputError('the document element is not sr:Request', '/');
  // the signature is checked elsewhere (requestSignatures.ts, over the tree itself); here only whether there is one
  return asTree(elementTree(input.document.documentElement, 'Signature'));
}

/** The header fields of a request's tree (readRequestTree): none when it has not exactly one Header. */
export function requestHeader(request: XmlTree): RequestHeader {
  return headerFields(asTree(request.Header));
}

/**
 * The typed request of a request's tree (readRequestTree); throws DuisInputError naming what is wrong and where.
 * `requestId`: its RequestID as the caller already read it from this tree's header (the gateway checks it first),
 * not parsed a second time.
 */
export function requestFrom(request: XmlTree, requestId?: RequestId): DuisRequest {
  const header = asTree(request.Header);
  const where = '/Request/Header';
  requestId ??= parseRequestId(text(header, 'RequestID', where), `${where}/RequestID`);
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

/** Best-effort header read of a document that failed a check (the error response's address); never throws. */
export function readRequestHeader(input: XmlDocument | undefined): RequestHeader {
  if (input === undefined || !isRequestDocument(input)) return {};
  return headerFields(headerTree(input.document.documentElement));
}

function headerFields(header: XmlTree): RequestHeader {
  // only the fields there are (an error response is addressed with what could be read)
  const fields: { -readonly [K in keyof RequestHeader]: RequestHeader[K] } = {};
  const id = optText(header, 'RequestID');
  if (id !== undefined) fields.requestIdText = id;
  const sr = optText(header, 'ServiceReference');
  if (sr !== undefined) fields.serviceReference = sr;
  const srv = optText(header, 'ServiceReferenceVariant');
  if (srv !== undefined) fields.serviceReferenceVariant = srv;
  return fields;
}

/**
 * `Header` of the request as elementTree reads it, from that element alone: a refusal needs only the header, and the
 * body (a certificate, a log) need not be walked for it. As from the whole tree (requestHeader): an element child
 * named Header in any namespace, none when there is not exactly one.
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
