/**
 * DUIS 5.4 responses, built in schema order (the xs:sequence of every element is followed exactly; the DCC's
 * duis-parser 0.6 writes ResponseCode before RequestID, which the schema rejects, so it is not used here). Shapes
 * follow the DCC Boxed samples where public and the schema where not: see docs/duis.md and the fixtures in
 * tests/fixtures/duis. Every builder builds the document as the project's DOM and returns it with its text, written from
 * that tree (BuiltResponse): the text goes out, the harness's own readers read the tree; tests validate the text
 * against the schema.
 */
import { alertDescription, alertHex } from './alertDescriptions';
import type { Document, Element } from './dom/nodes';
import { NS, RESPONSE_SCHEMA_VERSION } from './namespaces';
import type { ResponseCode } from './responseCodes';
import { withoutXmlDeclaration } from './xmlDocument';
import { comment, el, leaf, toDocument, toXml, type XmlNode } from './xmlTree';

/** The root's attributes, of every response and SMETS1SignedResponse (el() only reads them). */
const ROOT_ATTRIBUTES = {
  'xmlns:sr': NS.sr,
  'xmlns:ra': NS.ra,
  'xmlns:ds': NS.ds,
  schemaVersion: RESPONSE_SCHEMA_VERSION,
};

/** `xs:dateTime` as DCC Boxed writes ResponseDateTime: UTC with milliseconds. */
function responseDateTime(at: Date): string {
  return utcDateTime(at, true);
}

/** Device timestamps (`ra:Timestamp`): UTC, whole seconds, as the devices keep time. */
export function deviceDateTime(at: Date): string {
  return utcDateTime(at, false);
}

/**
 * A request's date-time as the RTDS templates write it (CurrentDateTime): UTC with hundredths, the milliseconds' last
 * digit dropped (toISOString's text cut, not rounded), by the formatter and its second's memo the responses use.
 */
export function requestDateTime(at: Date): string {
  const text = utcDateTime(at, true);
  return `${text.slice(0, -2)}Z`;
}

/**
 * What toISOString writes (without its milliseconds unless asked for), written from the date's UTC fields: through
 * toISOString and a pattern it was 0.6 % of a fleet day's CPU, about three times this. A year outside 0…9999
 * (written with a sign and six digits) and an invalid date (a RangeError) are toISOString's. The date and time to the
 * second are remembered for the last second written: a device's response carries its instant twice, in the signed
 * header (ra:Timestamp, whole seconds) and in the envelope (ResponseDateTime, with milliseconds), so the second of
 * the two reads no date fields.
 */
