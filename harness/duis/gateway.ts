/**
 * The DUIS gateway's intake: request XML in, either an admitted, typed request (with the I99 acknowledgement the
 * user gets synchronously) or the DUIS error response naming the fault. The S1SP adapter calls `admit` (or
 * `admitAll` to validate many requests in one libxml2 run), carries admitted requests to the devices, and answers
 * with the builders in responses.ts.
 *
 * Order of checks (each stops at the first fault): the text's screen (size, no DOCTYPE, no processing instruction),
 * well-formedness (the one parse, whose tree every later check reads), the DUIS schema, the header,
 * the user (E1), the signature when verification is on, the RequestID counter (replay), then the DSP's role, device,
 * device-type, authorisation and SMI status checks, the SRVs this SMETS1 gateway carries, and finally the body's
 * values. A request whose signature verified (or, with verification off, any request that reached the counter check)
 * uses up its counter even if a later check refuses it, so a refused request cannot be replayed either.
 */
import { AccessControl } from '../dsp/accessControl';
import { eligibleRoles, isCritical, requestMatrixEntry, type UserRole } from '../dsp/roleMatrix';
import { RequestCounterTracker } from './counters';
import type { Document } from './dom/nodes';
import { DuisInputError } from './errors';
import {
  isRequestDocument,
  readRequestHeader,
  readRequestTree,
  requestFrom,
  requestHeader,
  type DuisRequest,
} from './request';
import { OutOfRangeError, type RequestBody } from './requestBodies';
import { formatRequestId, parseRequestId } from './requestId';
import {
  codeFor,
  DEFAULT_RESPONSE_CODE_PROFILE,
  type FaultKind,
  type ResponseCode,
  type ResponseCodeProfile,
} from './responseCodes';
import { builtAcknowledgement, builtErrorResponse, builtOnDemand, type BuiltResponse } from './responses';
import { verifyRequestSignature, type UserCertificateDirectory } from './requestSignatures';
import type { DocumentValidity, DuisValidator } from './validator';
import { parseScreenedXml, screenXmlText, type ScreenedXml, type XmlDocument } from './xmlDocument';

export type SignaturePolicy = 'off' | 'critical' | 'all';

export interface GatewayOptions {
  readonly validator: DuisValidator;
  readonly accessControl: AccessControl;
  readonly profile?: ResponseCodeProfile;
  /** `off` (default: the RTDS templates carry placeholder signatures), `critical` (SRVs the matrix marks critical) or `all`. */
  readonly signatures?: { readonly policy: SignaturePolicy; readonly directory: UserCertificateDirectory };
  /** The time written in ResponseDateTime and used for certificate validity. */
  readonly now: () => Date;
  readonly counters?: RequestCounterTracker;
}

export interface AdmittedRequest {
  readonly ok: true;
  readonly request: DuisRequest & { readonly body: RequestBody };
  readonly userRole: UserRole;
  /** The synchronous I99 acknowledgement. */
  readonly acknowledgement: string;
  /** Its tree (responses.ts BuiltResponse), for a reader in this process. */
  readonly acknowledgementDocument: () => Document;
  /** The I99 as built, text and tree (a DuisOutput of it: harness/s1sp/adapter.ts duisOutput). */
  readonly built: BuiltResponse;
}

export interface RefusedRequest {
  readonly ok: false;
  readonly kind: FaultKind;
  readonly code: ResponseCode;
  /** What is wrong and where. */
  readonly fault: string;
  /** The DUIS error response (schema-valid). */
  readonly response: string;
  /** Its tree (responses.ts BuiltResponse), for a reader in this process. */
  readonly responseDocument: () => Document;
  /** The error response as built, text and tree (a DuisOutput of it: harness/s1sp/adapter.ts duisOutput). */
  readonly built: BuiltResponse;
}

export type Admission = AdmittedRequest | RefusedRequest;

export class DuisGateway {
  private readonly profile: ResponseCodeProfile;
  private readonly counters: RequestCounterTracker;

