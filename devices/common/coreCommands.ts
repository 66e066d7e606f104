/**
 * Handlers (pure: context, event, now → Outcome) for the commands every device answers the same way:
 * readDeviceInfo, readCredentials, replaceCredentials, readEventLog, commission, clockSync, injectFault, and the
 * refusals (unsupported, dumbMode). Device machines wire them through deviceCore.ts.
 */
import { applyReplacement, isRemotePartyRole, readCredential, type ReplacementRequest } from '../credentials';
import { Alert } from './alertCodes';
import { deviceTime, type DeviceCoreContext } from './coreContext';
import { isLogName, readLog } from './eventLog';
import type { Handler } from './outcome';
import type { CommandEvent } from './types';

type CoreHandler = Handler<DeviceCoreContext, CommandEvent>;

/** Internal events the core raises for the `migration` region (never sent from outside). */
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
  const { role } = event as { role?: unknown };
  if (!isRemotePartyRole(role)) return { response: { status: 'invalidParameter' } };
  return { response: { status: 'ok', body: readCredential(context.credentials, role) } };
};

/**
 * SR 6.15.1 / 6.23. The credentials module decides (authentication, authority, certificate); a refusal leaves
 * every slot as it was and raises 0x8F3D or 0x8F30. The certificate's validity is checked against device time.
 * The outcome is also raised for the migration region: a refusal in the middle of a credential swap is what
 * turns a migrating device dumb.
 */
export const replaceCredentials: CoreHandler = ({ context, event, now }) => {
  const request = event as unknown as ReplacementRequest;
  const result = applyReplacement(context.credentials, request, { now: deviceTime(context, now), checkValidity: true });
  const mode = String(request.mode);
  if (!result.ok) {
    return {
      response: { status: result.status },
      alerts: [{ code: result.alert }],
      raise: [{ type: 'core.credentialsRefused', mode }],
    };
  }
  return {
    context: { credentials: result.slots },
    response: { status: 'ok' },
    alerts: [{ code: result.alert }],
    raise: [{ type: 'core.credentialsReplaced', mode }],
  };
};

export const readEventLog: CoreHandler = ({ context, event }) => {
  const { log, from, to } = event as { log?: unknown; from?: unknown; to?: unknown };
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
  const { currentTime, tolerancePeriod } = event as { currentTime?: unknown; tolerancePeriod?: unknown };
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

export const clockSync: CoreHandler = ({ event, now }) => {
  const { currentTime } = event as { currentTime?: unknown };
  if (!isFiniteNumber(currentTime)) return { response: { status: 'invalidParameter' } };
  return { context: { deviceClockOffset: currentTime - now }, response: { status: 'ok' } };
};

/** Bench control: the only fault of the contract is the HAN loss rate. */
export const injectFault: CoreHandler = ({ event }) => {
  const { fault, value } = event as { fault?: unknown; value?: unknown };
  if (fault !== 'hanFailureRate' || !isFiniteNumber(value) || value < 0 || value > 1) {
    return { response: { status: 'invalidParameter' } };
  }
  return { context: { hanFailureRate: value }, response: { status: 'ok' } };
};
