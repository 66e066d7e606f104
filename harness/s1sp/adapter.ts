/**
 * The S1SP: between the DSP (an admitted DUIS request) and a vendor's devices (a BenchClient on any link). It runs
 * the SR's device command sequence (serviceRequests.ts), answers with the DUIS response (an SMETS1ResponseMessage
 * whose SMETS1SignedResponse it signs with its own key; N24 as well for an 8.11), and turns every device alert off the
 * wire into a DUIS device alert, through its throttling. Its defects (61224, 91339/91340) and the WAN's (4.10 of 30
 * days or more) are seeded draws, each removed by its fix switch (harnessQuirks.ts).
 *
 * Decisions where DUIS is silent (duis-responses.md): a device-level failure is an I0 response with
 * MessageSuccess="false" and an SMETS1Debug entry; a lost response (link timeout, WAN) is E21 with the fault named;
 * power-quality alerts (0x80xx) go to the network operator and every other alert to the supplier (assumed).
 */
import type { SlotCheckMode } from '../dsp/slotCheck';
import type { BenchClient, DeviceAlert } from '../../protocols/benchClient';
import { RequestError } from '../../protocols/benchClient';
import type { LinkClock } from '../../protocols/linkLayer';
import type { TestParty } from '../../common/credentials/testPki';
import type { RegistrationData } from '../dsp/registrationData';
import type { AdmittedRequest } from '../duis/gateway';
import { alertDescription, alertHex } from '../duis/alertDescriptions';
import type { Document } from '../duis/dom/nodes';
import { DEFAULT_RESPONSE_CODE_PROFILE, PUBLIC_CODES, type ResponseCodeProfile } from '../duis/responseCodes';
import {
  builtDccAlertN24,
  builtErrorResponse,
  builtOnDemand,
  builtSmets1ResponseMessage,
  type BuiltResponse,
  type ThrottleFields,
} from '../duis/responses';
import { signSmets1Response } from '../duis/s1spSigner';
import { signerNow } from '../duis/xmlSignature';
import { AlertThrottle } from './alertThrottle';
import { S1spDefectDraws } from './draws';
import type { S1spSettings } from './harnessQuirks';
import type { S1spKeyStore } from './keyStore';
import { recoverDevice, type RecoveryOutcome } from './recovery';
import { runServiceRequest, type SrContext, type SrOutcome } from './serviceRequests';
import { vendorAdapter, type Vendor, type VendorAdapter } from './vendors';

/** The DCC's own party, originator of DCC alerts (DCC Boxed's ACB id, as in the N24 example). */
const DCC_EUI = '90-B3-D5-1F-30-00-00-02';
/** Origin of the S1SP's signing counters (the bench PKI's validity start). */
const SIGNING_COUNTER_EPOCH_MS = Date.UTC(2025, 0, 1);
/** GBCS 0x8F70 "Update Security Credentials": what a device raises after a credential replacement. */
const UPDATE_SECURITY_CREDENTIALS = 0x8f70;

export type DuisOutputKind = 'response' | 'error' | 'device-alert' | 'dcc-alert';

export interface DuisOutput {
  readonly kind: DuisOutputKind;
  readonly xml: string;
  /** The tree `xml` was written from, when this process built it (responses.ts BuiltResponse): read it, not a parse. */
  readonly document?: () => Document;
  /** Clock time it was produced (ms). */
  readonly at: number;
  /** What the model did to it, when anything: `no ResponseCode (91339/91340)`, `throttle report`. */
  readonly note?: string;
}

/**
 * A built response as a DuisOutput, its text still written only when first read (responses.ts BuiltResponse): an
 * object spread would write it at once.
 */
export function duisOutput(kind: DuisOutputKind, response: BuiltResponse, at: number, note?: string): DuisOutput {
  return new BuiltOutput(kind, response, at, note);
}

/**
 * duisOutput's output. Its `xml` is an own, enumerable getter, as an object literal's would be (a spread of the output
 * reads it, and keeps the text), but one getter serves every output: a literal's getter is a new closure each time,
 * which gives each output a map of its own (responses.ts BuiltTree), several times the cost of defining it here.
 */
class BuiltOutput implements DuisOutput {
  static readonly #xml: PropertyDescriptor = {
    get(this: BuiltOutput): string {
      return this.#response.xml;
    },
    enumerable: true,
  };

  readonly #response: BuiltResponse;
  declare readonly kind: DuisOutputKind;
  declare readonly xml: string;
  declare readonly document: () => Document;
  declare readonly at: number;
  declare readonly note?: string;

  constructor(kind: DuisOutputKind, response: BuiltResponse, at: number, note: string | undefined) {
    this.#response = response;
    this.kind = kind;
    Object.defineProperty(this, 'xml', BuiltOutput.#xml);
    this.document = response.document;
    this.at = at;
    if (note !== undefined) this.note = note;
  }
}

/** Things the S1SP did that leave no DUIS document: a change-of-supplier alert not sent (61224). */
export interface S1spEvent {
  readonly at: number;
  readonly what: string;
}

