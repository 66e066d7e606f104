/**
 * `sr:Request` in, a typed request out, read from the one parsed tree of xmlDocument.ts (the tree the signature
 * check also verifies): names without prefixes, all text kept as strings. Call after schema validation: the shape
 * is then known and only values are interpreted here.
 */
import type { Element } from './dom/nodes';
import { DuisInputError } from './errors';
import { NS } from './namespaces';
import { optText, readBody, text, type RequestBody } from './requestBodies';
import { formatRequestId, parseRequestId, type RequestId } from './requestId';
import { supportedService } from './serviceCatalogue';
import { childNamed, elementChildren, parseXmlDocument, type XmlDocument } from './xmlDocument';
import { isNamespaceDeclaration } from './dom/nodes';

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
 * A request's tree as the gateway reads it: its document element, and its Header element (the root's one child of
 * that name), found once for the checks before the request is read (requestHeader) and for the request
 * (requestFrom). Every field is read by path from this one parsed tree, never from a copy of it: the root's
 * schemaVersion and whether a Signature is there off the element (the signature is checked elsewhere,
 * requestSignatures.ts, over the document itself), the header's and the body's fields off theirs.
 */
export interface RequestTree {
  readonly root: Element;
  /** Undefined when the root has not exactly one Header. */
  readonly header: Element | undefined;
}

/** The tree of a request document (isRequestDocument); throws DuisInputError for any other. */
export function readRequestTree(input: XmlDocument): RequestTree {
  if (!isRequestDocument(input)) throw new DuisInputError('the document element is not sr:Request', '/');
  const root = input.document.documentElement;
  return { root, header: onlyChild(root, 'Header') };
}

/** The header fields of a request's tree (readRequestTree): none when it has not exactly one Header. */
export function requestHeader(request: RequestTree): RequestHeader {
  return headerFields(request.header);
}

/**
 * The typed request of a request's tree (readRequestTree); throws DuisInputError naming what is wrong and where.
 * `requestId`: its RequestID as the caller already read it from this tree's header (the gateway checks it first),
 * not parsed a second time.
 */
export function requestFrom(request: RequestTree, requestId?: RequestId): DuisRequest {
  const { root, header } = request;
  const where = '/Request/Header';
  requestId ??= parseRequestId(text(header, 'RequestID', where), `${where}/RequestID`);
  const serviceReferenceVariant = text(header, 'ServiceReferenceVariant', where);
  const body = onlyChild(root, 'Body');
  const elements = body === undefined ? [] : elementChildren(body);
  if (elements.length !== 1)
    throw new DuisInputError(`Body must hold exactly one element, found ${elements.length}`, '/Request/Body');
  const bodyElement = elements[0].localName;
  const service = supportedService(serviceReferenceVariant);
  if (service !== undefined && service.requestElement !== bodyElement && bodyElement !== 'SignedPreCommand') {
    throw new DuisInputError(
      `ServiceReferenceVariant ${serviceReferenceVariant} needs a ${service.requestElement} body, not ${bodyElement}`,
      '/Request/Body',
    );
  }
  return {
    schemaVersion: schemaVersionOf(root),
    requestId,
    requestIdText: formatRequestId(requestId),
    commandVariant: Number(text(header, 'CommandVariant', where)),
    serviceReference: text(header, 'ServiceReference', where),
    serviceReferenceVariant,
    bodyElement,
    body: service === undefined ? null : readBody(bodyElement, elements[0], `/Request/Body/${bodyElement}`),
    signed: childNamed(root, 'Signature') !== undefined,
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
  return headerFields(onlyChild(input.document.documentElement, 'Header'));
}

function headerFields(header: Element | undefined): RequestHeader {
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
 * The element child of `root` named `localName` (in any namespace): none when there is not exactly one. A refusal
 * needs only the header, and no body (a certificate, a log) is walked for it.
 */
function onlyChild(root: Element, localName: string): Element | undefined {
  const first = childNamed(root, localName);
  for (let next = first?.nextSibling ?? null; next !== null; next = next.nextSibling)
    if (next.nodeType === next.ELEMENT_NODE && next.localName === localName) return undefined;
  return first;
}

/** The root's schemaVersion attribute (in any namespace; the last of that local name). */
function schemaVersionOf(root: Element): string {
  let version = '';
  for (const attribute of root.attributes) {
    if (attribute.localName !== 'schemaVersion' || isNamespaceDeclaration(attribute)) continue;
    version = attribute.value;
  }
  return version;
}
