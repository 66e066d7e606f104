/**
 * The one reader of DUIS responses and alerts (what `send`, `repro`, pack expectations and the migration
 * orchestrator judge outcomes by): each value is read as XML at its path in the schema's structure, never found by a
 * pattern in the text. A response may echo user text (an error response names the fault, a debug entry the device's
 * words), so `<sr:ResponseCode>I0</sr:ResponseCode>` inside a value, escaped or in a comment, is text there and
 * can never be mistaken for the response's code.
 */
import type { Document, Element } from './dom/nodes';
import { NS } from './namespaces';
import { childElements, parseXmlDocument } from './xmlDocument';

export interface DuisResponseReading {
  /** `sr:Response/sr:Header/sr:ResponseCode`: absent in the responses defect 91339/91340 leaves without one. */
  readonly responseCode?: string;
  /** `sr:Response/sr:Header/sr:ResponseID`. */
  readonly responseId?: string;
  /** `sr:Response/sr:Body/sr:DCCAlertMessage/sr:DCCAlertCode`. */
  readonly dccAlertCode?: string;
  /** The text of the comment an error response names its fault in (a child of `sr:Response`, before the header). */
  readonly fault?: string;
  /** The S1SP-signed SMETS1Response of a device's response or alert, when the document carries one. */
  readonly smets1?: Smets1Reading;
}

interface Smets1Reading {
  /** `…/sr:SMETS1Response/sr:Header/ra:BusinessOriginatorID`: the device that answered or alerted. */
  readonly originator?: string;
  /** The `…Rsp` element under `ra:SMETSData`, e.g. `UpdateHANDeviceLogRsp`. */
  readonly rsp?: RspReading;
  /** `ra:DebugInfo/ra:SMETS1Debug/ra:SMETS1Response`: the device's refusal (the first entry). */
  readonly debug?: Smets1DebugReading;
  /** Every `ra:SMETS1Debug/ra:SMETS1Response` entry, in document order (a multi-step SR can carry several). */
  readonly debugEntries: readonly Smets1DebugReading[];
  /** `sr:DeviceAlertMessage/ra:DeviceAlertContent/ra:GBCSHexAlertCode` of a device alert. */
  readonly alertCode?: string;
}

interface Smets1DebugReading {
  readonly responseCode: string;
  /** `@Position`: the step of the SR's command sequence the entry is for. */
  readonly position: string;
  readonly error: string;
}

interface RspReading {
  readonly element: string;
  /** `@MessageSuccess`; undefined when the attribute is missing or neither `true` nor `false`. */
  readonly messageSuccess?: boolean;
  /** `ra:SupplyState` (7.4 and the supply SRs). */
  readonly supplyState?: string;
  /** `ra:DeviceLogEntries/ra:LogEntry/ra:DeviceID` (8.9), upper-cased. */
  readonly deviceLogIds: readonly string[];
}

const PREFIXES = { sr: NS.sr, ra: NS.ra } as const;
type Step = `${keyof typeof PREFIXES}:${string}`;
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A response as text, or as a response this process built (responses.ts BuiltResponse, a DuisOutput): its tree is
 * read then, the document it was written from, rather than a parse of the text it was just written as.
 */
export type ReadableResponse = string | { readonly xml: string; readonly document?: () => Document };

/** Reads a response or alert document; a text that is not well-formed XML, or not an `sr:Response`, throws DuisInputError. */
export function readDuisResponse(response: ReadableResponse): DuisResponseReading {
  const document =
    typeof response === 'string'
      ? parseXmlDocument(response).document
      : (response.document?.() ?? parseXmlDocument(response.xml).document);
  const root = document.documentElement;
  if (root.namespaceURI !== NS.sr || root.localName !== 'Response') return {};
  const smets1 = at(root, SMETS1_RESPONSE);
  // each field set only when present (the readings are compared and reported as they are, without undefined keys)
  const reading: Writable<DuisResponseReading> = {};
  const responseCode = textAt(root, RESPONSE_CODE);
  if (responseCode !== undefined) reading.responseCode = responseCode;
  const responseId = textAt(root, RESPONSE_ID);
  if (responseId !== undefined) reading.responseId = responseId;
  const dccAlertCode = textAt(root, DCC_ALERT_CODE);
  if (dccAlertCode !== undefined) reading.dccAlertCode = dccAlertCode;
  const fault = faultComment(root);
  if (fault !== undefined) reading.fault = fault;
  if (smets1 !== undefined) reading.smets1 = readSmets1(smets1);
  return reading;
}