function utcDateTime(at: Date, milliseconds: boolean): string {
  const time = at.getTime();
  const ms = at.getUTCMilliseconds();
  const second = time - ms;
  if (second !== lastSecond.time) {
    const year = at.getUTCFullYear();
    if (!(year >= 0 && year <= 9999)) {
      const iso = at.toISOString();
      return milliseconds ? iso : `${iso.slice(0, -5)}Z`;
    }
    const date = `${year < 1000 ? String(year).padStart(4, '0') : year}-${twoDigits(at.getUTCMonth() + 1)}-${twoDigits(at.getUTCDate())}`;
    lastSecond = {
      time: second,
      text: `${date}T${twoDigits(at.getUTCHours())}:${twoDigits(at.getUTCMinutes())}:${twoDigits(at.getUTCSeconds())}`,
    };
  }
  if (!milliseconds) return `${lastSecond.text}Z`;
  return `${lastSecond.text}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}
/** The last whole second utcDateTime wrote (ms since the epoch) and its text; NaN matches no date. */
let lastSecond = { time: NaN, text: '' };

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

interface HeaderFields {
  readonly requestId?: string;
  readonly responseId?: string;
  /** Absent only to reproduce the S1SP defect 91339/91340 (a response without its ResponseCode: schema-invalid). */
  readonly responseCode?: ResponseCode;
  readonly at: Date;
}

/**
 * A response as written and the document it is written from, the tree (dom/nodes.ts) a parse of the text gives: the
 * harness reads what it built itself by path (responseReader.ts) without parsing its own output again. The text is
 * written once, when first read: a migration judges its responses by their trees and keeps the text only for whoever
 * reports it (packs, `smets1 send`), so the text of most of a fleet's responses is never written.
 */
export interface BuiltResponse {
  readonly xml: string;
  readonly document: () => Document;
}

/**
 * An S1SP-signed SMETS1SignedResponse: the bytes that were signed (written when first read, xmlSignature.ts
 * SignedDocument) and the tree they are written from, its content frozen at signing (s1spSigner.ts).
 */
export interface SignedResponse {
  readonly xml: string;
  readonly document: Document;
}

/**
 * The BuiltResponse of a built element: its text and its tree each made when first read. A class, its getter on the
 * prototype: an object literal with a getter gets a new closure for it each time, and with it a map (hidden class) of
 * its own, which V8 builds and later collects at a few µs an object, more the more of them are alive (measured: the
 * three such objects of a signed response cost more than building its tree and preparing its signature).
 */
class BuiltTree implements BuiltResponse {
  declare private readonly root: Element;
  declare private text: string | undefined;
  declare private tree: Document | undefined;
  /** A function of its own: callers pass it on detached (DuisOutput.document). */
  declare readonly document: () => Document;

  constructor(root: Element) {
    this.root = root;
    this.text = undefined;
    this.tree = undefined;
    this.document = () => (this.tree ??= toDocument(this.root));
  }

  get xml(): string {
    return (this.text ??= toXml(this.root));
  }
}

/**
 * A response built, text and tree, only when either is first read: for a document the harness may never look at (a
 * device alert during a migration, which the fleet counts off the wire instead). `build` must take everything it
 * writes from values fixed when it was made: it runs later, perhaps never.
 */
export function builtOnDemand(build: () => BuiltResponse): BuiltResponse {
  return new BuiltOnDemand(build);
}

class BuiltOnDemand implements BuiltResponse {
  declare private build: (() => BuiltResponse) | undefined;
  declare private response: BuiltResponse | undefined;
  declare readonly document: () => Document;

  constructor(build: () => BuiltResponse) {
    this.build = build;
    this.response = undefined;
    this.document = () => this.built().document();
  }

  get xml(): string {
    return this.built().xml;
  }

  private built(): BuiltResponse {
    if (this.response === undefined) {
      this.response = this.build!();
      // what it was built from is not held once it is built
      this.build = undefined;
    }
    return this.response;
  }
}

function responseDocument(header: HeaderFields, body: XmlNode, leading: XmlNode[] = []): BuiltResponse {
  return new BuiltTree(responseRoot(header, body, leading));
}

function responseRoot(header: HeaderFields, body: XmlNode, leading: XmlNode[] = []): Element {
  return el(
    'sr:Response',
    ROOT_ATTRIBUTES,
    ...leading,
    el(
      'sr:Header',
      null,
      header.requestId === undefined ? null : leaf('sr:RequestID', header.requestId),
      header.responseId === undefined ? null : leaf('sr:ResponseID', header.responseId),
      header.responseCode === undefined ? null : leaf('sr:ResponseCode', header.responseCode),
      leaf('sr:ResponseDateTime', responseDateTime(header.at)),
    ),
    el('sr:Body', null, body),
  );
}

export interface ServiceReferenceFields {
  readonly serviceReference: string;
  readonly serviceReferenceVariant: string;
}

/** Synchronous I99: "accepted and passed access control", sent before the device is reached (ex 01). */
export function builtAcknowledgement(
  input: ServiceReferenceFields & { readonly requestId: string; readonly at: Date },
): BuiltResponse {
  return responseDocument(
    { requestId: input.requestId, responseCode: 'I99', at: input.at },
    el(
      'sr:ResponseMessage',
      null,
      leaf('sr:ServiceReference', input.serviceReference),
      leaf('sr:ServiceReferenceVariant', input.serviceReferenceVariant),
    ),
  );
}

type ErrorFields = ServiceReferenceFields & {
  readonly requestId?: string;
  readonly code: ResponseCode;
  readonly fault: string;
  readonly at: Date;
};

/**
 * A synchronous error (ex 11, DCC Boxed acknowledgement-error.xml): RequestID when it could be read, the E-code,
 * ResponseMessage with only ServiceReference and variant, unsigned. The fault is named in a comment before the
 * header, since the shape has no field for it.
 */
export function builtErrorResponse(input: ErrorFields): BuiltResponse {
  return responseDocument(
    { requestId: input.requestId, responseCode: input.code, at: input.at },
    el(
      'sr:ResponseMessage',
      null,
      leaf('sr:ServiceReference', input.serviceReference),
      leaf('sr:ServiceReferenceVariant', input.serviceReferenceVariant),
    ),
    [comment(`${input.code}: ${input.fault}`)],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// SMETS1SignedResponse: built as a standalone document (it is a global element), signed by the S1SP, then embedded.

export interface Smets1Header {
  /** The device (BusinessOriginatorID). */
  readonly device: string;
  /** The user, or the DSP when it originated the command (BusinessTargetID). */
  readonly target: string;
  /** The request's counter for a response; the device's alert counter for an alert. */
  readonly counter: bigint;
  readonly serviceReference?: string;
  readonly serviceReferenceVariant?: string;
  /** Device time of the response or alert. */
  readonly timestamp?: Date;
}

/** The `…Rsp` of the SR: element name from serviceCatalogue.ts, `@MessageSuccess`, and its content in schema order. */
export interface RspPayload {
  readonly element: string;
  readonly messageSuccess: boolean;
  readonly content?: readonly XmlNode[];
}

/** One `SMETS1Debug/SMETS1Response`: the S1SP's record of a failed device step (ex 07). */
export interface Smets1DebugEntry {
  readonly responseCode: number;
  /** 1-based position of the failing step in the device command sequence. */
  readonly position: number;
  /** At most 250 characters (schema); longer text is cut. */
  readonly error: string;
}

export interface DeviceAlertContent {
  readonly code: number;
  /** Defaults to the GBCS description of `code`. */
  readonly description?: string;
  readonly timestamp: Date;
}

export type Smets1Body =
  /** `rsp` absent: the SR failed and its `…Rsp` has mandatory content the device did not give; only DebugInfo is sent. */
  | { readonly kind: 'response'; readonly rsp?: RspPayload; readonly debug?: readonly Smets1DebugEntry[] }
  | { readonly kind: 'alert'; readonly alert: DeviceAlertContent };

/** The SMETS1SignedResponse element as a tree: what the S1SP signs (s1spSigner.ts) without writing it out first. */
export function smets1SignedResponseTree(header: Smets1Header, body: Smets1Body): Element {
  return el(
    'sr:SMETS1SignedResponse',
    ROOT_ATTRIBUTES,
    el(
      'sr:SMETS1Response',
      null,
      smets1Header(header),
      el('sr:Body', null, body.kind === 'response' ? responseBody(body) : alertBody(body.alert)),
    ),
  );
}

function smets1Header(h: Smets1Header): XmlNode {
  return el(
    'sr:Header',
    null,
    leaf('ra:BusinessOriginatorID', h.device.toUpperCase()),
    leaf('ra:BusinessTargetID', h.target.toUpperCase()),
    leaf('ra:OriginatorCounter', h.counter),
    h.serviceReference === undefined ? null : leaf('ra:ServiceReference', h.serviceReference),
    h.serviceReferenceVariant === undefined ? null : leaf('ra:ServiceReferenceVariant', h.serviceReferenceVariant),
    h.timestamp === undefined ? null : leaf('ra:Timestamp', deviceDateTime(h.timestamp)),
  );
}

function responseBody(body: Extract<Smets1Body, { kind: 'response' }>): XmlNode {
  const rsp =
    body.rsp === undefined
      ? null
      : el(`ra:${body.rsp.element}`, { MessageSuccess: body.rsp.messageSuccess }, ...(body.rsp.content ?? []));
  const debug =
    body.debug === undefined || body.debug.length === 0
      ? null
      : el(
          'ra:DebugInfo',
          null,
          el(
            'ra:SMETS1Debug',
            null,
            ...body.debug.map((d) =>
              el(
                'ra:SMETS1Response',
                { ResponseCode: d.responseCode, Position: d.position },
                leaf('ra:Error', d.error.slice(0, 250)),
              ),
            ),
          ),
        );
  return el('sr:ResponseMessage', null, rsp === null ? null : el('ra:SMETSData', null, rsp), debug);
}

function alertBody(alert: DeviceAlertContent): XmlNode {
  const description = alert.description ?? alertDescription(alert.code);
  if (description === undefined)
    throw new RangeError(`no GBCS description known for alert 0x${alertHex(alert.code)}; pass one`);
  return el(
    'sr:DeviceAlertMessage',
    null,
    el(
      'ra:DeviceAlertContent',
      null,
      leaf('ra:GBCSHexAlertCode', alertHex(alert.code)),
      leaf('ra:AlertDescription', description.slice(0, 250)),
      leaf('ra:Timestamp', deviceDateTime(alert.timestamp)),
    ),
  );
}

export interface ThrottleFields {
  readonly sequenceId: number;
  readonly count: number;
}

/**
 * The DUIS response carrying a signed SMETS1SignedResponse (ex 03–07, 09, 10). For a response to a request:
 * RequestID, ResponseID `device:user:counter`, the SR; for a device alert: no RequestID, no SR. Its text embeds the
 * signed bytes as they were signed; its tree is the envelope's with the signed element grafted in its slot.
 */
export function builtSmets1ResponseMessage(
  input: Smets1MessageFields & { readonly signed: SignedResponse },
): BuiltResponse {
  return new Smets1ResponseMessage(input, input.signed);
}

/** builtSmets1ResponseMessage's response: the envelope built now, the graft and the text when first read (BuiltTree). */
class Smets1ResponseMessage implements BuiltResponse {
  declare private readonly envelope: Element;
  /** The envelope's empty SMETS1SignedResponse, which the signed element replaces: kept, not searched for. */
  declare private readonly slot: Element;
  declare private readonly signed: SignedResponse;
  /** The signed element, once it has taken the slot. */
  declare private grafted: Element | undefined;
  declare private text: string | undefined;
  declare private tree: Document | undefined;
  declare readonly document: () => Document;

  constructor(fields: Smets1MessageFields, signed: SignedResponse) {
    this.slot = el(SIGNED_RESPONSE, null);
    this.envelope = responseEnvelope(fields, this.slot);
    this.signed = signed;
    this.grafted = undefined;
    this.text = undefined;
    this.tree = undefined;
    this.document = () => (this.tree ??= this.graft());
  }

  // once grafted, the signed element is written as the empty slot it took, where its signed bytes go in
  get xml(): string {
    return (this.text ??= embedSignedResponse(toXml(this.envelope, this.grafted), this.signed.xml));
  }

  private graft(): Document {
    const tree = toDocument(this.envelope);
    const grafted = this.signed.document.documentElement;
    // moved, not copied: the signed tree was built for this response alone, and the memo makes this happen once
    this.slot.parentNode!.replaceChild(grafted, this.slot);
    this.grafted = grafted;
    return tree;
  }
}

interface Smets1MessageFields {
  readonly requestId?: string;
  readonly responseId: string;
  /** Absent: the defect 91339/91340 (harness/s1sp/harnessQuirks.ts). */
  readonly responseCode?: ResponseCode;
  readonly at: Date;
  readonly serviceReference?: string;
  readonly serviceReferenceVariant?: string;
  readonly throttle?: ThrottleFields;
}

function responseEnvelope(input: Smets1MessageFields, slot: Element): Element {
  return responseRoot(
    // responseRoot writes what is not undefined: the fields pass as they are, with no object spread per response
    { requestId: input.requestId, responseId: input.responseId, responseCode: input.responseCode, at: input.at },
    el(
      'sr:SMETS1ResponseMessage',
      null,
      input.serviceReference === undefined ? null : leaf('sr:ServiceReference', input.serviceReference),
      input.serviceReferenceVariant === undefined
        ? null
        : leaf('sr:ServiceReferenceVariant', input.serviceReferenceVariant),
      input.throttle === undefined ? null : leaf('sr:ThrottledAlertSequenceId', input.throttle.sequenceId),
      input.throttle === undefined ? null : leaf('sr:ThrottledAlertCount', input.throttle.count),
      slot,
    ),
  );
}

const SIGNED_RESPONSE = 'sr:SMETS1SignedResponse';

/**
 * The signed document goes in as the bytes that were signed, in place of the empty element the builder wrote for it.
 * Parsed and built again it would cost a parse per response, and the bytes could change what the signature covers
 * (a CR the signer wrote as `&#xD;` would be written back raw, which a parser reads as LF). The builder escapes `<` in every
 * value and this envelope has no comment, so its one unescaped `<sr:SMETS1SignedResponse/>` is that element.
 */
function embedSignedResponse(envelope: string, signed: string): string {
  const slot = `<${SIGNED_RESPONSE}/>`;
  const at = envelope.indexOf(slot);
  if (at < 0 || envelope.indexOf(slot, at + 1) >= 0)
    throw new Error(`the response envelope must hold exactly one empty ${SIGNED_RESPONSE}`);
  const element = withoutXmlDeclaration(signed);
  if (!element.startsWith(`<${SIGNED_RESPONSE} `) || !element.trimEnd().endsWith(`</${SIGNED_RESPONSE}>`)) {
    throw new Error(`the signed response is not a signed ${SIGNED_RESPONSE} document`);
  }
  return envelope.slice(0, at) + element.trimEnd() + envelope.slice(at + slot.length);
}

interface N24Fields {
  readonly responseId: string;
  readonly at: Date;
  /** The RequestID of the 8.11 it reports. */
  readonly updateHanDeviceLogRequestId: string;
  readonly throttle?: ThrottleFields;
}

/**
 * DCC alert N24: the outcome of an 8.11 (ex 08; body as in duis-parser's DCC Boxed test values). Header inferred:
 * no RequestID, ResponseID `DCC:user:counter`, I0 (DCC Boxed's receiver routes non-I0 alerts to Error).
 */
export function builtDccAlertN24(input: N24Fields): BuiltResponse {
  return responseDocument(
    { responseId: input.responseId, responseCode: 'I0', at: input.at },
    el(
      'sr:DCCAlertMessage',
      null,
      leaf('sr:DCCAlertCode', 'N24'),
      input.throttle === undefined ? null : leaf('sr:ThrottledAlertSequenceId', input.throttle.sequenceId),
      input.throttle === undefined ? null : leaf('sr:ThrottledAlertCount', input.throttle.count),
      el(
        'sr:DCCAlert',
        null,
        el(
          'sr:UpdateHANDeviceLogResult',
          null,
          leaf('sr:UpdateHANDeviceLogServiceRequestID', input.updateHanDeviceLogRequestId),
        ),
      ),
    ),
  );
}