export interface S1spOptions {
  readonly client: BenchClient;
  readonly clock: LinkClock;
  readonly vendor: Vendor;
  readonly settings: S1spSettings;
  readonly signer: Pick<TestParty, 'privateKey' | 'certificate'>;
  readonly keys: S1spKeyStore;
  /** The DSP's Registration Data: device types (8.9) and who receives a device's alerts. */
  readonly registration: RegistrationData;
  /**
   * The DSP's network-operator check (harness/dsp/slotCheck.ts). In `registered-network-operator` mode the DSP has
   * vouched for a DNO that does not hold the slot, so the S1SP replaces it by the DCC's NObyACB (docs/credentials.md,
   * risk 9). Default `slot-certificate`.
   */
  readonly slotCheck?: SlotCheckMode;
  readonly profile?: ResponseCodeProfile;
  /** Every device alert (and throttle report) as the DUIS user receives it. */
  readonly onAlert: (output: DuisOutput) => void;
}

interface PendingAlert {
  readonly source: string;
  readonly code: number;
  readonly at: number;
}

export class S1spAdapter {
  readonly vendor: VendorAdapter;
  readonly events: S1spEvent[] = [];
  private readonly profile: ResponseCodeProfile;
  private readonly draws: S1spDefectDraws;
  private readonly throttle: AlertThrottle<PendingAlert>;
  /** Devices whose next 0x8F70 reports a change of supplier (6.23 in progress or just done). */
  private readonly cosPending = new Set<string>();
  private lastCounter = 0n;
  private lastSigningCounter = 0;
  private readonly onAlertMessage: (alert: DeviceAlert) => void;
  private readonly deviceTypeOf: SrContext['deviceTypeOf'];
  private readonly signingCounter: SrContext['signingCounter'];

  constructor(private readonly options: S1spOptions) {
    this.vendor = vendorAdapter(options.vendor, options.settings);
    this.profile = options.profile ?? DEFAULT_RESPONSE_CODE_PROFILE;
    this.draws = new S1spDefectDraws(options.settings);
    this.throttle = new AlertThrottle(options.settings.throttle, options.clock, ({ alert, throttle }) =>
      this.sendAlert(alert, throttle),
    );
    this.onAlertMessage = ({ source, alert }) => this.deviceAlert({ source, code: alert.code, at: alert.at });
    options.client.on('alert', this.onAlertMessage);
    this.deviceTypeOf = (eui) => options.registration.device(eui)?.deviceType;
    this.signingCounter = () => this.nextSigningCounter();
  }

  /** The DCC's recovery of a dumb device (recovery.ts): not a DUIS SR, the DCC's own process. */
  recover(target: string): Promise<RecoveryOutcome> {
    return recoverDevice({
      call: (command) => this.options.client.request(target, command),
      keys: this.options.keys,
      target,
      counter: this.nextSigningCounter(),
    });
  }

  /** Runs an admitted request against its device; resolves with the DUIS response(s) the user receives for it. */
  async handle(admitted: AdmittedRequest): Promise<DuisOutput[]> {
    const request = admitted.request;
    const target = request.requestId.target;
    if (request.body.kind === 'UpdateSecurityCredentialsCoS') this.cosPending.add(target);
    let outcome: SrOutcome;
    try {
      outcome = await runServiceRequest({
        admitted,
        vendor: this.vendor,
        // bound, and the others made once: tsx (esbuild keepNames) names every arrow function a literal holds, a
        // property definition each
        call: this.options.client.request.bind(this.options.client, target) as SrContext['call'],
        keys: this.options.keys,
        slotCheck: this.options.slotCheck ?? 'slot-certificate',
        deviceTypeOf: this.deviceTypeOf,
        signingCounter: this.signingCounter,
      });
    } catch (error) {
      this.cosPending.delete(target);
      if (!(error instanceof RequestError)) throw error;
      return [this.error(admitted, PUBLIC_CODES['no-response'], `no response from device ${target}: ${error.message}`)];
    }
    // only a change of supplier that happened raises the alert 61224 is about
    if (outcome.kind === 'unsupported' || !outcome.success) this.cosPending.delete(target);
    if (outcome.kind === 'unsupported')
      return [
        this.error(
          admitted,
          this.profile.unsupportedBySmets1,
          `not supported by this SMETS1 device: ${outcome.reason}`,
        ),
      ];
    const dataMs =
      outcome.networkData === undefined ? 0 : outcome.networkData.records * outcome.networkData.intervalS * 1000;
    if (outcome.networkData !== undefined && this.draws.wanLoses(dataMs)) {
      const days = (dataMs / 86_400_000).toFixed(1);
      return [
        this.error(
          admitted,
          PUBLIC_CODES['no-response'],
          `WAN: the 4.10 response of ${outcome.networkData.records} records (${days} days) was lost (OPSG_34)`,
        ),
      ];
    }
    // the DSP records the new network-operator slot holder once the replacement is done (the slot check reads it)
    if (outcome.replaced?.role === 3 && outcome.success)
      this.options.registration.recordNetworkOperatorSlot(target, request.requestId.originator);

    const now = this.options.clock.now();
    // one date for both (the builders only read it), and the optional fields written as undefined, which the builders
    // leave out: no object spread per response
    const date = new Date(now);
    const signed = signSmets1Response(
      {
        device: target,
        target: request.requestId.originator,
        counter: request.requestId.counter,
        serviceReference: request.serviceReference,
        serviceReferenceVariant: request.serviceReferenceVariant,
        timestamp: date,
      },
      { kind: 'response', rsp: outcome.rsp, debug: outcome.debug },
      this.options.signer,
    );
    const responseCodeMissing = this.draws.responseCodeMissing();
    const response = builtSmets1ResponseMessage({
      requestId: request.requestIdText,
      responseId: `${target}:${request.requestId.originator}:${request.requestId.counter}`,
      responseCode: responseCodeMissing ? undefined : 'I0',
      at: date,
      serviceReference: request.serviceReference,
      serviceReferenceVariant: request.serviceReferenceVariant,
      signed,
    });
    const note = responseCodeMissing ? 'no ResponseCode (91339/91340)' : undefined;
    const outputs: DuisOutput[] = [duisOutput('response', response, now, note)];
    if (request.body.kind === 'UpdateHANDeviceLog') {
      const alert = builtDccAlertN24({
        responseId: `${DCC_EUI}:${request.requestId.originator}:${this.nextCounter()}`,
        at: new Date(now),
        updateHanDeviceLogRequestId: request.requestIdText,
      });
      outputs.push(duisOutput('dcc-alert', alert, now));
    }
    return outputs;
  }

