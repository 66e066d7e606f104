/**
 * Issue 15.2: the pack matcher (harness/run/executor.ts) on hand-built timelines. A fake bench on a virtual clock
 * answers every SR with response codes written here and raises alerts at times written here; a one-scenario pack
 * holds the expectations. Each case says which expectations must fail (none: the scenario passes), so a matcher that
 * stops waiting, ignores a device, ignores the window's start or stops telling I99 and E-codes apart is caught.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import type { DuisBench } from '../../harness/bench/duisBench';
import { invertPack, parsePack, type DeviceRef, type Scenario } from '../../harness/packs';
import { ScenarioRun, type ExecuteOptions } from '../../harness/run/executor';
import type { DuisOutput } from '../../harness/s1sp/adapter';
import { generateTestPki, issueTestCertificate } from '../../common/credentials/testPki';
import { migrate, type MigrationResult } from '../../harness/migration/orchestrator';

// A migrate step's result is written here (the orchestrator has its own tests): only what the matchers read of it.
vi.mock('../../harness/migration/orchestrator', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  migrate: vi.fn(),
}));

const SR_MS = 2_000;
// The EUIs the pack gives the bench's devices (docs/packs.md), and those the fake gives devices no expectation names.
const EUI = { ESME: '00-DB-12-34-56-78-90-A0', CHF: '00-DB-12-34-56-78-90-A2', PPMID: '00-DB-12-34-56-78-90-A3' };
const UNNAMED = { ESME: '00-00-00-00-00-00-00-04', CHF: '00-00-00-00-00-00-00-03', PPMID: '00-00-00-00-00-00-00-05' };

interface Timeline {
  /**
   * Each SR's outputs, in order: `kind code` (`response I99`, `error E4`, `response none` for one without a code),
   * then optionally the device's `…Rsp` MessageSuccess (`response I0 true`; `-`: a SMETS1Response without one) and
   * its refusal (`response I0 false hanLogAdd answered invalidParameter`: a SMETS1Debug entry at position 1, response
   * code 1).
   */
  readonly srOutputs?: readonly string[];
  /** Alerts by virtual time (ms from the start): a GBCS code and the role of the device raising it. */
  readonly alerts?: readonly {
    readonly at: number;
    readonly code: string;
    readonly device: 'CHF' | 'PPMID' | 'ESME';
  }[];
  /** What each device (by role) answers a bench command (readDeviceInfo, readSupply, readDeviceLog, readCredentials). */
  readonly devices?: Readonly<
    Record<string, (command: { type: string; role?: number }) => { status: string; body?: Record<string, unknown> }>
  >;
  /** The SMI status Registration Data gives each device (by role). */
  readonly smi?: Readonly<Record<string, string>>;
}

// Written by hand in the shape of the DUIS 5.4 documents the S1SP sends (the namespaces spelled out, not imported),
// so the executor reads them at their schema paths as it reads real ones.
const SR_NS =
  'xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:ra="http://www.dccinterface.co.uk/ResponseAndAlert"';
const responseXml = (code: string, success?: string, refusal?: string) =>
  `<sr:Response ${SR_NS}><sr:Header>${code === 'none' ? '' : `<sr:ResponseCode>${code}</sr:ResponseCode>`}</sr:Header>` +
  (success === undefined
    ? ''
    : `<sr:Body><sr:SMETS1ResponseMessage><sr:SMETS1SignedResponse><sr:SMETS1Response><sr:Body><sr:ResponseMessage>` +
      (success === '-' ? '' : `<ra:SMETSData><ra:UpdateHANDeviceLogRsp MessageSuccess="${success}"/></ra:SMETSData>`) +
      (refusal === undefined
        ? ''
        : `<ra:DebugInfo><ra:SMETS1Debug><ra:SMETS1Response ResponseCode="1" Position="1"><ra:Error>${refusal}</ra:Error></ra:SMETS1Response></ra:SMETS1Debug></ra:DebugInfo>`) +
      `</sr:ResponseMessage></sr:Body></sr:SMETS1Response></sr:SMETS1SignedResponse></sr:SMETS1ResponseMessage></sr:Body>`) +
  `</sr:Response>`;
const alertXml = (code: string, eui: string) =>
  `<sr:Response ${SR_NS}><sr:Header><sr:ResponseCode>I0</sr:ResponseCode></sr:Header><sr:Body><sr:SMETS1ResponseMessage><sr:SMETS1SignedResponse>` +
  `<sr:SMETS1Response><sr:Header><ra:BusinessOriginatorID>${eui}</ra:BusinessOriginatorID></sr:Header>` +
  `<sr:Body><sr:DeviceAlertMessage><ra:DeviceAlertContent><ra:GBCSHexAlertCode>${code}</ra:GBCSHexAlertCode></ra:DeviceAlertContent></sr:DeviceAlertMessage></sr:Body>` +
  `</sr:SMETS1Response></sr:SMETS1SignedResponse></sr:SMETS1ResponseMessage></sr:Body></sr:Response>`;

