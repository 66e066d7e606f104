import { describe, expect, it } from 'vitest';
import { ppmidMachine } from '../../devices/ppmid';
import { elsterProfile } from '../../devices/profiles';
import { restartFromPersisted, startDevice, T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const PPMID = '00-DB-12-34-56-78-90-A3';
const ESME = '00-DB-12-34-56-78-90-A0';

const input = {
  eui: PPMID,
  profile: elsterProfile,
  credentials: initialSlots,
  installCode: '30313233343536373839414243444546',
};
const startPpmid = () => startDevice(ppmidMachine, input);
const hanState = (ppmid: ReturnType<typeof startPpmid>) => (ppmid.actor.getSnapshot().value as { han: string }).han;

describe('PPMID', () => {
  it('is off until powered on, then waits for the CH', () => {
    const ppmid = startPpmid();
    expect(ppmid.actor.getSnapshot().value).toMatchObject({ han: 'off' });
    expect(ppmid.command('powerOn').status).toBe('ok');
    expect(ppmid.actor.getSnapshot().value).toMatchObject({ han: 'joining' });
  });

  it('gives up after the join attempt timeout (30 s, assumed) when nobody answers', () => {
    const ppmid = startPpmid();
    ppmid.command('powerOn');
    ppmid.clock.advanceBySync(29_999);
    expect(ppmid.actor.getSnapshot().value).toMatchObject({ han: 'joining' });
    ppmid.clock.advanceBySync(1);
    expect(ppmid.actor.getSnapshot().value).toMatchObject({ han: 'notJoined' });
  });

  it('joins when the CH lets it in, records bindings, and drops them when it leaves the HAN', () => {
    const ppmid = startPpmid();
    ppmid.command('powerOn');
    ppmid.actor.send({ type: 'han.joinResult', joined: true });
    expect(ppmid.actor.getSnapshot().value).toMatchObject({ han: 'joined' });
    ppmid.actor.send({ type: 'han.bound', meterId: ESME });
    expect(ppmid.actor.getSnapshot().context.bindings).toEqual([ESME]);
    ppmid.actor.send({ type: 'han.unbound', meterId: ESME });
    expect(ppmid.actor.getSnapshot().context.bindings).toEqual([]);
    ppmid.actor.send({ type: 'han.bound', meterId: ESME });
    ppmid.actor.send({ type: 'han.peerLeft', deviceId: PPMID });
    expect(ppmid.actor.getSnapshot().value).toMatchObject({ han: 'notJoined' });
    expect(ppmid.actor.getSnapshot().context.bindings).toEqual([]);
  });

  it('refused, it tries again 60 s later (assumed retry interval) while powered, without a power cycle', () => {
    const ppmid = startPpmid();
    ppmid.command('powerOn');
    ppmid.actor.send({ type: 'han.joinResult', joined: false });
    expect(hanState(ppmid)).toBe('notJoined');
    expect(ppmid.actor.getSnapshot().context).toMatchObject({ nextJoinAttemptAt: T0 + 60_000, joinAttemptDeadline: 0 });
    ppmid.clock.advanceBySync(59_999);
    expect(hanState(ppmid)).toBe('notJoined');
    ppmid.clock.advanceBySync(1);
    // the second attempt: waiting for the CH again, with a fresh 30 s timeout
    expect(hanState(ppmid)).toBe('joining');
    expect(ppmid.actor.getSnapshot().context).toMatchObject({ nextJoinAttemptAt: 0, joinAttemptDeadline: T0 + 90_000 });
    ppmid.actor.send({ type: 'han.joinResult', joined: true });
    expect(hanState(ppmid)).toBe('joined');
  });

  it('an unanswered attempt times out at +30 s and the next starts 60 s after that', () => {
    const ppmid = startPpmid();
    ppmid.command('powerOn');
    ppmid.clock.advanceBySync(30_000);
    expect(hanState(ppmid)).toBe('notJoined');
    expect(ppmid.actor.getSnapshot().context.nextJoinAttemptAt).toBe(T0 + 90_000);
    ppmid.clock.advanceBySync(59_999);
    expect(hanState(ppmid)).toBe('notJoined');
    ppmid.clock.advanceBySync(1);
    expect(hanState(ppmid)).toBe('joining');
  });

  it('keeps trying every 60 s for as long as it is refused: attempts at +0, +60, … +3600 s in an hour', () => {
    const ppmid = startPpmid();
    const attempts: number[] = [];
    ppmid.command('powerOn');
    for (let step = 0; step < 3600; step += 1) {
      if (hanState(ppmid) === 'joining') {
        attempts.push(ppmid.clock.now() - T0);
        ppmid.actor.send({ type: 'han.joinResult', joined: false });
      }
      ppmid.clock.advanceBySync(1_000);
    }
    if (hanState(ppmid) === 'joining') attempts.push(ppmid.clock.now() - T0);
    expect(attempts).toEqual(Array.from({ length: 61 }, (_, i) => i * 60_000));
  });

  it('a power cycle while waiting tries at once', () => {
    const ppmid = startPpmid();
    ppmid.command('powerOn');
    ppmid.actor.send({ type: 'han.joinResult', joined: false });
    ppmid.clock.advanceBySync(10_000);
    ppmid.command('powerOn');
    expect(hanState(ppmid)).toBe('joining');
    expect(ppmid.actor.getSnapshot().context.joinAttemptDeadline).toBe(T0 + 40_000);
  });

  it('taken off the HAN, it starts trying again 60 s later', () => {
    const ppmid = startPpmid();
    ppmid.command('powerOn');
    ppmid.actor.send({ type: 'han.joinResult', joined: true });
    ppmid.clock.advanceBySync(5_000);
    ppmid.actor.send({ type: 'han.peerLeft', deviceId: PPMID });
    expect(ppmid.actor.getSnapshot().context.nextJoinAttemptAt).toBe(T0 + 65_000);
    ppmid.clock.advanceBySync(60_000);
    expect(hanState(ppmid)).toBe('joining');
  });

  it('restored from a persisted snapshot while waiting, it retries at the original time', () => {
    const ppmid = startPpmid();
    ppmid.command('powerOn');
    ppmid.actor.send({ type: 'han.joinResult', joined: false });
    ppmid.clock.advanceBySync(20_000);
    const restored = restartFromPersisted(ppmid, ppmidMachine, input);
    expect(hanState(restored)).toBe('notJoined');
    restored.clock.advanceBySync(39_999);
    expect(hanState(restored)).toBe('notJoined');
    restored.clock.advanceBySync(1);
    expect(hanState(restored)).toBe('joining');
    expect(restored.actor.getSnapshot().context.joinAttemptDeadline).toBe(T0 + 90_000);
  });
});