  /** Detaches from the client and stops the throttle windows. */
  close(): void {
    this.options.client.off('alert', this.onAlertMessage);
    this.throttle.stop();
  }

  private error(admitted: AdmittedRequest, code: string, fault: string): DuisOutput {
    const request = admitted.request;
    const now = this.options.clock.now();
    const response = builtErrorResponse({
      requestId: request.requestIdText,
      code,
      fault,
      serviceReference: request.serviceReference,
      serviceReferenceVariant: request.serviceReferenceVariant,
      at: new Date(now),
    });
    return duisOutput('error', response, now);
  }

  private deviceAlert(alert: PendingAlert): void {
    if (alert.code === UPDATE_SECURITY_CREDENTIALS && this.cosPending.delete(alert.source)) {
      if (this.draws.cosAlertMissing()) {
        this.events.push({
          at: this.options.clock.now(),
          what: `61224: change-of-supplier alert 0x8F70 from ${alert.source} not sent`,
        });
        return;
      }
    }
    this.throttle.offer(`${alert.source}/${alert.code}`, alert);
  }

  private sendAlert(alert: PendingAlert, throttle?: ThrottleFields): void {
    const recipients = this.options.registration.meterPointsOf(alert.source);
    const toNetworkOperator = (alert.code & 0xff00) === 0x8000;
    const recipient = (toNetworkOperator ? recipients[0]?.networkOperator : recipients[0]?.supplier) ?? DCC_EUI;
    const counter = this.nextCounter();
    const now = this.options.clock.now();
    const signer = signerNow(this.options.signer);
    // what the alert says is fixed here (recipient, counter, times, the signer's key and certificate); it is written
    // and signed when first read: a migration's alerts are counted off the wire (DuisBench.deviceAlerts) and their
    // documents mostly never read.
    // The signature is deterministic (RFC 6979), so the bytes are the same whenever they are written.
    const response = builtOnDemand(() =>
      builtSmets1ResponseMessage({
        responseId: `${alert.source}:${recipient}:${counter}`,
        responseCode: 'I0',
        at: new Date(now),
        ...(throttle === undefined ? {} : { throttle }),
        signed: signSmets1Response(
          { device: alert.source, target: recipient, counter, timestamp: new Date(alert.at) },
          {
            kind: 'alert',
            alert: {
              code: alert.code,
              timestamp: new Date(alert.at),
              description: alertDescription(alert.code) ?? `GBCS alert 0x${alertHex(alert.code)}`,
            },
          },
          signer,
        ),
      }),
    );
    this.options.onAlert(
      duisOutput(
        'device-alert',
        response,
        now,
        throttle === undefined ? undefined : `throttle report: ${throttle.count} alert(s) held back`,
      ),
    );
  }

  /**
   * Originator counters of the device commands the S1SP signs (4 bytes on the wire): tenths of a second since
   * 2025-01-01 (the bench PKI's start; u32 lasts to 2038), kept strictly increasing, so an S1SP restarted a moment
   * later still counts above everything the devices accepted from it.
   */
  private nextSigningCounter(): number {
    const now = Math.max(0, Math.floor((this.options.clock.now() - SIGNING_COUNTER_EPOCH_MS) / 100));
    this.lastSigningCounter = now > this.lastSigningCounter ? now : this.lastSigningCounter + 1;
    return this.lastSigningCounter;
  }

  /** Counters of S1SP- and DCC-originated messages: the clock in ms (as DCC Boxed), kept strictly increasing. */
  private nextCounter(): bigint {
    const now = BigInt(this.options.clock.now());
    this.lastCounter = now > this.lastCounter ? now : this.lastCounter + 1n;
    return this.lastCounter;
  }
}