const dccAlertXml = (code: string, eui: string) =>
  `<sr:Response ${SR_NS}><sr:Header><sr:ResponseID>${eui}:90-B3-D5-1F-30-01-00-00:1</sr:ResponseID></sr:Header>` +
  `<sr:Body><sr:DCCAlertMessage><sr:DCCAlertCode>${code}</sr:DCCAlertCode></sr:DCCAlertMessage></sr:Body></sr:Response>`;

/** The scenario's devices' EUIs as the pack resolved them (from its expectations' device references). */
function euis(scenario: Scenario): Record<string, string> {
  const found: Record<string, string> = {};
  for (const step of scenario.steps) {
    if (step.kind !== 'expect') continue;
    for (const e of step.expectations) {
      const refs = [(e as { device?: DeviceRef }).device, ...((e as { joined?: readonly DeviceRef[] }).joined ?? [])];
      for (const ref of refs) if (ref !== undefined) found[ref.role] = ref.eui;
    }
  }
  return found;
}

interface RunOptions {
  readonly inverted?: boolean;
  readonly phase?: string;
  /**
   * On the wall clock (a real bench's link: no virtual time, the executor polls): the run's `waiting` callback, and
   * the run as soon as it exists. The alerts' times are then ms of real time from the start.
   */
  readonly wall?: { readonly waiting?: ExecuteOptions['waiting']; readonly started?: (run: ScenarioRun) => void };
  /** What a `migrate` step's migration comes to. */
  readonly migration?: MigrationResult;
}

/** Runs the pack's one scenario on the timeline (inverted: invertPack's), every step in `phase`. */
async function run(
  yaml: string,
  timeline: Timeline,
  { inverted = false, phase = '', wall, migration }: RunOptions = {},
): Promise<ScenarioRun> {
  if (migration !== undefined) vi.mocked(migrate).mockResolvedValueOnce(migration);
  const written = parsePack(
    `name: matchers\nbench: { vendor: elster, seed: 1 }\nscenarios:\n  - name: s\n    steps:\n${yaml}`,
    'matchers.yaml',
  );
  const scenario = (inverted ? invertPack(written) : written).scenarios[0]!;
  const eui = euis(scenario);
  const role = (device: string) => Object.keys(eui).find((r) => eui[r] === device)!;
  const virtual = new VirtualClock(0);
  const startedAt = Date.now();
  const clock = wall === undefined ? virtual : { now: () => Date.now() - startedAt };
  const timers: NodeJS.Timeout[] = [];
  const alerts: DuisOutput[] = [];
  for (const a of timeline.alerts ?? []) {
    const source = eui[a.device] ?? `00-00-00-00-00-00-00-0${a.device.length}`;
    // a DCC alert (N…) has no device header: its originator is the first part of its ResponseID
    const output = (): DuisOutput =>
      a.code.startsWith('N')
        ? { kind: 'dcc-alert', xml: dccAlertXml(a.code, source), at: clock.now() }
        : { kind: 'device-alert', xml: alertXml(a.code, source), at: clock.now() };
    if (wall === undefined) virtual.setTimeout(() => alerts.push(output()), a.at);
    else timers.push(setTimeout(() => alerts.push(output()), a.at));
  }
  const bench = {
    clock,
    virtual: wall === undefined ? virtual : undefined,
    // the harness's end of the link, whose frames a report shows: nothing crosses this one
    wire: new EventEmitter(),
    alerts,
    client: { request: async () => ({ status: 'ok' }) },
    advance: (ms: number) => virtual.advanceBy(ms),
    nextDueTime: () => virtual.nextDueTime(),
    async send() {
      await virtual.advanceBy(SR_MS);
      const responses = (timeline.srOutputs ?? ['response I0']).map((text): DuisOutput => {
        const [kind, code, success, ...refusal] = text.split(' ') as [
          'response' | 'error' | 'dcc-alert',
          string,
          string | undefined,
          ...string[],
        ];
        if (kind === 'dcc-alert') return { kind, xml: dccAlertXml(code, UNNAMED.CHF), at: virtual.now() };
        return {
          kind,
          xml: responseXml(code, success, refusal.length === 0 ? undefined : refusal.join(' ')),
          at: virtual.now(),
        };
      });
      return { responses, alerts: [] };
    },
    command: async (device: string, command: { type: string; role?: number }) =>
      timeline.devices![role(device)]!(command),
    registration: {
      device: (device: string) =>
        timeline.smi?.[role(device)] === undefined ? undefined : { smiStatus: timeline.smi[role(device)] },
    },
  } as unknown as DuisBench;
  const installation =
    migration === undefined
      ? undefined
      : ({ name: migration.installation } as unknown as ConstructorParameters<typeof ScenarioRun>[3]);
  const scenarioRun = new ScenarioRun(
    bench,
    scenario,
    wall?.waiting === undefined ? {} : { waiting: wall.waiting },
    installation,
  );
  wall?.started?.(scenarioRun);
  try {
    for (const [index, step] of scenario.steps.entries()) await scenarioRun.step(step, index, phase);
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
  scenarioRun.finish();
  return scenarioRun;
}

/** The failed expectations as `line kind`. */
async function failures(yaml: string, timeline: Timeline): Promise<string[]> {
  return (await run(yaml, timeline)).failures.map((f) => `${f.line} ${f.step.split(' ').at(-1)}`);
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
    expect(
      await failures(SR + expectLine('noAlert: { code: 0x8F49, within: 1min }'), {
        alerts: [{ at: SR_MS + 30_000, code: '8F48', device: 'CHF' }],
      }),
    ).toEqual([]);
  });
});

