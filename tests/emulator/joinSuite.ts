/**
 * Defect 91342 over the wire, the path a bench user takes: the harness sends 8.11 (hanLogAdd) frames to the CH and
 * `powerOn` to the PPMID, and reads the CH's responses and alerts off the link. Written once, run per transport by
 * emulatorSuite (loopback, mock serial pair, socat pty, TCP).
 *
 * Expected values are written here, not asked of the emulator: the vendor of each bench, the RTDS install code,
 * the alert codes (0x8F12 device log changed, 0x8F48 join failed, 0x8F49 join succeeded, 0x8183 joined the SMHAN),
 * the statuses, and the PPMID's timing (an attempt at power-on, then 60 s after each failed one).
 * Times are virtual and relative to P, the instant the PPMID received `powerOn` (the `at` of the CH's first
 * 0x8F48): frames take wire time on some transports, so P itself is only bounded, everything after it exact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { makeBench, type Bench, type LinkPair } from './bench';

const RTDS_INSTALL_CODE = '30313233343536373839414243444546';
const JOIN_FAILED = 0x8f48;
const JOIN_SUCCEEDED = 0x8f49;
const JOINED_SMHAN = 0x8183;
const LOG_CHANGED = 0x8f12;
const S = 1000;
const HOUR = 3600 * S;
/** A frame's wire time on the slowest transport here (115,200 baud, a few frames): far below a second. */
const LATENCY_BOUND = 1000;

