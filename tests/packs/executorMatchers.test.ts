/**
 * Issue 15.2: the pack matcher (harness/run/executor.ts) on hand-built timelines. A fake bench on a virtual clock
 * answers every SR with response codes written here and raises alerts at times written here; a one-scenario pack
 * holds the expectations. Each case says which expectations must fail (none: the scenario passes), so a matcher that
 * stops waiting, ignores a device, ignores the window's start or stops telling I99 and E-codes apart is caught.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import type { DuisBench } from '../../harness/bench/duisBench';
import { parsePack, type DeviceRef, type Scenario } from '../../harness/packs';
import { ScenarioRun } from '../../harness/run/executor';
import type { DuisOutput } from '../../harness/s1sp/adapter';

const SR_MS = 2_000;

interface Timeline {
  /** Each SR's outputs, in order: `kind code` (`response I99`, `error E4`, `response none` for one without a code). */
  readonly srOutputs?: readonly string[];
  /** Alerts by virtual time (ms from the start): a GBCS code and the role of the device raising it. */
  readonly alerts?: readonly { readonly at: number; readonly code: string; readonly device: 'CHF' | 'PPMID' | 'ESME' }[];
}

// Written by hand in the shape of the DUIS 5.4 documents the S1SP sends (the namespaces spelled out, not imported),
// so the executor reads them at their schema paths as it reads real ones.
const SR_NS = 'xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:ra="http://www.dccinterface.co.uk/ResponseAndAlert"';
const responseXml = (code: string) =>
  `<sr:Response ${SR_NS}><sr:Header>${code === 'none' ? '' : `<sr:ResponseCode>${code}</sr:ResponseCode>`}</sr:Header></sr:Response>`;
const alertXml = (code: string, eui: string) =>
  `<sr:Response ${SR_NS}><sr:Header><sr:ResponseCode>I0</sr:ResponseCode></sr:Header><sr:Body><sr:SMETS1ResponseMessage><sr:SMETS1SignedResponse>` +
  `<sr:SMETS1Response><sr:Header><ra:BusinessOriginatorID>${eui}</ra:BusinessOriginatorID></sr:Header>` +
  `<sr:Body><sr:DeviceAlertMessage><ra:DeviceAlertContent><ra:GBCSHexAlertCode>${code}</ra:GBCSHexAlertCode></ra:DeviceAlertContent></sr:DeviceAlertMessage></sr:Body>` +
  `</sr:SMETS1Response></sr:SMETS1SignedResponse></sr:SMETS1ResponseMessage></sr:Body></sr:Response>`;

/** The scenario's devices' EUIs as the pack resolved them (from its expectations' device references). */
function euis(scenario: Scenario): Record<string, string> {
  const found: Record<string, string> = {};
  for (const step of scenario.steps) {
    if (step.kind !== 'expect') continue;
    for (const e of step.expectations) {
      const ref = (e as { device?: DeviceRef }).device;
      if (ref !== undefined) found[ref.role] = ref.eui;
    }
  }
  return found;
}

/** Runs the pack's one scenario on the timeline; the failed expectations as `line kind`. */
async function failures(yaml: string, timeline: Timeline, devices: Record<string, string> = {}): Promise<string[]> {
  const pack = parsePack(`name: matchers\nbench: { vendor: elster, seed: 1 }\nscenarios:\n  - name: s\n    steps:\n${yaml}`, 'matchers.yaml');
  const scenario = pack.scenarios[0]!;
  const eui = { ...devices, ...euis(scenario) };
  const clock = new VirtualClock(0);
  const alerts: DuisOutput[] = [];
  for (const a of timeline.alerts ?? []) {
    const source = eui[a.device] ?? `00-00-00-00-00-00-00-0${a.device.length}`;
    clock.setTimeout(() => alerts.push({ kind: 'device-alert', xml: alertXml(a.code, source), at: clock.now() }), a.at);
  }
  const bench = {
    clock,
    virtual: clock,
    // the harness's end of the link, whose frames a report shows: nothing crosses this one
    wire: new EventEmitter(),
    alerts,
    client: { request: async () => ({ status: 'ok' }) },
    advance: (ms: number) => clock.advanceBy(ms),
    nextDueTime: () => clock.nextDueTime(),
    async send() {
      await clock.advanceBy(SR_MS);
      const responses = (timeline.srOutputs ?? ['response I0']).map((text): DuisOutput => {
        const [kind, code] = text.split(' ') as ['response' | 'error', string];
        return { kind, xml: responseXml(code), at: clock.now() };
      });
      return { responses, alerts: [] };
    },
  } as unknown as DuisBench;
  const run = new ScenarioRun(bench, scenario, {}, undefined);
  for (const [index, step] of scenario.steps.entries()) await run.step(step, index);
  return run.failures.map((f) => `${f.line} ${f.step.split(' ').at(-1)}`);
}

// line numbers: the pack's header takes lines 1-5, so the first step below is line 6
const SR = '      - sr: { template: ECS45_7.4_SUCCESS }\n';
const expectLine = (body: string) => `      - expect: { ${body} }\n`;