describe('an alert expectation with a device', () => {
  const timeline: Timeline = { alerts: [{ at: SR_MS + 5_000, code: '8F49', device: 'PPMID' }] };

  it('is not met by the same code from another device, and `noAlert … device:` is not failed by it', async () => {
    expect(await failures(SR + expectLine('alert: { code: 0x8F49, within: 1min, device: CHF }'), timeline)).toEqual([
      '7 alert',
    ]);
    expect(await failures(SR + expectLine('noAlert: { code: 0x8F49, within: 1min, device: CHF }'), timeline)).toEqual(
      [],
    );
  });

  it('is met by that device', async () => {
    expect(await failures(SR + expectLine('alert: { code: 0x8F49, within: 1min, device: PPMID }'), timeline)).toEqual(
      [],
    );
    expect(await failures(SR + expectLine('noAlert: { code: 0x8F49, within: 1min, device: PPMID }'), timeline)).toEqual(
      ['7 noAlert'],
    );
  });
});

describe('the alert window starts with the step before the expect', () => {
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
    const steps =
      SR + expectLine('noAlert: { code: 0x8F48, within: 1min }') + expectLine('alert: { code: 0x8F70, within: 5s }');
    expect(await failures(steps, { alerts: [{ at: SR_MS + 30_000, code: '8F70', device: 'ESME' }] })).toEqual([
      '8 alert',
    ]);
  });

  it('an alert after the window closes does not count', async () => {
    expect(
      await failures(SR + expectLine('alert: { code: 0x8F70, within: 5s }'), {
        alerts: [{ at: SR_MS + 6_000, code: '8F70', device: 'ESME' }],
      }),
    ).toEqual(['7 alert']);
  });
});

describe('the response matcher', () => {
  const cases: readonly [outputs: readonly string[], holds: readonly string[], fails: readonly string[]][] = [
    // the I99 acknowledgement then the device's I0
    [
      ['response I99', 'response I0'],
      ['I99', 'I0'],
      ['E4', 'E21', 'none'],
    ],
    // acknowledged, then lost on the WAN: E21, not I0
    [
      ['response I99', 'error E21'],
      ['I99', 'E21'],
      ['I0', 'none', 'E4'],
    ],
    // refused by the DSP before any acknowledgement
    [['error E4'], ['E4'], ['I0', 'I99', 'none']],
    // only the acknowledgement: no outcome yet
    [['response I99'], ['I99'], ['I0', 'E21', 'none']],
    // 91339/91340: a response without its code
    [['response none'], ['none'], ['I0', 'I99']],
  ];

  it.each(cases)('outputs %j: holds for %j, fails for %j', async (outputs, holds, fails) => {
    for (const code of holds)
      expect(await failures(SR + expectLine(`response: ${code}`), { srOutputs: outputs }), `response: ${code}`).toEqual(
        [],
      );
    for (const code of fails)
      expect(await failures(SR + expectLine(`response: ${code}`), { srOutputs: outputs }), `response: ${code}`).toEqual(
        ['7 response'],
      );
  });
});

describe('what a failed expectation records', () => {
  it('the failure (step, place, expected, what came, message), the expectation and the timeline entry', async () => {
    const r = await run(SR + expectLine('messageSuccess: false'), { srOutputs: ['response I99', 'response I0 true'] });
    const failure = {
      step: 'expect #2 messageSuccess',
      line: 7,
      column: 19,
      expected: 'MessageSuccess false',
      actual: 'MessageSuccess true',
      message: 'expected MessageSuccess false; got MessageSuccess true',
    };
    expect(r.failures).toEqual([failure]);
    expect(r.expectations).toEqual([
      {
        step: 'expect #2 messageSuccess',
        at: SR_MS,
        expected: 'MessageSuccess false',
        actual: 'MessageSuccess true',
        passed: false,
      },
    ]);
    expect(r.timeline.filter((e) => e.lane === 'expect')).toEqual([
      { at: SR_MS, lane: 'expect', label: 'MessageSuccess false', detail: 'MessageSuccess true', failed: true },
    ]);
  });

  it('a passing one: no failure, the timeline entry not marked failed', async () => {
    const r = await run(SR + expectLine('messageSuccess: true'), { srOutputs: ['response I99', 'response I0 true'] });
    expect(r.failures).toEqual([]);
    expect(r.expectations).toEqual([
      {
        step: 'expect #2 messageSuccess',
        at: SR_MS,
        expected: 'MessageSuccess true',
        actual: 'MessageSuccess true',
        passed: true,
      },
    ]);
    expect(r.timeline.filter((e) => e.lane === 'expect')).toEqual([
      { at: SR_MS, lane: 'expect', label: 'MessageSuccess true', detail: 'MessageSuccess true' },
    ]);
  });

  it('in a setup or teardown, the step names the phase', async () => {
    const r = await run(
      SR + expectLine('response: E4'),
      { srOutputs: ['response I99', 'response I0'] },
      { phase: 'teardown' },
    );
    expect(r.failures).toEqual([
      {
        step: 'teardown expect #2 response',
        line: 7,
        column: 19,
        expected: 'response E4',
        actual: 'response codes I99, I0',
        message: 'expected response E4; got response codes I99, I0',
      },
    ]);
  });
});

