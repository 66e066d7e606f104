/**
 * The executor's `linkFault` stimulus on the mock line (docs/packs.md, "linkFault"). The expected times are worked
 * from the design, not read off a run:
 * - the harness's serial link reopens a lost port with backoff (emulator/links/reconnector.ts: 250 ms, doubling,
 *   at most 10 s): tries 0.25, 0.75, 1.75, 3.75, 7.75, 15.75, 25.75, 35.75 s after the cut, so after a 30 s cut the
 *   port is back at 35.75 s; after a 90 s cut, at 95.75 s (then 45.75, 55.75, … every 10 s);
 * - the link layer (docs/protocol.md): ack timeout 1 s, 4 tries; nothing sent while the link is down.
 * - one 8.9 (one readDeviceLog command) is four frames and their acks at 115,200 baud: tens of ms at most.
 */
import { describe, expect, it } from 'vitest';
import { DuisBench } from '../../harness/bench/duisBench';
import { parsePack } from '../../harness/packs';
import { runScenario } from '../../harness/run/executor';
import { requestXml } from '../../harness/run/packRequests';
import type { TimelineEvent } from '../../harness/reports/runResult';

const READ_DEVICE_LOG = 'CCS05CCS04_8.9_SUCCESS';

function pack(steps: string, link = 'mock'): ReturnType<typeof parsePack> {
  return parsePack(
    `name: lf
bench: { vendor: elster, fixes: { response-code-always: true }, seed: 1, link: ${link} }
scenarios:
  - name: s
    steps:
${steps}`,
    'lf.yaml',
  );
}

/** Timeline entries relative to the scenario's start. */
function relative(timeline: readonly TimelineEvent[], start: number) {
  return timeline.map((e) => ({ ...e, at: e.at - start, ...(e.end === undefined ? {} : { end: e.end - start }) }));
}

describe('linkFault disconnect on the mock line', () => {
  it('puts the cut on the stimulus lane from its start to its end; an SR sent during it is answered after the port reopens', async () => {
    const p = pack(`      - stimulus: { linkFault: { disconnect: 30s } }
      - sr: { template: ${READ_DEVICE_LOG} }
`);
    const result = await runScenario(p, p.scenarios[0]!);
    expect(result.verdict).toBe('passed');
    const timeline = relative(result.timeline, result.virtualStartMs);
    expect(timeline.filter((e) => e.lane === 'stimulus')).toEqual([
      { at: 0, end: 30_000, lane: 'stimulus', label: 'line cut 30 s' },
    ]);
    const duis = timeline.filter((e) => e.lane === 'duis').map((e) => [e.label, e.at]);
    // the DSP's acknowledgement at once; the S1SP's I0 only once the port is back at 35.75 s, a round trip later
    expect(duis.slice(0, 2)).toEqual([
      ['→ 8.9 Read Device Log', 0],
      ['← I99', 0],
    ]);
    expect(duis[2]![0]).toBe('← I0');
    expect(duis[2]![1]).toBeGreaterThanOrEqual(35_750);
    expect(duis[2]![1]).toBeLessThan(35_750 + 100);
    expect(duis).toHaveLength(3);
  }, 60_000);

  it('holds an alert raised during the cut until the port is back, then delivers it once', async () => {
    const p = pack(`      - stimulus: { mainsVoltage: 200 }
      - stimulus: { linkFault: { disconnect: 90s } }
      - wait: 100s
`);
    const result = await runScenario(p, p.scenarios[0]!);
    expect(result.verdict).toBe('passed');
    const timeline = relative(result.timeline, result.virtualStartMs);
    const cut = timeline.find((e) => e.label === 'line cut 90 s')!;
    expect(cut.end! - cut.at).toBe(90_000);
    // Elster's sag: 200 V under 207 V for 60 s raises 0x802C 60 s into the cut (nothing else: 200 V > 195.5 V)
    const alerts = timeline.filter((e) => e.lane === 'alerts');
    expect(alerts.map((e) => e.label)).toEqual(['0x802C']);
    // the port reopens 95.75 s after the cut; the emulator resends the alert each ack timeout (1 s), so it arrives
    // at its first retransmission after that: within 1 s and one frame's wire time
    expect(alerts[0]!.at - cut.at).toBeGreaterThanOrEqual(95_750);
    expect(alerts[0]!.at - cut.at).toBeLessThan(95_750 + 1000 + 10);
    // the alert keeps the time the meter raised it, in the device's whole seconds: 60 s after the mains went to
    // 200 V (a few ms after the start), during the cut
    const record = result.duis.find((d) => d.direction === 'alert')!;
    expect(Date.parse(/<ra:Timestamp>([^<]+)</.exec(record.xml)![1]!) - result.virtualStartMs).toBe(60_000);
  }, 60_000);

  it('fails a request waiting for its device when the line is cut: E21 at the moment of the cut', async () => {
    const bench = await DuisBench.start({ vendor: 'elster', link: 'mock', seed: 1 });
    try {
      const start = bench.clock.now();
      bench.clock.setTimeout(() => bench.lineFaults!.disconnect('cable pulled'), 5);
      const { xml } = requestXml({ source: 'template', template: READ_DEVICE_LOG, params: {} }, 1, 1);
      const result = await bench.send(xml);
      const codes = result.responses.map((r) => [/<sr:ResponseCode>([^<]*)</.exec(r.xml)?.[1], r.at - start]);
      expect(codes).toEqual([
        ['I99', 0],
        ['E21', 5],
      ]);
      expect(result.responses[1]!.xml).toContain('while waiting for the response');
    } finally {
      await bench.close();
    }
  }, 60_000);
});