function readSmets1(response: Element): Smets1Reading {
  const message = at(response, RESPONSE_MESSAGE);
  const rspElement = message === undefined ? undefined : at(message, SMETS_DATA);
  const rsp = rspElement === undefined ? undefined : firstElementChild(rspElement);
  const debugList = message === undefined ? undefined : at(message, SMETS1_DEBUG);
  const debugEntries = (debugList === undefined ? [] : children(debugList, DEBUG_ENTRY)).map((entry) => ({
    responseCode: entry.getAttribute('ResponseCode') ?? '',
    position: entry.getAttribute('Position') ?? '',
    error: textAt(entry, DEBUG_ERROR) ?? '',
  }));
  // in the order the reading has always had (a JSON report writes the keys in it)
  const reading: Writable<Smets1Reading> = {} as Writable<Smets1Reading>;
  const originator = textAt(response, ORIGINATOR);
  if (originator !== undefined) reading.originator = originator;
  if (rsp !== undefined) reading.rsp = readRsp(rsp);
  if (debugEntries.length > 0) reading.debug = debugEntries[0];
  reading.debugEntries = debugEntries;
  const alertCode = textAt(response, ALERT_CODE);
  if (alertCode !== undefined) reading.alertCode = alertCode;
  return reading;
}

function readRsp(rsp: Element): RspReading {
  const flag = rsp.getAttribute('MessageSuccess');
  const log = at(rsp, DEVICE_LOG_ENTRIES);
  const reading = { element: rsp.localName ?? rsp.nodeName } as Writable<RspReading>;
  if (flag === 'true' || flag === 'false') reading.messageSuccess = flag === 'true';
  const supplyState = textAt(rsp, SUPPLY_STATE);
  if (supplyState !== undefined) reading.supplyState = supplyState;
  reading.deviceLogIds =
    log === undefined
      ? []
      : children(log, LOG_ENTRY).map((entry) => (textAt(entry, LOG_DEVICE_ID) ?? '').toUpperCase());
  return reading;
}

interface StepName {
  readonly namespace: string;
  readonly localName: string;
}

/**
 * A path of steps below an element, each `prefix:local` split into its namespace and local name when this module is
 * loaded: a response is read by a dozen of them, and splitting (or looking up) every step of every path on every
 * read was most of what a read cost.
 */
function path(...steps: Step[]): readonly StepName[] {
  return steps.map((step) => {
    const colon = step.indexOf(':');
    return { namespace: PREFIXES[step.slice(0, colon) as keyof typeof PREFIXES], localName: step.slice(colon + 1) };
  });
}

const SMETS1_RESPONSE = path('sr:Body', 'sr:SMETS1ResponseMessage', 'sr:SMETS1SignedResponse', 'sr:SMETS1Response');
const RESPONSE_CODE = path('sr:Header', 'sr:ResponseCode');
const RESPONSE_ID = path('sr:Header', 'sr:ResponseID');
const DCC_ALERT_CODE = path('sr:Body', 'sr:DCCAlertMessage', 'sr:DCCAlertCode');
const RESPONSE_MESSAGE = path('sr:Body', 'sr:ResponseMessage');
const SMETS_DATA = path('ra:SMETSData');
const SMETS1_DEBUG = path('ra:DebugInfo', 'ra:SMETS1Debug');
const [DEBUG_ENTRY] = path('ra:SMETS1Response');
const DEBUG_ERROR = path('ra:Error');
const ORIGINATOR = path('sr:Header', 'ra:BusinessOriginatorID');
const ALERT_CODE = path('sr:Body', 'sr:DeviceAlertMessage', 'ra:DeviceAlertContent', 'ra:GBCSHexAlertCode');
const DEVICE_LOG_ENTRIES = path('ra:DeviceLogEntries');
const SUPPLY_STATE = path('ra:SupplyState');
const [LOG_ENTRY] = path('ra:LogEntry');
const LOG_DEVICE_ID = path('ra:DeviceID');

function children(element: Element, { namespace, localName }: StepName): Element[] {
  return childElements(element, namespace, localName);
}

/** The element at `steps` below `element`, each step the first child of that name; undefined when one is missing. */
function at(element: Element, steps: readonly StepName[]): Element | undefined {
  let current: Element | undefined = element;
  for (let i = 0; i < steps.length && current !== undefined; i++) current = firstChildNamed(current, steps[i]);
  return current;
}

/** The first element child with the step's name, found without listing them all. */
function firstChildNamed(element: Element, { namespace, localName }: StepName): Element | undefined {
  for (let child = element.firstChild; child !== null; child = child.nextSibling)
    if (
      child.nodeType === child.ELEMENT_NODE &&
      (child as Element).localName === localName &&
      (child as Element).namespaceURI === namespace
    )
      return child as Element;
  return undefined;
}

function textAt(element: Element, steps: readonly StepName[]): string | undefined {
  return at(element, steps)?.textContent?.trim();
}

function firstElementChild(element: Element): Element | undefined {
  for (let child = element.firstChild; child !== null; child = child.nextSibling)
    if (child.nodeType === child.ELEMENT_NODE) return child as Element;
  return undefined;
}

function faultComment(root: Element): string | undefined {
  for (let child = root.firstChild; child !== null; child = child.nextSibling)
    if (child.nodeType === child.COMMENT_NODE) return child.nodeValue?.trim();
  return undefined;
}