describe('an inverted pack (invertPack): each expectation passes when the written one does not hold', () => {
  it('a holding expectation fails, told as "not …"; a failing one passes', async () => {
    const outputs = { srOutputs: ['response I99', 'response I0 true'] };
    const r = await run(SR + expectLine('messageSuccess: true') + expectLine('response: E4'), outputs, {
      inverted: true,
    });
    expect(r.failures).toEqual([
      {
        step: 'expect #2 messageSuccess',
        line: 7,
        column: 19,
        expected: 'not MessageSuccess true',
        actual: 'MessageSuccess true',
        message: 'expected not MessageSuccess true; got MessageSuccess true',
      },
    ]);
    expect(r.expectations.map((e) => [e.expected, e.passed])).toEqual([
      ['not MessageSuccess true', false],
      ['not response E4', true],
    ]);
  });

  it('inverts nothing but the expectations: the SR, waits and positions are the written ones', async () => {
    const yaml = SR + '      - wait: 10s\n' + expectLine('noAlert: { code: 0x8F49, within: 1min }');
    const written = parsePack(
      `name: m\nbench: { vendor: elster, seed: 1 }\nscenarios:\n  - name: s\n    steps:\n${yaml}`,
      'm.yaml',
    );
    const inverted = invertPack(written);
    const [sr, wait, expectStep] = inverted.scenarios[0]!.steps;
    expect([sr, wait]).toEqual(written.scenarios[0]!.steps.slice(0, 2));
    expect(expectStep).toEqual({
      ...written.scenarios[0]!.steps[2]!,
      expectations: [
        {
          kind: 'noAlert',
          code: { kind: 'device', code: 0x8f49 },
          withinMs: 60_000,
          inverted: true,
          position: { file: 'm.yaml', line: 8, column: 19 },
        },
      ],
    });
    expect({ ...inverted, scenarios: [] }).toEqual({ ...written, scenarios: [] });
  });
});

describe('the messageSuccess matcher', () => {
  it.each([
    // outputs, MessageSuccess true holds?, false holds?, what came
    [['response I99', 'response I0 true'], true, false, 'MessageSuccess true'],
    [
      ['response I99', 'response I0 false hanLogAdd answered invalidParameter'],
      false,
      true,
      'MessageSuccess false (the device refused: hanLogAdd answered invalidParameter (step 1, response code 1))',
    ],
    // no SMETS1 response at all (the acknowledgement only)
    [['response I99'], false, false, 'no SMETS1 response'],
    // a SMETS1 response with the refusal but no …Rsp
    [
      ['response I99', 'response I0 - hanLogAdd answered invalidParameter'],
      false,
      false,
      'no SMETS1 response; the device refused: hanLogAdd answered invalidParameter (step 1, response code 1)',
    ],
  ] as const)('%j: true %s, false %s (%s)', async (srOutputs, trueHolds, falseHolds, actual) => {
    const r = await run(SR + expectLine('messageSuccess: true') + expectLine('messageSuccess: false'), { srOutputs });
    expect(r.expectations.map((e) => [e.passed, e.actual])).toEqual([
      [trueHolds, actual],
      [falseHolds, actual],
    ]);
  });

  it('an SR with no outputs: response codes none', async () => {
    expect((await run(SR + expectLine('response: I0'), { srOutputs: [] })).failures.map((f) => f.actual)).toEqual([
      'response codes none',
    ]);
  });
});

