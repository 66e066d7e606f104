/**
 * Type tests, checked by `npm run typecheck` (tsc), never run: the message types are generated from the command
 * table, so a misspelt, renamed or mistyped field is a compile error wherever a message is built or read. Each
 * `@ts-expect-error` fails the type check if the line after it ever compiles; the expected types below are written
 * from docs/contract.md, not from the table.
 */
import type { BenchClient } from '../../protocols/benchClient';
import type { CommandMessage } from '../../protocols/messages';
import type { MessageFields, MessageName, RequestName, ResponseBodies } from '../../protocols/messageTypes.generated';
import type { PayloadCodec } from '../../protocols/payloadCodec';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
declare function expectTrue<T extends true>(): void;

// What the generated types say, against docs/contract.md.
expectTrue<Equal<MessageFields['hanLogAdd'], { deviceId: string; installCode: string; joinPeriod: number }>>();
expectTrue<Equal<MessageFields['setSupply'], { state: 'enabled' | 'disabled' | 'armed' }>>();
expectTrue<
  Equal<
    MessageFields['alertBehaviour'],
    { owner: 'supplier' | 'networkOperator'; alerts: { code: number; enabled: boolean }[] }
  >
>();
expectTrue<Equal<MessageFields['alert'], { code: number; at: number; payload: string }>>();
expectTrue<Equal<ResponseBodies['readDeviceLog'], { entries: { deviceId: string; joined: boolean }[] }>>();
expectTrue<Equal<ResponseBodies['readEventLog'], { entries: { at: number; code: number }[] }>>();
expectTrue<Equal<ResponseBodies['readPaymentMode'], { mode: 'credit' | 'prepayment'; creditBalance: number }>>();
expectTrue<Equal<ResponseBodies['hanLogAdd'], never>>();
expectTrue<Equal<Exclude<MessageName, RequestName>, 'alert'>>();

// Short enough that each request stays on the line its @ts-expect-error names (the formatter keeps lines ≤ 120).
const PPMID = '00-DB-12-34-56-78-90-A3';

async function requests(client: BenchClient): Promise<void> {
  await client.request('CH', {
    type: 'hanLogAdd',
    deviceId: '00-DB-12-34-56-78-90-A3',
    installCode: '00112233445566778899aabbccddeeff',
    joinPeriod: 60,
  });
  // @ts-expect-error a misspelt field: deviceID is no field of hanLogAdd
  await client.request('CH', { type: 'hanLogAdd', deviceID: PPMID, installCode: '00', joinPeriod: 60 });
  // @ts-expect-error a field left out (joinPeriod)
  await client.request('CH', { type: 'hanLogAdd', deviceId: '00-DB-12-34-56-78-90-A3', installCode: '00' });
  // @ts-expect-error a field of the wrong kind: joinPeriod is a number
  await client.request('CH', { type: 'hanLogAdd', deviceId: PPMID, installCode: '00', joinPeriod: '60' });
  // @ts-expect-error not one of the enum's names
  await client.request('ESME', { type: 'setSupply', state: 'on' });
  // @ts-expect-error no such message in the table
  await client.request('ESME', { type: 'selfDestruct' });
  // @ts-expect-error an alert is not a request
  await client.request('ESME', { type: 'alert', code: 1, at: 0, payload: '' });

  const log = await client.request('CH', { type: 'readDeviceLog' });
  const joined: boolean | undefined = log.body?.entries[0]?.joined;
  // @ts-expect-error a misspelt body field
  void log.body?.entrys;
  // @ts-expect-error another message's body field: readDeviceLog has no certificate
  void log.body?.certificate;
  const supply = await client.request('ESME', { type: 'setSupply', state: 'armed' });
  // @ts-expect-error a status-only response has no body fields
  void supply.body?.state;
  void joined;
}

function narrowing(message: CommandMessage): number {
  // @ts-expect-error `to` is not a field of every message
  void message.to;
  if (message.type === 'advanceClock') return message.to;
  return 0;
}

function encoding(codec: PayloadCodec): void {
  codec.encode({ type: 'join', requestId: 1, otherDeviceId: '00-DB-12-34-56-78-90-A3', critical: true });
  // @ts-expect-error critical is a boolean on the wire (0/1), not a number
  codec.encode({ type: 'join', requestId: 1, otherDeviceId: '00-DB-12-34-56-78-90-A3', critical: 1 });
}