export function joinSuite(
  name: string,
  connect: (clock: VirtualClock) => Promise<LinkPair>,
  options: { slow?: boolean } = {},
): void {
  describe(`defect 91342 and PPMID join retries over ${name}`, () => {
    let bench: Bench | undefined;
    afterEach(async () => {
      await bench?.dispose();
      bench = undefined;
    });

    const start = async (vendor: 'itron' | 'elster', quirks = {}) => {
      const clock = new VirtualClock();
      return (bench = await makeBench(await connect(clock), { vendor, seed: 7, clock, quirks }));
    };

    /** Powers the PPMID on; returns P, when it got the stimulus (its first, refused, join attempt). */
    const powerOn = async (b: Bench) => {
      const { CH, PPMID } = b.sets[0].euis;
      const sent = b.clock.now();
      expect((await b.run(b.client.request(PPMID!, { type: 'powerOn' }), 'powerOn')).status).toBe('ok');
      await b.until(() => b.alerts.some((a) => a.source === CH && a.alert.code === JOIN_FAILED), 'first 0x8F48');
      const P = b.alerts.find((a) => a.alert.code === JOIN_FAILED)!.alert.at;
      expect(P - sent).toBeGreaterThanOrEqual(0);
      expect(P - sent).toBeLessThan(LATENCY_BOUND);
      return P;
    };

    const hanLogAdd = async (b: Bench, joinPeriod: number) => {
      const { CH, PPMID } = b.sets[0].euis;
      return b.run(
        b.client.request(CH, { type: 'hanLogAdd', deviceId: PPMID!, installCode: RTDS_INSTALL_CODE, joinPeriod }),
        `hanLogAdd ${joinPeriod}`,
      );
    };

    /** Every alert seen, as [code, at − P, source, payload], in arrival order. */
    const alertsSince = (b: Bench, P: number) =>
      b.alerts.map(({ source, alert }) => [alert.code, alert.at - P, source, alert.payload] as const);

    /** Brings the PPMID's join alerts in: runs until it has joined (or fails the test after `within`). */
    const untilJoined = async (b: Bench, within: number) => {
      const deadline = b.clock.now() + within;
      await b.until(() => b.alerts.some((a) => a.alert.code === JOINED_SMHAN) || b.clock.now() > deadline, '0x8183');
    };

    it(
      'Elster, quirk on: 8.11 of 256 and 300 are refused (invalidParameter, 0x8F48), and the powered PPMID fails every 60 s for an hour',
      async () => {
        const b = await start('elster');
        const { CH, PPMID } = b.sets[0].euis;
        const ppmidPayload = PPMID!.replaceAll('-', '').toLowerCase();
        const P = await powerOn(b);
        await b.advance(P + 90 * S - b.clock.now());
        expect(await hanLogAdd(b, 256)).toEqual({
          type: 'response',
          message: 'hanLogAdd',
          requestId: 2,
          status: 'invalidParameter',
        });
        expect(await hanLogAdd(b, 300)).toEqual({
          type: 'response',
          message: 'hanLogAdd',
          requestId: 3,
          status: 'invalidParameter',
        });
        await b.advance(P + HOUR + 30 * S - b.clock.now());

        const seen = alertsSince(b, P);
        expect(
          seen.every(([code, , source, payload]) => code === JOIN_FAILED && source === CH && payload === ppmidPayload),
        ).toBe(true);
        const times = seen.map(([, at]) => at);
        // the two refused 8.11s, received just after P + 90 s
        const refusals = times.filter((at) => at >= 90 * S && at < 90 * S + LATENCY_BOUND);
        expect(refusals).toHaveLength(2);
        // the PPMID's attempts: at P, then every 60 s, to P + 3600 s
        expect(times.filter((at) => !refusals.includes(at))).toEqual(Array.from({ length: 61 }, (_, i) => i * 60 * S));
        expect(b.alerts.some((a) => a.alert.code === JOIN_SUCCEEDED || a.alert.code === JOINED_SMHAN)).toBe(false);
        const log = await b.run(b.client.request(CH, { type: 'readDeviceLog' }), 'readDeviceLog');
        expect(log.body).toEqual({
          entries: [
            { deviceId: b.sets[0].euis.ESME, joined: true },
            { deviceId: b.sets[0].euis.GSME, joined: true },
          ],
        });
      },
      options.slow ? 120_000 : 30_000,
    );

    it('Elster, quirk on: a later 8.11 of 255 is accepted and the PPMID joins at its next attempt, P + 120 s', async () => {
      const b = await start('elster');
      const { CH, PPMID } = b.sets[0].euis;
      const P = await powerOn(b);
      await b.advance(P + 90 * S - b.clock.now());
      expect((await hanLogAdd(b, 300)).status).toBe('invalidParameter');
      expect((await hanLogAdd(b, 255)).status).toBe('ok');
      await untilJoined(b, 5 * 60 * S);
      const seen = alertsSince(b, P).map(([code, at]) => [code, at] as const);
      expect(seen.map(([code]) => code)).toEqual([
        JOIN_FAILED,
        JOIN_FAILED,
        JOIN_FAILED,
        LOG_CHANGED,
        JOIN_SUCCEEDED,
        JOINED_SMHAN,
      ]);
      expect(seen.slice(0, 2)).toEqual([
        [JOIN_FAILED, 0],
        [JOIN_FAILED, 60 * S],
      ]);
      expect(seen.slice(4)).toEqual([
        [JOIN_SUCCEEDED, 120 * S],
        [JOINED_SMHAN, 120 * S],
      ]);
      const log = await b.run(b.client.request(CH, { type: 'readDeviceLog' }), 'readDeviceLog');
      expect(log.body).toEqual({ entries: expect.arrayContaining([{ deviceId: PPMID, joined: true }]) });
    });

    it('Elster, quirk off: 300 is accepted (0x8F12) and the PPMID joins at P + 120 s', async () => {
      const b = await start('elster', { '91342': false });
      const P = await powerOn(b);
      await b.advance(P + 90 * S - b.clock.now());
      expect(await hanLogAdd(b, 300)).toEqual({ type: 'response', message: 'hanLogAdd', requestId: 2, status: 'ok' });
      await untilJoined(b, 5 * 60 * S);
      const seen = alertsSince(b, P).map(([code, at]) => [code, at] as const);
      expect(seen.map(([code]) => code)).toEqual([JOIN_FAILED, JOIN_FAILED, LOG_CHANGED, JOIN_SUCCEEDED, JOINED_SMHAN]);
      expect(seen.slice(3)).toEqual([
        [JOIN_SUCCEEDED, 120 * S],
        [JOINED_SMHAN, 120 * S],
      ]);
    });

    it('Itron: 3600 is accepted (0x8F12) and the PPMID joins at P + 120 s', async () => {
      const b = await start('itron');
      const P = await powerOn(b);
      await b.advance(P + 90 * S - b.clock.now());
      expect(await hanLogAdd(b, 3600)).toEqual({ type: 'response', message: 'hanLogAdd', requestId: 2, status: 'ok' });
      await untilJoined(b, 5 * 60 * S);
      const seen = alertsSince(b, P).map(([code, at]) => [code, at] as const);
      expect(seen.map(([code]) => code)).toEqual([JOIN_FAILED, JOIN_FAILED, LOG_CHANGED, JOIN_SUCCEEDED, JOINED_SMHAN]);
      expect(seen.slice(3)).toEqual([
        [JOIN_SUCCEEDED, 120 * S],
        [JOINED_SMHAN, 120 * S],
      ]);
    });
  });
}