describe('linkFault rates on the mock line', () => {
  const lossy = `      - stimulus: { linkFault: { dropWriteRate: 0.2, corruptWriteRate: 0.1 } }
      - sr: { template: ${READ_DEVICE_LOG} }
      - sr: { template: CCS06_8.9_SUCCESS }
      - sr: { template: CCS07_8.9_SUCCESS }
`;

  it('is deterministic: the same seed gives the same timeline and DUIS traffic twice', async () => {
    const p = pack(lossy);
    const first = await runScenario(p, p.scenarios[0]!);
    const second = await runScenario(p, p.scenarios[0]!);
    expect(first.verdict).toBe('passed');
    expect(first.timeline[0]).toEqual({
      at: first.virtualStartMs,
      lane: 'stimulus',
      label: 'line lossy: dropWriteRate 0.2, corruptWriteRate 0.1',
    });
    expect(second.timeline).toEqual(first.timeline);
    expect(second.duis).toEqual(first.duis);
    expect(second.virtualEndMs - second.virtualStartMs).toBe(first.virtualEndMs - first.virtualStartMs);
  }, 60_000);

  it('loses and damages writes, and the SRs are answered I0 through the retransmissions', async () => {
    const bench = await DuisBench.start({ vendor: 'elster', link: 'mock', seed: 1 });
    try {
      bench.lineFaults!.configure({ dropWriteRate: 0.2, corruptWriteRate: 0.1 });
      const codes: string[] = [];
      for (const [i, template] of [
        READ_DEVICE_LOG,
        'CCS06_8.9_SUCCESS',
        'CCS07_8.9_SUCCESS',
        READ_DEVICE_LOG,
        'CCS06_8.9_SUCCESS',
      ].entries()) {
        const result = await bench.send(requestXml({ source: 'template', template, params: {} }, i + 1, 1).xml);
        codes.push(result.responses.map((r) => /<sr:ResponseCode>([^<]*)</.exec(r.xml)?.[1]).join(' '));
      }
      expect(codes).toEqual(['I99 I0', 'I99 I0', 'I99 I0', 'I99 I0', 'I99 I0']);
      const { hostToDevice, deviceToHost } = bench.lineFaults!.stats;
      expect(hostToDevice.droppedWrites + deviceToHost.droppedWrites).toBeGreaterThan(0);
      expect(hostToDevice.corruptedWrites + deviceToHost.corruptedWrites).toBeGreaterThan(0);
    } finally {
      await bench.close();
    }
  }, 60_000);
});

describe('linkFault off the mock line', () => {
  const steps = `      - stimulus: { linkFault: { disconnect: 30s } }
      - sr: { template: ${READ_DEVICE_LOG} }
`;

  it('has no line faults on a loopback bench', async () => {
    const bench = await DuisBench.start({ vendor: 'elster', link: 'loopback', seed: 1 });
    expect(bench.lineFaults).toBeUndefined();
    await bench.close();
  });

  it('smets1 run --link loopback: the scenario ends with an error saying why, and nothing after the step runs', async () => {
    const p = pack(steps);
    const result = await runScenario(p, p.scenarios[0]!, { link: 'loopback' });
    expect(result.verdict).toBe('error');
    expect(result.failures.map((f) => f.message)).toEqual([
      'linkFault: the link "loopback" is not the mock line, whose faults only the executor can make, and its far end is not known to be smets1 emulate, which makes them on its side; run it with --link mock, against smets1 emulate (pre-flighted), or give the step a prompt for an operator who pulls the cable',
    ]);
    expect(result.timeline).toEqual([]);
  });

  it('with a prompt, asks the operator instead (the cable of a real line)', async () => {
    const p =
      pack(`      - stimulus: { linkFault: { disconnect: 30s }, prompt: "Pull the serial cable for 30 s, then plug it back" }
`);
    const prompts: string[] = [];
    const result = await runScenario(p, p.scenarios[0]!, {
      link: 'loopback',
      prompt: async (text) => void prompts.push(text),
    });
    expect(result.verdict).toBe('passed');
    expect(prompts).toEqual(['Pull the serial cable for 30 s, then plug it back']);
    expect(result.timeline).toEqual([
      {
        at: result.virtualStartMs,
        end: result.virtualStartMs,
        lane: 'stimulus',
        label: 'operator: Pull the serial cable for 30 s, then plug it back',
      },
    ]);
  });

  // Any link may be sent elsewhere by `smets1 run --link` (the mock line, or smets1 emulate, which makes the fault):
  // whether anybody can make it is the run's decision after the pre-flight (tests/run/linkFaultFarEnd.test.ts).
  it.each(['loopback', 'tcp:127.0.0.1:7000', 'serial:/dev/ttyUSB0', 'pty'])(
    'a pack with a linkFault on a %s bench and no prompt loads: the run decides after its pre-flight',
    (link) => {
      const p = pack(steps, link);
      expect(p.scenarios[0]!.steps[0]).toMatchObject({
        kind: 'stimulus',
        stimulus: { type: 'linkFault', disconnectMs: 30_000 },
      });
    },
  );

  it('a pack of real devices with a linkFault and no prompt is refused at load: real hardware has no linkFault control', () => {
    expect(() =>
      parsePack(
        `name: lf
bench: { vendor: elster, devices: real, link: "tcp:127.0.0.1:7000" }
scenarios:
  - name: s
    steps:
      - stimulus: { linkFault: { disconnect: 30s } }
`,
        'lf.yaml',
      ),
    ).toThrow(
      // the one problem, whole: not also the general "a stimulus without a prompt on real devices"
      /^lf\.yaml:6:21: scenarios\[0\]\.steps\[0\]\.stimulus\.linkFault: a link fault on real devices, which have no linkFault control; expected a prompt for the operator who pulls the cable$/,
    );
  });
});