describe('what an alert expectation says came instead', () => {
  it('alert: the expected code and device, and every alert of the window with its description and time', async () => {
    const r = await run(SR + expectLine('alert: { code: 0x8F49, within: 1min, device: PPMID }'), {
      alerts: [{ at: SR_MS + 5_000, code: '8F49', device: 'CHF' }],
    });
    expect(r.failures.map((f) => [f.expected, f.actual])).toEqual([
      [
        'alert 0x8F49 "Device joining succeeded" from PPMID within 60 s',
        `no such alert; in the window came 0x8F49 "Device joining succeeded" from ${UNNAMED.CHF} at +5 s`,
      ],
    ]);
  });

  it('alert: the nearest miss after the window, once a later step has seen it (told again at the end)', async () => {
    const steps = SR + expectLine('alert: { code: 0x8F70, within: 5s }') + '      - wait: 10s\n';
    const r = await run(steps, { alerts: [{ at: SR_MS + 6_000, code: '8F70', device: 'ESME' }] });
    const told = `no such alert; no alert at all arrived in the window; nearest miss: 0x8F70 "Update Security Credentials" from ${UNNAMED.ESME} 1 s after the window closed`;
    expect(r.failures.map((f) => [f.expected, f.actual, f.message])).toEqual([
      [
        'alert 0x8F70 "Update Security Credentials" within 5 s',
        told,
        `expected alert 0x8F70 "Update Security Credentials" within 5 s; got ${told}`,
      ],
    ]);
    expect(r.timeline.filter((e) => e.lane === 'expect').map((e) => e.detail)).toEqual([told]);
  });

  it('alert: the nearest miss before the window (an earlier step raised it)', async () => {
    const r = await run(SR + '      - wait: 10s\n' + expectLine('alert: { code: 0x8F70, within: 1min }'), {
      alerts: [{ at: 1_000, code: '8F70', device: 'ESME' }],
    });
    expect(r.failures.map((f) => f.actual)).toEqual([
      `no such alert; no alert at all arrived in the window; nearest miss: 0x8F70 "Update Security Credentials" from ${UNNAMED.ESME} 11 s before the step ended, before the window opened`,
    ]);
  });

  it('an alert of another code outside the window is no nearest miss', async () => {
    const r = await run(SR + '      - wait: 10s\n' + expectLine('alert: { code: 0x8F70, within: 5s }'), {
      alerts: [{ at: 1_000, code: '8F48', device: 'ESME' }],
    });
    expect(r.failures.map((f) => f.actual)).toEqual(['no such alert; no alert at all arrived in the window']);
  });

  it('noAlert: how many came, each with its time', async () => {
    const r = await run(SR + expectLine('noAlert: { code: 0x8F49, within: 1min }'), {
      alerts: [{ at: SR_MS + 30_000, code: '8F49', device: 'CHF' }],
    });
    expect(r.failures.map((f) => [f.expected, f.actual])).toEqual([
      [
        'no alert 0x8F49 "Device joining succeeded" within 60 s',
        `1 such alert: 0x8F49 "Device joining succeeded" from ${UNNAMED.CHF} at +30 s`,
      ],
    ]);
  });

  it('noAlert without a code: any alert fails it', async () => {
    const r = await run(SR + expectLine('noAlert: { within: 10s }'), {
      alerts: [{ at: SR_MS + 1_000, code: '8F48', device: 'PPMID' }],
    });
    expect(r.failures.map((f) => [f.expected, f.actual])).toEqual([
      ['no alert any alert within 10 s', `1 such alert: 0x8F48 "Device joining failed" from ${UNNAMED.PPMID} at +1 s`],
    ]);
    expect(await failures(SR + expectLine('noAlert: { within: 10s }'), {})).toEqual([]);
  });
});

describe('DCC alerts (N…) match by their DCC code and ResponseID originator', () => {
  const n24: Timeline = { alerts: [{ at: SR_MS + 500, code: 'N24', device: 'PPMID' }] };

  it('met by its code, not by a device alert of another kind or another DCC code', async () => {
    expect(await failures(SR + expectLine('alert: { code: N24, within: 1s }'), n24)).toEqual([]);
    expect(await failures(SR + expectLine('alert: { code: N25, within: 1s }'), n24)).toEqual(['7 alert']);
    expect(await failures(SR + expectLine('alert: { code: 0x8F49, within: 1s }'), n24)).toEqual(['7 alert']);
    expect(
      await failures(SR + expectLine('alert: { code: N24, within: 1s }'), {
        alerts: [{ at: SR_MS + 500, code: '8F49', device: 'PPMID' }],
      }),
    ).toEqual(['7 alert']);
  });

  it('its originator is the device it is from', async () => {
    expect(await failures(SR + expectLine('alert: { code: N24, within: 1s, device: PPMID }'), n24)).toEqual([]);
    expect(await failures(SR + expectLine('alert: { code: N24, within: 1s, device: CHF }'), n24)).toEqual(['7 alert']);
  });
});