  constructor(private readonly options: GatewayOptions) {
    this.profile = options.profile ?? DEFAULT_RESPONSE_CODE_PROFILE;
    this.counters = options.counters ?? new RequestCounterTracker();
  }

  async admit(xml: string): Promise<Admission> {
    return (await this.admitAll([xml]))[0];
  }

  /**
   * Screens each text once (size, DOCTYPE, processing instructions: refused before any parser reads it), validates
   * the rest in one schema run, then decides each in order (counters see them in that order).
   */
  async admitAll(documents: readonly string[]): Promise<Admission[]> {
    const screens = documents.map((xml) => screenXmlText(xml));
    const toValidate = screens.flatMap((xml, i) => (typeof xml === 'string' ? [{ name: `request-${i}`, xml }] : []));
    const validity = await this.options.validator.validate(toValidate);
    let next = 0;
    return screens.map((screen) =>
      typeof screen === 'string'
        ? this.decide(screen, validity[next++])
        : this.refuse(undefined, 'malformed-xml', screen.refusal),
    );
  }

  /** `xml` passed the screen in admitAll, which is not repeated. */
  private decide(xml: ScreenedXml, validity: DocumentValidity): Admission {
    if (!validity.wellFormed) return this.refuse(undefined, 'malformed-xml', describe(validity));
    // the one parse: the signature is verified over this tree and the request is read from it
    let document: XmlDocument;
    try {
      document = parseScreenedXml(xml);
    } catch (error) {
      return this.refuse(undefined, 'malformed-xml', messageOf(error));
    }
    if (!validity.valid)
      return this.refuse(document, 'schema-invalid', `not valid against the DUIS 5.4 schema: ${describe(validity)}`);
    // the schema has other global elements (Response, SMETS1SignedResponse, S1SPAlert): valid, but not requests
    if (!isRequestDocument(document)) {
      return this.refuse(
        document,
        'schema-invalid',
        `the document element is ${document.document.documentElement.localName}, not sr:Request`,
      );
    }
    // read once: the header for the checks below, the whole request after the counter check
    const tree = readRequestTree(document);
    const header = requestHeader(tree);
    let requestId;
    try {
      requestId = parseRequestId(header.requestIdText ?? '');
    } catch (error) {
      return this.refuse(document, 'schema-invalid', messageOf(error));
    }
    const srv = header.serviceReferenceVariant ?? '';
    const access = this.options.accessControl;
    if (access.registration.user(requestId.originator) === undefined) {
      return this.refuse(
        document,
        'unknown-user',
        `user ${requestId.originator} is not a SEC party in Registration Data`,
      );
    }
    const signatures = this.options.signatures;
    if (
      signatures !== undefined &&
      (signatures.policy === 'all' || (signatures.policy === 'critical' && isCritical(srv)))
    ) {
      const check = verifyRequestSignature(document, {
        originator: requestId.originator,
        eligibleRoles: eligibleRoles(srv),
        directory: signatures.directory,
        at: this.options.now(),
      });
      if (!check.ok)
        return this.refuse(
          document,
          check.reason === 'unsigned' ? 'signature-missing' : 'signature-invalid',
          check.detail,
        );
    }
    const counter = this.counters.accept(requestId.originator, requestId.counter);
    if (!counter.ok) {
      return this.refuse(
        document,
        'counter-not-increasing',
        `RequestID counter ${requestId.counter} from ${requestId.originator} is not above its last accepted counter ${counter.last} (replay)`,
      );
    }
    let request: DuisRequest;
    try {
      request = requestFrom(tree, requestId);
    } catch (error) {
      if (error instanceof OutOfRangeError) return this.refuse(document, 'out-of-range', messageOf(error), srv);
      return this.refuse(
        document,
        error instanceof DuisInputError && /needs a .* body/.test(error.message) ? 'body-mismatch' : 'schema-invalid',
        messageOf(error),
      );
    }
    const decision = access.check({
      userId: requestId.originator,
      deviceId: requestId.target,
      serviceReferenceVariant: srv,
      ...(request.body?.kind === 'UpdateSecurityCredentialsKRP'
        ? { remotePartyRole: request.body.remotePartyRole }
        : {}),
    });
    if (!decision.ok) return this.refuse(document, decision.fault, decision.message);
    if (request.body === null)
      return this.refuse(document, 'unsupported-by-smets1', `SRV ${srv} is not supported by this SMETS1 device`);
    // the time is the admission's; the document is built when first read: a migration judges a request by its last
    // response, and its I99 is read only by whoever reports or logs it
    const at = this.options.now();
    const acknowledgement = builtOnDemand(() =>
      builtAcknowledgement({
        requestId: request.requestIdText,
        serviceReference: request.serviceReference,
        serviceReferenceVariant: request.serviceReferenceVariant,
        at,
      }),
    );
    return new Admitted(request as DuisRequest & { body: RequestBody }, decision.userRole, acknowledgement);
  }

