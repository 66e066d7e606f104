/**
 * One admitted service request becomes the device command sequence of the bench protocol (protocols/commandTable.ts,
 * docs/contract.md), and the device's answers become the `…Rsp` of the SR. Every device step is numbered from 1; a
 * step answered with any status but `ok` ends the sequence and becomes an `SMETS1Debug/SMETS1Response` entry with the
 * status byte (protocols/constants.ts ResponseStatus) as its ResponseCode and the step as its Position.
 *
 * A request this bench protocol cannot carry (4.1.1: no register read on the wire; polyphase voltage settings for
 * the single-phase emulated ESME; 6.13 PowerEvent/ALCSEvent logs; 6.15.1 roles other than Supplier and
 * NetworkOperator; SignedPreCommand bodies, whose SMETS1 format is not public; a future-dated 1.6, there being no
 * schedule here) is `unsupported`, answered with the
 * gateway's "not supported by this SMETS1 device" code.
 */
import { ResponseStatus } from '../../protocols/constants';
import type { CommandInput } from '../../protocols/benchClient';
import type { ResponseMessage } from '../../protocols/messages';
import type { RequestName, VoltageConfigFields } from '../../protocols/messageTypes.generated';
import { parseCertificate } from '../../common/credentials/certificate';
import { signClockSync, signReplacement } from '../../common/credentials/testPki';
import { REMOTE_PARTY_ROLES } from '../../common/credentials/roles';
import { REPLACEMENT_MODES, type ReplacementModeName } from '../../common/credentials/replacementModes';
import type { SlotCheckMode } from '../dsp/slotCheck';
import type { AdmittedRequest } from '../duis/gateway';
import type { RequestBody } from '../duis/requestBodies';
import type { RspPayload, Smets1DebugEntry } from '../duis/responses';
import { executionOutcome, joinOutcome, singlePhaseNetworkData } from '../duis/rspContent';
import { supportedService, type DeviceType } from '../duis/serviceCatalogue';
import { el, leaf, type XmlNode } from '../duis/xmlTree';
import { deviceDateTime } from '../duis/responses';
import type { S1spKeyStore } from './keyStore';
import { utrnPence } from './utrn';
import type { VendorAdapter } from './vendors';

export interface SrContext {
  readonly admitted: AdmittedRequest;
  readonly vendor: VendorAdapter;
  /** Sends one command to the request's target device and resolves with its response, whatever the status. */
  readonly call: <N extends RequestName>(command: CommandInput<N>) => Promise<ResponseMessage<N>>;
  readonly keys: S1spKeyStore;
  /** The DSP's network-operator slot check: `registered-network-operator` lets the S1SP replace a wrong holder by NObyACB. */
  readonly slotCheck: SlotCheckMode;
  /** The DSP inventory's type of a device (for 8.9 log entries). */
  readonly deviceTypeOf: (eui: string) => DeviceType | undefined;
  /** The originator counter of the next signed device command (u32, strictly increasing: devices refuse a replay). */
  readonly signingCounter: () => number;
}

export type SrOutcome =
  | {
      readonly kind: 'device';
      readonly success: boolean;
      readonly rsp?: RspPayload;
      readonly debug: readonly Smets1DebugEntry[];
      /** 4.10: how many records the device returned and their interval (s), for the WAN model. */
      readonly networkData?: { readonly records: number; readonly intervalS: number };
      /** 6.23 / 6.15.1 replaced a slot: its role number and the new certificate (hex). */
      readonly replaced?: { readonly role: number; readonly certificate: string };
    }
  | { readonly kind: 'unsupported'; readonly reason: string };

/**
 * A failed step: the device's status, and the sequence stops there. Thrown only inside runServiceRequest's try, which
 * turns it into the outcome; not an Error, whose stack a refusal (an outcome, not a fault) would capture for nobody.
 */
class StepFailure {
  constructor(readonly entry: Smets1DebugEntry) {}
}

class Steps {
  private position = 0;
  constructor(private readonly call: SrContext['call']) {}

  async run<N extends RequestName>(command: CommandInput<N>): Promise<ResponseMessage<N>> {
    this.position += 1;
    const response = await this.call(command);
    if (response.status !== 'ok') {
      throw new StepFailure({
        responseCode: ResponseStatus[response.status],
        position: this.position,
        error: `${command.type} answered ${response.status}`,
      });
    }
    return response;
  }

  fail(error: string, responseCode: number = ResponseStatus.unsupported): never {
    throw new StepFailure({ responseCode, position: this.position + 1, error });
  }
}