describe('the deviceState matcher (readDeviceInfo, readSupply, readDeviceLog answered as written here)', () => {
  const info = (body: Record<string, unknown>, status = 'ok') => ({
    ESME: (c: { type: string }) => (c.type === 'readDeviceInfo' ? { status, body } : { status: 'unknownCommand' }),
  });

  it('migrationState and commissioned: both must hold, and the read must be answered ok', async () => {
    const expectation = expectLine('deviceState: { device: ESME, migrationState: dcc, commissioned: true }');
    expect(
      (await run(expectation, { devices: info({ migrationState: 'dcc', commissioned: true }) })).expectations.map(
        (e) => [e.passed, e.expected, e.actual],
      ),
    ).toEqual([[true, 'ESME: migrationState dcc, commissioned true', 'ESME: migrationState dcc, commissioned true']]);
    expect(
      (await run(expectation, { devices: info({ migrationState: 'dcc', commissioned: false }) })).failures.map(
        (f) => f.actual,
      ),
    ).toEqual(['ESME: migrationState dcc, commissioned false']);
    expect(
      (await run(expectation, { devices: info({ migrationState: 'smso', commissioned: true }) })).failures.map(
        (f) => f.actual,
      ),
    ).toEqual(['ESME: migrationState smso, commissioned true']);
    expect(
      (await run(expectation, { devices: info({ migrationState: 'dcc', commissioned: true }, 'dumbMode') })).failures,
    ).toHaveLength(1);
    // answered without a body, refused or not
    for (const status of ['dumbMode', 'ok']) {
      expect(
        (await run(expectation, { devices: { ESME: () => ({ status }) } })).failures.map((f) => f.actual),
        status,
      ).toEqual(['ESME: migrationState undefined, commissioned undefined']);
    }
    const commissioned = expectLine('deviceState: { device: ESME, commissioned: true }');
    expect(
      (await run(commissioned, { devices: { ESME: () => ({ status: 'ok' }) } })).failures.map((f) => f.actual),
    ).toEqual(['ESME: commissioned undefined']);
  });

  it('supply: the state read; a refused read says so', async () => {
    const supply = (answer: { status: string; body?: Record<string, unknown> }) => ({
      ESME: (c: { type: string }) =>
        c.type === 'readDeviceInfo'
          ? { status: 'ok', body: {} }
          : c.type === 'readSupply'
            ? answer
            : { status: 'unknownCommand' },
    });
    const expectation = expectLine('deviceState: { device: ESME, supply: armed }');
    expect((await run(expectation, { devices: supply({ status: 'ok', body: { state: 'armed' } }) })).failures).toEqual(
      [],
    );
    expect(
      (await run(expectation, { devices: supply({ status: 'ok', body: { state: 'enabled' } }) })).failures.map((f) => [
        f.expected,
        f.actual,
      ]),
    ).toEqual([['ESME: supply armed', 'ESME: supply enabled']]);
    expect((await run(expectation, { devices: supply({ status: 'dumbMode' }) })).failures.map((f) => f.actual)).toEqual(
      ['ESME: supply not read (readSupply answered dumbMode)'],
    );
    expect((await run(expectation, { devices: supply({ status: 'ok' }) })).failures.map((f) => f.actual)).toEqual([
      'ESME: supply undefined',
    ]);
  });

  it('joined: every device named must be on the log and joined; others may be there too', async () => {
    const log = (entries: readonly { deviceId: string; joined: boolean }[]) => ({
      CH: (c: { type: string }) =>
        c.type === 'readDeviceInfo'
          ? { status: 'ok', body: {} }
          : c.type === 'readDeviceLog'
            ? { status: 'ok', body: { entries } }
            : { status: 'unknownCommand' },
    });
    const one = expectLine('deviceState: { device: CHF, joined: [PPMID] }');
    const two = expectLine('deviceState: { device: CHF, joined: [PPMID, ESME] }');
    const both = [
      { deviceId: EUI.ESME, joined: true },
      { deviceId: EUI.PPMID, joined: true },
    ];
    expect((await run(one, { devices: log(both) })).expectations.map((e) => [e.passed, e.expected, e.actual])).toEqual([
      [true, 'CHF: joined PPMID', `CHF: joined ${EUI.ESME}, ${EUI.PPMID}`],
    ]);
    expect((await run(two, { devices: log(both) })).failures).toEqual([]);
    expect(
      (await run(two, { devices: log([{ deviceId: EUI.PPMID, joined: true }]) })).failures.map((f) => [
        f.expected,
        f.actual,
      ]),
    ).toEqual([['CHF: joined PPMID, ESME', `CHF: joined ${EUI.PPMID}`]]);
    // on the log, not joined
    expect(
      (await run(one, { devices: log([{ deviceId: EUI.PPMID, joined: false }]) })).failures.map((f) => f.actual),
    ).toEqual(['CHF: joined none']);
    expect(
      (
        await run(one, {
          devices: {
            CH: (c: { type: string }) => (c.type === 'readDeviceInfo' ? { status: 'ok', body: {} } : { status: 'ok' }),
          },
        })
      ).failures.map((f) => f.actual),
    ).toEqual(['CHF: joined none']);
  });
});

describe('the slots matcher (readCredentials answered as written here)', () => {
  const pki = generateTestPki({
    seed: 'executor-matchers',
    notBefore: Date.UTC(2015, 0, 1),
    notAfter: Date.UTC(2035, 0, 1),
  });
  const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
  const supplierCertificate = issueTestCertificate(pki, { role: 2, entityId: SUPPLIER }).certificate;
  // slot 2 (supplier) holds the supplier's certificate, slot 3 (network operator) is empty
  const devices = {
    ESME: (c: { type: string; role?: number }) =>
      c.type !== 'readCredentials'
        ? { status: 'unknownCommand' }
        : c.role === 2
          ? { status: 'ok', body: { certificate: supplierCertificate } }
          : { status: 'ok' },
  };

  it('each slot by entity id, or empty', async () => {
    expect(
      (await run(expectLine(`slots: { device: ESME, supplier: ${SUPPLIER}, networkOperator: empty }`), { devices }))
        .failures,
    ).toEqual([]);
    const r = await run(
      expectLine(`slots: { device: ESME, supplier: ${SUPPLIER}, networkOperator: 90-B3-D5-1F-30-02-00-01 }`),
      { devices },
    );
    expect(r.failures.map((f) => [f.expected, f.actual])).toEqual([
      [
        `ESME slots supplier ${SUPPLIER}, networkOperator 90-B3-D5-1F-30-02-00-01`,
        `ESME slots supplier ${SUPPLIER}, networkOperator empty`,
      ],
    ]);
    expect((await run(expectLine('slots: { device: ESME, supplier: empty }'), { devices })).failures).toHaveLength(1);
  });
});