  /** `document` is undefined when the text could not be read: the response then has no RequestID and the profile's SR. */
  private refuse(document: XmlDocument | undefined, kind: FaultKind, fault: string, srv?: string): RefusedRequest {
    const header = readRequestHeader(document);
    const code = codeFor(kind, this.profile, srv ?? header.serviceReferenceVariant);
    const references = serviceReferences(header, this.profile);
    let requestId: string | undefined;
    try {
      requestId = formatRequestId(parseRequestId(header.requestIdText ?? ''));
    } catch {
      requestId = undefined;
    }
    const response = builtErrorResponse({
      ...(requestId === undefined ? {} : { requestId }),
      code,
      fault,
      ...references,
      at: this.options.now(),
    });
    return new Refused(kind, code, fault, response);
  }
}

/**
 * The admissions are classes, their text getters on the prototype: an object literal with a getter gets a map of its
 * own for each object (responses.ts BuiltTree). The text is written when first read (responses.ts BuiltResponse): a
 * migration reads the tree only.
 */
class Admitted implements AdmittedRequest {
  declare readonly ok: true;
  declare readonly request: DuisRequest & { readonly body: RequestBody };
  declare readonly userRole: UserRole;
  declare readonly acknowledgementDocument: () => Document;
  declare readonly built: BuiltResponse;

  constructor(request: DuisRequest & { readonly body: RequestBody }, userRole: UserRole, built: BuiltResponse) {
    this.ok = true;
    this.request = request;
    this.userRole = userRole;
    this.acknowledgementDocument = built.document;
    this.built = built;
  }

  get acknowledgement(): string {
    return this.built.xml;
  }
}

class Refused implements RefusedRequest {
  declare readonly ok: false;
  declare readonly kind: FaultKind;
  declare readonly code: ResponseCode;
  declare readonly fault: string;
  declare readonly responseDocument: () => Document;
  declare readonly built: BuiltResponse;

  constructor(kind: FaultKind, code: ResponseCode, fault: string, built: BuiltResponse) {
    this.ok = false;
    this.kind = kind;
    this.code = code;
    this.fault = fault;
    this.responseDocument = built.document;
    this.built = built;
  }

  get response(): string {
    return this.built.xml;
  }
}

/**
 * The request's SR and SRV when they are a pair the DCC's request matrix knows; otherwise the profile's (the schema
 * requires both in every ResponseMessage, from its enumerations).
 */
function serviceReferences(header: ReturnType<typeof readRequestHeader>, profile: ResponseCodeProfile) {
  const entry =
    header.serviceReferenceVariant === undefined ? undefined : requestMatrixEntry(header.serviceReferenceVariant);
  if (entry !== undefined && entry['Service Reference'] === header.serviceReference) {
    return {
      serviceReference: entry['Service Reference'],
      serviceReferenceVariant: entry['Service Reference Variant'],
    };
  }
  return profile.unreadableServiceReference;
}

function describe(validity: DocumentValidity): string {
  return validity.problems.map((p) => (p.line === null ? p.message : `line ${p.line}: ${p.message}`)).join('; ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
