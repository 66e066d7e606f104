/**
 * The DCC's recovery of a dumb device: the one way out of dumb mode (docs/migration.md "Dumb mode"). No DUIS SR
 * carries it (6.15.1's replacement modes are the users' own); the DCC runs it itself, as the party in the device's
 * recovery slot. It re-installs the certificate the supplier slot holds now, by GBCS `anyExceptAbnormalRootByRecovery`
 * signed with the recovery party's key: the device accepts it (0x8F70) and is back in its credential swap, which a
 * migration then completes (the slots already hold the SMSO's certificates after the failed attempt's rollback).
 */
import type { CommandInput } from '../../protocols/benchClient';
import type { ResponseMessage } from '../../protocols/messages';
import type { RequestName } from '../../protocols/messageTypes.generated';
import { REMOTE_PARTY_ROLES } from '../../common/credentials/roles';
import { signReplacement } from '../../common/credentials/testPki';
import type { S1spKeyStore } from './keyStore';

export interface RecoveryContext {
  /** Sends one command to the device and resolves with its response, whatever the status. */
  readonly call: <N extends RequestName>(command: CommandInput<N>) => Promise<ResponseMessage<N>>;
  readonly keys: S1spKeyStore;
  readonly target: string;
  /** The originator counter of the replacement (strictly above the last the device accepted from the recovery party). */
  readonly counter: number;
}

/** What the recovery did: the device's status, or why nothing was sent. */
export type RecoveryOutcome =
  { readonly sent: true; readonly status: string } | { readonly sent: false; readonly reason: string };

export async function recoverDevice(ctx: RecoveryContext): Promise<RecoveryOutcome> {
  const recovery = await ctx.call({ type: 'readCredentials', role: REMOTE_PARTY_ROLES.recovery });
  const supplier = await ctx.call({ type: 'readCredentials', role: REMOTE_PARTY_ROLES.supplier });
  if (recovery.status !== 'ok' || supplier.status !== 'ok') {
    return {
      sent: false,
      reason: `reading the recovery and supplier slots of ${ctx.target} was answered ${recovery.status} / ${supplier.status}`,
    };
  }
  const key = ctx.keys.keyFor(recovery.body?.certificate ?? '');
  if (key === undefined)
    return {
      sent: false,
      reason: `the DCC holds no private key for the certificate in the recovery slot of ${ctx.target}`,
    };
  const unsigned = {
    role: REMOTE_PARTY_ROLES.supplier,
    mode: 'anyExceptAbnormalRootByRecovery' as const,
    certificate: supplier.body?.certificate ?? '',
    counter: ctx.counter,
  };
  const response = await ctx.call({
    type: 'replaceCredentials',
    ...unsigned,
    signature: signReplacement(unsigned, ctx.target, key),
  });
  return { sent: true, status: response.status };
}