describe('the smiStatus matcher (Registration Data as written here)', () => {
  it('the status of the device, or none', async () => {
    const expectation = expectLine('smiStatus: { device: ESME, status: Suspended }');
    expect((await run(expectation, { smi: { ESME: 'Suspended' } })).failures).toEqual([]);
    expect(
      (await run(expectation, { smi: { ESME: 'Commissioned' } })).failures.map((f) => [f.expected, f.actual]),
    ).toEqual([['ESME SMI status Suspended', 'SMI status Commissioned']]);
    expect((await run(expectation, {})).failures.map((f) => f.actual)).toEqual(['SMI status none']);
  });
});

describe('the duration matcher on an SR (each takes 2 s of virtual time here)', () => {
  it.each([
    ['{ of: sr, atLeast: 2s, atMost: 2s }', true, 'sr took at least 2 s and at most 2 s'],
    ['{ of: sr, atLeast: 1s }', true, 'sr took at least 1 s'],
    ['{ of: sr, atMost: 3s }', true, 'sr took at most 3 s'],
    ['{ of: sr, atLeast: 3s }', false, 'sr took at least 3 s'],
    ['{ of: sr, atMost: 1s }', false, 'sr took at most 1 s'],
    ['{ of: sr, atLeast: 1s, atMost: 1999ms }', false, 'sr took at least 1 s and at most 1.999 s'],
  ])('duration: %s holds: %s', async (body, passed, expected) => {
    expect(
      (await run(SR + expectLine(`duration: ${body}`), {})).expectations.map((e) => [e.passed, e.expected, e.actual]),
    ).toEqual([[passed, expected, 'sr took 2 s']]);
  });
});

describe('how long an expectation waits, and what it counts (virtual time: the expectation is recorded when it is over)', () => {
  it('an alert expectation stops at the alert; a noAlert waits out its window, and no further', async () => {
    const at30 = { alerts: [{ at: SR_MS + 30_000, code: '8F49', device: 'PPMID' }] } as const;
    expect(
      (await run(SR + expectLine('alert: { code: 0x8F49, within: 1min }'), at30)).expectations.map((e) => [
        e.at,
        e.passed,
      ]),
    ).toEqual([[SR_MS + 30_000, true]]);
    // the 0x8F49 at +30 s is a timer still due after the window: not run to
    expect(
      (await run(SR + expectLine('noAlert: { code: 0x8F49, within: 10s }'), at30)).expectations.map((e) => [
        e.at,
        e.passed,
      ]),
    ).toEqual([[SR_MS + 10_000, true]]);
    // nothing due at all
    expect(
      (await run(SR + expectLine('noAlert: { code: 0x8F49, within: 10s }'), {})).expectations.map((e) => [
        e.at,
        e.passed,
      ]),
    ).toEqual([[SR_MS + 10_000, true]]);
    // an alert of another code does not end an alert's wait
    expect(
      (
        await run(SR + expectLine('alert: { code: 0x8F49, within: 1min }'), {
          alerts: [{ at: SR_MS + 5_000, code: '8F48', device: 'PPMID' }],
        })
      ).expectations.map((e) => [e.at, e.passed]),
    ).toEqual([[SR_MS + 60_000, false]]);
  });

  it('a noAlert that fails still waits out its window', async () => {
    const r = await run(SR + expectLine('noAlert: { code: 0x8F49, within: 1min }'), {
      alerts: [{ at: SR_MS + 30_000, code: '8F49', device: 'PPMID' }],
    });
    expect(r.expectations.map((e) => [e.at, e.passed])).toEqual([[SR_MS + 60_000, false]]);
  });

  it('an alert at the very end of the window counts', async () => {
    expect(
      await failures(SR + expectLine('alert: { code: 0x8F70, within: 5s }'), {
        alerts: [{ at: SR_MS + 5_000, code: '8F70', device: 'ESME' }],
      }),
    ).toEqual([]);
  });

  it("the response matcher reads responses and errors only, not an alert among the SR's outputs", async () => {
    const r = await run(SR + expectLine('response: none'), {
      srOutputs: ['response I99', 'response I0', 'dcc-alert N24'],
    });
    expect(r.failures.map((f) => f.actual)).toEqual(['response codes I99, I0']);
  });

  it('a DCC alert expectation is told by its code and DUIS name', async () => {
    expect(
      (await run(SR + expectLine('alert: { code: N24, within: 1s, device: CHF }'), {})).failures.map((f) => f.expected),
    ).toEqual(['alert N24 "Update HAN Device Log Result" from CHF within 1 s']);
  });
});