const unsupported = (reason: string): SrOutcome => ({ kind: 'unsupported', reason });

export async function runServiceRequest(ctx: SrContext): Promise<SrOutcome> {
  const { body } = ctx.admitted.request;
  const srv = ctx.admitted.request.serviceReferenceVariant;
  const responseElement = supportedService(srv)?.responseElement;
  if (responseElement === undefined) return unsupported(`SRV ${srv} is not carried by this S1SP`);
  const refusal = refusalOf(body);
  if (refusal !== undefined) return unsupported(refusal);
  const steps = new Steps(ctx.call);
  // bound rather than an arrow: tsx (esbuild keepNames) names every arrow function it makes, a property definition each
  const ok = succeeded.bind(undefined, responseElement);
  try {
    return await perform(ctx, body, steps, ok);
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    return { kind: 'device', success: false, debug: [error.entry], ...failedRsp(responseElement, body, error.entry) };
  }
}

/** A step sequence that succeeded: the SR's `…Rsp` with MessageSuccess true and `content`. */
function succeeded(
  responseElement: string,
  content?: readonly XmlNode[],
  extra: Partial<Extract<SrOutcome, { kind: 'device' }>> = {},
): SrOutcome {
  return {
    kind: 'device',
    success: true,
    rsp: { element: responseElement, messageSuccess: true, ...(content === undefined ? {} : { content }) },
    debug: [],
    ...extra,
  };
}

/** What the bench protocol cannot carry, decided before any device step. */
function refusalOf(body: RequestBody): string | undefined {
  switch (body.kind) {
    case 'ReadInstantaneousImportRegisters':
      return 'the bench protocol has no register read (docs/protocol.md): 4.1.1 cannot reach the device';
    case 'SignedPreCommand':
      return 'a SMETS1 pre-command format is not public: signed pre-commands (CV 5–7) are not carried';
    case 'UpdatePaymentMode':
      return body.executionDateTime === undefined
        ? undefined
        : `a future-dated (or cancelled) payment mode change, ExecutionDateTime ${body.executionDateTime}: this S1SP runs commands now and keeps no schedule`;
    case 'UpdateDeviceConfigurationVoltage':
      return body.polyPhase ? 'polyphase voltage settings: the emulated ESME is single-phase' : undefined;
    case 'ReadEventOrSecurityLog':
      return body.logToRead === 'Event' || body.logToRead === 'Security'
        ? undefined
        : `LogToRead ${body.logToRead}: the devices keep only the event and security logs`;
    case 'UpdateSecurityCredentialsKRP':
      return KRP_MODES[body.remotePartyRole] === undefined
        ? `RemotePartyRole ${body.remotePartyRole}: a SMETS1 device has no ${body.remotePartyRole} slot here (Supplier and NetworkOperator only)`
        : undefined;
    default:
      return undefined;
  }
}

/** 6.15.1 role → the device slot and the replacement mode. */
const KRP_MODES: Readonly<Record<string, { role: number; mode: ReplacementModeName; duisMode: string }>> = {
  Supplier: { role: 2, mode: 'supplierBySupplier', duisMode: 'SupplierBySupplier' },
  NetworkOperator: { role: 3, mode: 'NObyNO', duisMode: 'NetworkOperatorByNetworkOperator' },
};

/** RMSVoltageSettings element → the voltageConfig field (docs/contract.md): the device takes every one at once. */
const RMS_FIELDS: Readonly<Record<string, keyof VoltageConfigFields>> = {
  RMSExtremeOverVoltageThreshold: 'extremeOverThreshold',
  RMSExtremeOverVoltageMeasurementPeriod: 'extremeOverPeriod',
  RMSExtremeUnderVoltageThreshold: 'extremeUnderThreshold',
  RMSExtremeUnderVoltageMeasurementPeriod: 'extremeUnderPeriod',
  RMSVoltageSagThreshold: 'sagThreshold',
  RMSVoltageSagMeasurementPeriod: 'sagPeriod',
  RMSVoltageSwellThreshold: 'swellThreshold',
  RMSVoltageSwellMeasurementPeriod: 'swellPeriod',
};

/** Alert codes of the average RMS voltage counters 4.10 reports (primer: 0x8002 over, 0x8006 under). */
const AVERAGE_OVER_VOLTAGE = 0x8002;
const AVERAGE_UNDER_VOLTAGE = 0x8006;
/** The emulated ESME's network-data interval when fewer than two records say otherwise (devices/esme profile: 30 min). */
const DEFAULT_INTERVAL_S = 1800;
/** ReadEventOrSecurityLogRsp/Log holds at most 100 entries (MMC schema LogType). */
const MAX_LOG_ENTRIES = 100;

