import { describe, expect, it } from 'vitest';
import { ppmidMachine } from '../../devices/ppmid';
import { elsterProfile } from '../../devices/profiles';
import { startDevice } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const PPMID = '00-DB-12-34-56-78-90-A3';
const ESME = '00-DB-12-34-56-78-90-A0';

const startPpmid = () =>
  startDevice(ppmidMachine, { eui: PPMID, profile: elsterProfile, credentials: initialSlots, installCode: '0011223344556677' });

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

  it('refused, it tries again at the next power-on', () => {
    const ppmid = startPpmid();
    ppmid.command('powerOn');
    ppmid.actor.send({ type: 'han.joinResult', joined: false });
    expect(ppmid.actor.getSnapshot().value).toMatchObject({ han: 'notJoined' });
    ppmid.command('powerOn');
    expect(ppmid.actor.getSnapshot().value).toMatchObject({ han: 'joining' });
  });
});