describe('noAlert waits out its window', () => {
  it('an alert arriving 30 s after the step fails `noAlert within 1min` and passes `noAlert within 10s`', async () => {
    const timeline: Timeline = { alerts: [{ at: SR_MS + 30_000, code: '8F49', device: 'CHF' }] };
    expect(await failures(SR + expectLine('noAlert: { code: 0x8F49, within: 1min }'), timeline)).toEqual(['7 noAlert']);
    expect(await failures(SR + expectLine('noAlert: { code: 0x8F49, within: 10s }'), timeline)).toEqual([]);
  });

  it('an alert of another code does not fail it', async () => {
    expect(await failures(SR + expectLine('noAlert: { code: 0x8F49, within: 1min }'), { alerts: [{ at: SR_MS + 30_000, code: '8F48', device: 'CHF' }] })).toEqual([]);
  });
});

describe('an alert expectation with a device', () => {
  const timeline: Timeline = { alerts: [{ at: SR_MS + 5_000, code: '8F49', device: 'PPMID' }] };

  it("is not met by the same code from another device, and `noAlert … device:` is not failed by it", async () => {
    expect(await failures(SR + expectLine('alert: { code: 0x8F49, within: 1min, device: CHF }'), timeline)).toEqual(['7 alert']);
    expect(await failures(SR + expectLine('noAlert: { code: 0x8F49, within: 1min, device: CHF }'), timeline)).toEqual([]);
  });

  it('is met by that device', async () => {
    expect(await failures(SR + expectLine('alert: { code: 0x8F49, within: 1min, device: PPMID }'), timeline)).toEqual([]);
    expect(await failures(SR + expectLine('noAlert: { code: 0x8F49, within: 1min, device: PPMID }'), timeline)).toEqual(['7 noAlert']);
  });
});

describe("the alert window starts with the step before the expect", () => {
  // an alert during the SR (1 s in), then a 10 s wait: the expect after the wait looks only at alerts from the wait on
  const steps = SR + '      - wait: 10s\n';
  const duringSr: Timeline = { alerts: [{ at: 1_000, code: '8F70', device: 'ESME' }] };

  it("an alert raised during an earlier step is not the later step's", async () => {
    expect(await failures(steps + expectLine('alert: { code: 0x8F70, within: 1min }'), duringSr)).toEqual(['8 alert']);
    expect(await failures(steps + expectLine('noAlert: { code: 0x8F70, within: 1min }'), duringSr)).toEqual([]);
  });

  it("an alert raised during the step itself is the step's, even before the step ends", async () => {
    expect(await failures(SR + expectLine('alert: { code: 0x8F70, within: 0s }'), duringSr)).toEqual([]);
    const duringWait: Timeline = { alerts: [{ at: SR_MS + 4_000, code: '8F70', device: 'ESME' }] };
    expect(await failures(steps + expectLine('alert: { code: 0x8F70, within: 0s }'), duringWait)).toEqual([]);
  });

  it('an alert an earlier expect waited past, after this window closed, does not count', async () => {
    // consecutive expects share the window: the first waits a minute, seeing the 0x8F70 at 30 s; the second's window
    // closed 5 s after the step
    const steps = SR + expectLine('noAlert: { code: 0x8F48, within: 1min }') + expectLine('alert: { code: 0x8F70, within: 5s }');
    expect(await failures(steps, { alerts: [{ at: SR_MS + 30_000, code: '8F70', device: 'ESME' }] })).toEqual(['8 alert']);
  });

  it('an alert after the window closes does not count', async () => {
    expect(await failures(SR + expectLine('alert: { code: 0x8F70, within: 5s }'), { alerts: [{ at: SR_MS + 6_000, code: '8F70', device: 'ESME' }] })).toEqual(['7 alert']);
  });
});

describe('the response matcher', () => {
  const cases: readonly [outputs: readonly string[], holds: readonly string[], fails: readonly string[]][] = [
    // the I99 acknowledgement then the device's I0
    [['response I99', 'response I0'], ['I99', 'I0'], ['E4', 'E21', 'none']],
    // acknowledged, then lost on the WAN: E21, not I0
    [['response I99', 'error E21'], ['I99', 'E21'], ['I0', 'none', 'E4']],
    // refused by the DSP before any acknowledgement
    [['error E4'], ['E4'], ['I0', 'I99', 'none']],
    // only the acknowledgement: no outcome yet
    [['response I99'], ['I99'], ['I0', 'E21', 'none']],
    // 91339/91340: a response without its code
    [['response none'], ['none'], ['I0', 'I99']],
  ];

  it.each(cases)('outputs %j: holds for %j, fails for %j', async (outputs, holds, fails) => {
    for (const code of holds) expect(await failures(SR + expectLine(`response: ${code}`), { srOutputs: outputs }), `response: ${code}`).toEqual([]);
    for (const code of fails) expect(await failures(SR + expectLine(`response: ${code}`), { srOutputs: outputs }), `response: ${code}`).toEqual(['7 response']);
  });
});
