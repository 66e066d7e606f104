import { createDeviceCoreContext, type DeviceCoreContext, type DeviceCoreInput } from '../common/coreContext';
import type { Eui } from '../common/types';

export interface PpmidContext extends DeviceCoreContext {
  /** The install code printed on the device; the CH's 8.11 entry must carry the same one. Lower-case hex. */
  installCode: string;
  /** Seconds to wait for the CH's answer to a join request (vendor profile). */
  joinAttemptTimeout: number;
  /** When the join attempt in progress gives up, ms (0: none yet). */
  joinAttemptDeadline: number;
  /** Seconds from a failed attempt to the next one while powered (vendor profile). */
  joinRetryInterval: number;
  /**
   * When the next join attempt starts, ms (0: none scheduled). In context, not only in an `after` timer, so a
   * restored PPMID retries at the same virtual time (common/timersResumption.ts).
   */
  nextJoinAttemptAt: number;
  /** Meters this PPMID is bound to (their 8.7 join service named it). */
  bindings: Eui[];
}

export interface PpmidInput extends DeviceCoreInput {
  installCode: string;
}

export function createPpmidContext(input: PpmidInput): PpmidContext {
  return createDeviceCoreContext('PPMID', input, {
    installCode: input.installCode.toLowerCase(),
    joinAttemptTimeout: input.profile.ppmid.joinAttemptTimeout.value,
    joinAttemptDeadline: 0,
    joinRetryInterval: input.profile.ppmid.joinRetryInterval.value,
    nextJoinAttemptAt: 0,
    bindings: [] as Eui[],
  });
}