describe('on the wall clock (a real bench: the executor polls)', () => {
  // the alerts' times are real ms from the start; the expect is the scenario's first step, so its window opens at 0
  const early: Timeline = { alerts: [{ at: 100, code: '8F49', device: 'PPMID' }] };

  it('noAlert keeps polling to the end of its window and sees the alert that came in it', async () => {
    const events: string[] = [];
    const waiting = (what: string) => {
      events.push(`begin ${what}`);
      return () => void events.push(`end ${what}`);
    };
    const r = await run(expectLine('noAlert: { code: 0x8F49, within: 400ms }'), early, { wall: { waiting } });
    const what = 'no alert 0x8F49 "Device joining succeeded" within 0.4 s';
    expect(r.failures.map((f) => [f.expected, f.actual.replace(/at \+[\d.]+ s$/, 'at +… s')])).toEqual([
      [what, `1 such alert: 0x8F49 "Device joining succeeded" from ${UNNAMED.PPMID} at +… s`],
    ]);
    expect(events).toEqual([`begin ${what}`, `end ${what}`]);
  });

  it('an alert expectation is met by the alert that comes while it polls', async () => {
    expect((await run(expectLine('alert: { code: 0x8F49, within: 10s }'), early, { wall: {} })).failures).toEqual([]);
  });

  it('a window already over: nothing to wait for, no wait told', async () => {
    const events: string[] = [];
    const r = await run(
      '      - wait: 0s\n' + expectLine('noAlert: { within: 0s }'),
      {},
      { wall: { waiting: (what) => (events.push(what), () => undefined) } },
    );
    expect(r.failures).toEqual([]);
    expect(events).toEqual(['wait 0 s']);
  });

  it('a scenario stopped (its timeout) ends the poll at once', async () => {
    let scenarioRun: ScenarioRun | undefined;
    const running = run(
      expectLine('noAlert: { code: 0x8F49, within: 10min }'),
      {},
      { wall: { started: (r) => (scenarioRun = r) } },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    scenarioRun!.stop();
    // without the stop this would poll for ten minutes, far past the test's limit
    expect((await running).expectations.map((e) => e.passed)).toEqual([true]);
  }, 20_000);
});

describe('the migration and duration matchers on a migrate step (its result written here)', () => {
  const GSME = '00-DB-12-34-56-78-90-A1';
  const step = (name: MigrationResult['steps'][number]['name'], startMs: number, endMs: number) => ({
    attempt: 1,
    name,
    device: GSME,
    startMs,
    endMs,
    outcome: 'ok' as const,
    duis: [],
    frames: [],
  });
  const excluded: MigrationResult = {
    installation: 'active',
    outcome: 'excluded',
    rejection: { code: 'data-mismatch', detail: 'the MPxN differs' },
    attempts: 5,
    failedAttempts: 5,
    // two credential swaps, of 60 s then 30 s: a duration names the last
    steps: [step('credentialSwap', 1_000, 61_000), step('credentialSwap', 100_000, 130_000)],
    phases: [],
    failures: [],
    startMs: 0,
    endMs: 3_600_000,
  };
  const MIGRATE = '      - migrate: {}\n';
  const told = async (body: string, migration: MigrationResult = excluded) =>
    (await run(MIGRATE + expectLine(body), {}, { migration })).expectations.map((e) => [
      e.passed,
      e.expected,
      e.actual,
    ]);

  it('migration: the outcome, and the attempts when given', async () => {
    const actual = 'migration excluded after 5 attempt(s) (data-mismatch)';
    expect(await told('migration: { outcome: excluded, attempts: 5 }')).toEqual([
      [true, 'migration excluded after 5 attempt(s)', actual],
    ]);
    expect(await told('migration: { outcome: excluded }')).toEqual([[true, 'migration excluded', actual]]);
    expect(await told('migration: { outcome: excluded, attempts: 4 }')).toEqual([
      [false, 'migration excluded after 4 attempt(s)', actual],
    ]);
    expect(await told('migration: { outcome: migrated, attempts: 5 }')).toEqual([
      [false, 'migration migrated after 5 attempt(s)', actual],
    ]);
  });

  it('migration: a dumb outcome names the dumb devices', async () => {
    const { rejection: _none, ...notRejected } = excluded;
    const dumb: MigrationResult = {
      ...notRejected,
      outcome: 'dumb',
      attempts: 1,
      dumbDevices: [GSME, '00-DB-12-34-56-78-90-A0'],
    };
    expect(await told('migration: { outcome: dumb }', dumb)).toEqual([
      [true, 'migration dumb', `migration dumb after 1 attempt(s) (dumb: ${GSME}, 00-DB-12-34-56-78-90-A0)`],
    ]);
  });

  it('duration: the whole migration, or the last step of a name, or none', async () => {
    expect(await told('duration: { of: migrate, atLeast: 1h, atMost: 1h }')).toEqual([
      [true, 'migrate took at least 3600 s and at most 3600 s', 'migrate took 3600 s'],
    ]);
    expect(await told('duration: { of: credentialSwap, atMost: 30s }')).toEqual([
      [true, 'credentialSwap took at most 30 s', 'credentialSwap took 30 s'],
    ]);
    expect(await told('duration: { of: credentialSwap, atLeast: 31s }')).toEqual([
      [false, 'credentialSwap took at least 31 s', 'credentialSwap took 30 s'],
    ]);
    expect(await told('duration: { of: commissioning, atMost: 1h }')).toEqual([
      [false, 'commissioning took at most 3600 s', 'no commissioning step'],
    ]);
  });
});