async function perform(
  ctx: SrContext,
  body: RequestBody,
  steps: Steps,
  ok: (content?: readonly XmlNode[], extra?: Partial<Extract<SrOutcome, { kind: 'device' }>>) => SrOutcome,
): Promise<SrOutcome> {
  switch (body.kind) {
    case 'UpdateHANDeviceLog':
      if (body.change.type === 'Remove') {
        await steps.run({ type: 'hanLogRemove', deviceId: body.deviceId });
      } else {
        await steps.run({
          type: 'hanLogAdd',
          deviceId: body.deviceId,
          installCode: body.change.installCode.toLowerCase(),
          joinPeriod: ctx.vendor.joinPeriodFor(body.change.joinTimePeriod),
        });
      }
      return ok();
    case 'JoinService':
      await steps.run({ type: 'join', otherDeviceId: body.otherDeviceId, critical: body.critical });
      return ok([joinOutcome('joinResponseCode', 'success', ResponseStatus.ok)]);
    case 'UnjoinService':
      await steps.run({ type: 'unjoin', otherDeviceId: body.otherDeviceId });
      return ok([joinOutcome('unjoinResponseCode', 'success', ResponseStatus.ok)]);
    case 'ReadDeviceLog': {
      const response = await steps.run({ type: 'readDeviceLog' });
      const entries = response.body?.entries ?? [];
      return ok([
        el(
          'ra:DeviceLogEntries',
          null,
          ...entries.map((e) =>
            el(
              'ra:LogEntry',
              null,
              leaf('ra:DeviceID', e.deviceId),
              leaf('ra:DeviceType', ctx.deviceTypeOf(e.deviceId) ?? 'Type2'),
            ),
          ),
        ),
      ]);
    }
    case 'CommissionDevice':
      await steps.run({
        type: 'commission',
        currentTime: Date.parse(body.currentDateTime),
        tolerancePeriod: body.tolerancePeriod,
      });
      return ok();
    case 'SynchroniseClock': {
      // signed by the device's supplier (docs/credentials.md): the S1SP signs with the key it holds for that slot
      const supplier = await steps.run({ type: 'readCredentials', role: REMOTE_PARTY_ROLES.supplier });
      const key = ctx.keys.keyFor(supplier.body?.certificate ?? '');
      if (key === undefined)
        steps.fail(
          'the S1SP holds no private key for the supplier certificate, so it cannot sign clockSync',
          ResponseStatus.authenticationFailed,
        );
      const fields = { currentTime: Date.parse(body.currentDateTime), counter: ctx.signingCounter() };
      await steps.run({
        type: 'clockSync',
        ...fields,
        signature: signClockSync(fields, ctx.admitted.request.requestId.target, key),
      });
      return ok();
    }
    case 'UpdateDeviceConfigurationVoltage': {
      const command: Partial<CommandInput<'voltageConfig'>> = { type: 'voltageConfig' };
      for (const [duis, field] of Object.entries(RMS_FIELDS)) {
        const value = body.rms[duis];
        if (value === undefined)
          steps.fail(
            `${duis} missing: the device's voltageConfig sets every threshold and period at once`,
            ResponseStatus.invalidParameter,
          );
        command[field] = value;
      }
      const average = body.average.find((a) => a.phase === 1);
      if (average === undefined)
        steps.fail(
          'no average RMS voltage settings: the device sets them with the others',
          ResponseStatus.invalidParameter,
        );
      command.averageOverThreshold = average.overThreshold;
      command.averageUnderThreshold = average.underThreshold;
      command.averageMeasurementPeriod = average.measurementPeriod;
      // Every field is set: a missing one failed the step above.
      await steps.run(command as CommandInput<'voltageConfig'>);
      return ok();
    }
    case 'InstantaneousPowerThreshold':
      await steps.run({
        type: 'powerThresholds',
        lowMediumThreshold: body.lowMedium,
        mediumHighThreshold: body.mediumHigh,
      });
      return ok();
    case 'ConfigureAlertBehaviour':
      await steps.run({
        type: 'alertBehaviour',
        owner: ctx.admitted.userRole === 'ED' || ctx.admitted.userRole === 'GT' ? 'networkOperator' : 'supplier',
        alerts: body.alerts.map((a) => ({ code: a.code, enabled: a.setting === 'Enable' })),
      });
      return ok();
    case 'UpdateDeviceConfigurationGasFlow': {
      // UncontrolledGasFlowRate is in 1/10000 m³/h (GCS24 sends 61680 where GCS24a sends the decimal 6.1680)
      const rate =
        body.settings.UncontrolledGasFlowRateDecimal ??
        (body.settings.UncontrolledGasFlowRate === undefined
          ? undefined
          : String(Number(body.settings.UncontrolledGasFlowRate) / 10_000));
      if (rate === undefined) steps.fail('no UncontrolledGasFlowRate', ResponseStatus.invalidParameter);
      await steps.run({
        type: 'gasFlowConfig',
        uncontrolledFlowRateThreshold: Number(rate),
        averagingPeriod: Number(body.settings.MeasurementPeriod),
      });
      return ok();
    }
    case 'ReadEventOrSecurityLog': {
      const response = await steps.run({
        type: 'readEventLog',
        log: body.logToRead === 'Security' ? 'security' : 'event',
        from: body.period === undefined ? 0 : Date.parse(body.period.start),
        to: body.period === undefined ? Date.UTC(2100, 0, 1) : Date.parse(body.period.end),
      });
      const entries = (response.body?.entries ?? []).slice(-MAX_LOG_ENTRIES);
      return ok([
        el(
          'ra:Log',
          null,
          ...entries.map((e) =>
            el(
              'ra:LogEntry',
              null,
              leaf('ra:Timestamp', deviceDateTime(new Date(e.at))),
              leaf('ra:LogCode', e.code.toString(16).toUpperCase().padStart(4, '0')),
            ),
          ),
        ),
      ]);
    }
    case 'ReadNetworkData': {
      const from = Date.parse(body.period.start);
      const to = Date.parse(body.period.end);
      const data = await steps.run({ type: 'readNetworkData', from, to });
      const records = data.body?.records ?? [];
      // The counters of average over/under-voltage events in the period: the device's own event log.
      const log = await steps.run({ type: 'readEventLog', log: 'event', from, to });
      const events = log.body?.entries ?? [];
      if (records.length > 4320)
        steps.fail(`${records.length} records: a 4.10 response holds at most 4320`, ResponseStatus.invalidParameter);
      const interval = records.length >= 2 ? Math.round((records[1].at - records[0].at) / 1000) : DEFAULT_INTERVAL_S;
      return ok(
        [
          singlePhaseNetworkData({
            overVoltageCounter: events.filter((e) => e.code === AVERAGE_OVER_VOLTAGE).length,
            underVoltageCounter: events.filter((e) => e.code === AVERAGE_UNDER_VOLTAGE).length,
            profile: records.map((r) => ({ value: r.averageRmsVoltage, timestamp: new Date(r.at) })),
            measurementPeriod: interval,
          }),
        ],
        { networkData: { records: records.length, intervalS: interval } },
      );
    }
    case 'EnableSupply':
    case 'DisableSupply':
    case 'ArmSupply':
      await steps.run({
        type: 'setSupply',
        state: body.kind === 'EnableSupply' ? 'enabled' : body.kind === 'DisableSupply' ? 'disabled' : 'armed',
      });
      return ok();
    case 'ReadSupplyStatus': {
      const response = await steps.run({ type: 'readSupply' });
      const state = response.body?.state ?? '';
      return ok([leaf('ra:SupplyState', state.charAt(0).toUpperCase() + state.slice(1))]);
    }
    case 'UpdatePaymentMode':
      await steps.run({ type: 'setPaymentMode', mode: body.mode });
      return ok();
    case 'TopUpDevice':
      await steps.run({ type: 'topUp', amount: utrnPence(body.utrn) });
      return ok();
    case 'UpdateSecurityCredentialsKRP': {
      const { role, mode, duisMode } = KRP_MODES[body.remotePartyRole];
      return replace(ctx, steps, ok, {
        role,
        mode,
        duisMode,
        duisRole: body.remotePartyRole,
        certificates: body.replacementCertificates,
      });
    }
    case 'UpdateSecurityCredentialsCoS':
      return replace(ctx, steps, ok, {
        role: 2,
        mode: 'supplierByTransCoS',
        duisMode: 'SupplierByTransCoS',
        duisRole: 'Supplier',
        certificates: body.replacementCertificates,
      });
    default:
      return unsupported(`${body.kind} has no device command`);
  }
}

