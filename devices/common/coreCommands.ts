/**
 * Handlers (pure: context, event, now → Outcome) for the commands every device answers the same way:
 * readDeviceInfo, readCredentials, replaceCredentials, readEventLog, commission, clockSync, injectFault, and the
 * refusals (unsupported, dumbMode). Device machines wire them through deviceCore.ts.
 */
import { isRemotePartyRole } from '../../common/credentials/roles';
import {
  applyReplacement,
  authoriseClockSync,
  readCredential,
  type ClockSyncRequest,
  type ReplacementRequest,
} from '../credentials';
import { Alert } from './alertCodes';
import { deviceTime, type DeviceCoreContext } from './coreContext';
import { isLogName, readLog } from './eventLog';
import type { Handler } from './outcome';
import type { CommandEvent, EventFields } from './types';

type CoreHandler = Handler<DeviceCoreContext, CommandEvent>;

/** Internal events the core raises to move the migration (deviceCore.ts migrationOn; never sent from outside). */
export type CoreInternalEvent =
  | { type: 'core.credentialsReplaced'; mode: string }
  | { type: 'core.credentialsRefused'; mode: string }
  | { type: 'core.commissioned' };

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export const respondUnsupported: CoreHandler = () => ({ response: { status: 'unsupported' } });

/** A dumb device keeps its credentials, info and logs but answers every smart function like this. */
export const respondDumbMode: CoreHandler = () => ({ response: { status: 'dumbMode' } });

export const readDeviceInfo: CoreHandler = ({ context }) => ({
  response: {
    status: 'ok',
    body: {
      deviceType: context.deviceType,
      vendor: context.vendor,
      firmwareVersion: context.firmwareVersion,
      migrationState: context.migrationState,
      commissioned: context.commissioned,
    },
  },
});

export const readCredentials: CoreHandler = ({ context, event }) => {
  const { role } = event as EventFields<'readCredentials'>;
  if (!isRemotePartyRole(role)) return { response: { status: 'invalidParameter' } };
  return { response: { status: 'ok', body: readCredential(context.credentials, role) } };
};

/**
 * SR 6.15.1 / 6.23. The credentials module decides (shape, authentication of the signer with the target EUI and
 * its originator counter, authority, the certificate's chain to the root slot and validity at device time); a
 * refusal leaves every slot as it was and raises 0x8F3D, 0x8F30 or 0x8F3E.
 *
 * Only an authenticated request that then fails raises `core.credentialsRefused`, the event that turns a device
 * dumb in the middle of a credential swap: a forged, replayed or malformed request changes nothing at all (issue 7
 * §2, issue 8 item 18). That an authenticated step failing part-way is what leaves the device dumb is assumed:
 * the seeds report one device left dumb by a failed migration without saying why; this is the one cause that
 * only a party the device trusts can bring about.
 */
export const replaceCredentials: CoreHandler = ({ context, event, now }) => {
  const request = event as unknown as ReplacementRequest;
  const result = applyReplacement(context.credentials, request, {
    now: deviceTime(context, now),
    checkValidity: true,
    targetEui: context.eui,
    counters: context.originatorCounters ?? {},
  });
  const mode = String(request.mode);
  if (!result.ok) {
    if (!result.authenticated) return { response: { status: result.status }, alerts: [{ code: result.alert }] };
    return {
      context: { originatorCounters: result.counters },
      response: { status: result.status },
      alerts: [{ code: result.alert }],
      raise: [{ type: 'core.credentialsRefused', mode }],
    };
  }
  return {
    context: { credentials: result.slots, originatorCounters: result.counters },
    response: { status: 'ok' },
    alerts: [{ code: result.alert }],
    raise: [{ type: 'core.credentialsReplaced', mode }],
  };
};

export const readEventLog: CoreHandler = ({ context, event }) => {
  const { log, from, to } = event as EventFields<'readEventLog'>;
  if (!isLogName(log) || !isFiniteNumber(from) || !isFiniteNumber(to) || from > to) {
    return { response: { status: 'invalidParameter' } };
  }
  return { response: { status: 'ok', body: { entries: readLog(context.logs, log, from, to) } } };
};

/**
 * SR 8.1.1. The device accepts the commissioning only if the sender's currentTime is within tolerancePeriod of
 * its own clock (GBCS: a device refuses a command whose time it cannot trust); it then adopts currentTime.
 */
export const commission: CoreHandler = ({ context, event, now }) => {
  const { currentTime, tolerancePeriod } = event as EventFields<'commission'>;
  if (!isFiniteNumber(currentTime) || !isFiniteNumber(tolerancePeriod) || tolerancePeriod < 0) {
    return { response: { status: 'invalidParameter' } };
  }
  if (Math.abs(currentTime - deviceTime(context, now)) > tolerancePeriod * 1000) {
    return { response: { status: 'invalidParameter' } };
  }
  return {
    context: { commissioned: true, deviceClockOffset: currentTime - now },
    response: { status: 'ok' },
    alerts: [{ code: Alert.deviceCommissioned }],
    raise: [{ type: 'core.commissioned' }],
  };
};

/**
 * Sets the device clock. Signed by the supplier for this device with a fresh counter (credentials/
 * clockSyncAuthority.ts; the supplier as the authorising role is assumed); the supplier's certificate must be
 * valid at the device's current time. A refusal changes neither the clock nor anything else.
 */
export const clockSync: CoreHandler = ({ context, event, now }) => {
  const request = event as unknown as ClockSyncRequest;
  const counters = context.originatorCounters ?? {};
  const result = authoriseClockSync(context.credentials, counters, request, {
    now: deviceTime(context, now),
    checkValidity: true,
    targetEui: context.eui,
  });
  if (!result.ok) return { response: { status: result.status }, alerts: [{ code: result.alert }] };
  return {
    context: { deviceClockOffset: request.currentTime - now, originatorCounters: result.counters },
    response: { status: 'ok' },
  };
};

/** Bench control: the only fault of the contract is the HAN loss rate. */
export const injectFault: CoreHandler = ({ event }) => {
  const { fault, value } = event as EventFields<'injectFault'>;
  if (fault !== 'hanFailureRate' || !isFiniteNumber(value) || value < 0 || value > 1) {
    return { response: { status: 'invalidParameter' } };
  }
  return { context: { hanFailureRate: value }, response: { status: 'ok' } };
};