/**
 * 6.15.1 / 6.23: read the slot the mode's signature must come from, sign with the key the S1SP holds for that
 * certificate, replace. A SMETS1 device here has one certificate per role: the DigitalSigningCertificate is installed
 * (decision: the key-agreement certificate has no slot of its own on the emulated devices).
 */
async function replace(
  ctx: SrContext,
  steps: Steps,
  ok: (content?: readonly XmlNode[], extra?: Partial<Extract<SrOutcome, { kind: 'device' }>>) => SrOutcome,
  input: {
    role: number;
    mode: ReplacementModeName;
    duisMode: string;
    duisRole: string;
    certificates: Readonly<Record<string, string>>;
  },
): Promise<SrOutcome> {
  const base64 = input.certificates.DigitalSigningCertificate ?? Object.values(input.certificates)[0];
  if (base64 === undefined) steps.fail('no replacement certificate in the request', ResponseStatus.invalidParameter);
  const certificate = Buffer.from(base64, 'base64').toString('hex');
  const existing = await steps.run({ type: 'readCredentials', role: input.role });
  const mode = replacementMode(ctx, input.mode, existing.body?.certificate ?? '');
  const signedBy = REPLACEMENT_MODES.find((m) => m.name === mode)!.signedBy;
  const signer = signedBy === input.role ? existing : await steps.run({ type: 'readCredentials', role: signedBy });
  const key = ctx.keys.keyFor(signer.body?.certificate ?? '');
  if (key === undefined)
    steps.fail(
      `the S1SP holds no private key for the certificate in slot ${signedBy}, so it cannot sign ${mode}`,
      ResponseStatus.authenticationFailed,
    );
  const unsigned = { role: input.role as 0, mode, certificate, counter: ctx.signingCounter() };
  await steps.run({
    type: 'replaceCredentials',
    ...unsigned,
    signature: signReplacement(unsigned, ctx.admitted.request.requestId.target, key),
  });
  return ok(
    [
      executionOutcome({
        replacementMode: input.duisMode,
        outcomes: [
          {
            status: 'success',
            statusResponseCode: ResponseStatus.ok,
            certificateType: 'DigitalSigning',
            remotePartyRole: input.duisRole,
            ...entityIdOf('existingRemotePartyId', existing.body?.certificate ?? ''),
            ...entityIdOf('newRemotePartyId', certificate),
          },
        ],
      }),
    ],
    { replaced: { role: input.role, certificate } },
  );
}

/**
 * Risk 9's fix at the device: with the DSP in `registered-network-operator` mode, a 6.15.1 from the registered DNO reaches the
 * S1SP although the slot holds another party's certificate. NObyNO would need the holder's signature, so the S1SP
 * replaces the slot by NObyACB, signed with the DCC's access-control-broker key (assumed: docs/credentials.md). The
 * DUIS response still names the mode the user asked for.
 */
function replacementMode(
  ctx: SrContext,
  requested: ReplacementModeName,
  holderCertificate: string,
): ReplacementModeName {
  if (requested !== 'NObyNO' || ctx.slotCheck !== 'registered-network-operator' || holderCertificate === '')
    return requested;
  let holder: string;
  try {
    holder = parseCertificate(holderCertificate).entityId;
  } catch {
    return 'NObyACB';
  }
  return holder === ctx.admitted.request.requestId.originator ? requested : 'NObyACB';
}

function entityIdOf(key: 'existingRemotePartyId' | 'newRemotePartyId', certificateHex: string): Record<string, string> {
  if (certificateHex === '') return {};
  try {
    return { [key]: parseCertificate(certificateHex).entityId };
  } catch {
    return {};
  }
}

/** The `…Rsp` of a failed SR when its mandatory content can say so; otherwise only the debug entry is sent. */
function failedRsp(element: string, body: RequestBody, entry: Smets1DebugEntry): { rsp?: RspPayload } {
  switch (body.kind) {
    case 'JoinService':
      return {
        rsp: {
          element,
          messageSuccess: false,
          content: [joinOutcome('joinResponseCode', 'otherFailure', entry.responseCode)],
        },
      };
    case 'UnjoinService':
      return {
        rsp: {
          element,
          messageSuccess: false,
          content: [joinOutcome('unjoinResponseCode', 'otherFailure', entry.responseCode)],
        },
      };
    case 'ReadNetworkData':
      return {}; // Electricity or Gas data is mandatory in ReadNetworkDataRsp
    default:
      return { rsp: { element, messageSuccess: false } };
  }
}
