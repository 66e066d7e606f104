/**
 * The model the executor gets from the example packs: defaults, resolved devices (RTDS EUIs written out here),
 * durations in ms, alert codes, positions; inversion; the switch table's ids.
 */
import { describe, expect, it } from 'vitest';
import { invertPack, loadPack, PACK_QUIRKS, FIX_SWITCHES, type Pack } from '../../harness/packs';

const PPMID = '00-DB-12-34-56-78-90-A3';
const CHF = '00-DB-12-34-56-78-90-A2';
const ESME = '00-DB-12-34-56-78-90-A0';
const FILE_91342 = 'packs/defects/91342-elster.yaml';

describe('the 91342 example', () => {
  const pack = loadPack(FILE_91342);

  it('has the bench with its defaults filled in', () => {
    expect(pack.name).toBe('91342-elster');
    expect(pack.bench).toEqual({
      vendor: 'elster',
      installation: 'active',
      migrationState: 'dcc',
      sets: 1,
      ppmid: true,
      devices: 'emulated',
      quirks: { '91342': true },
      fixes: { 'response-code-always': true },
      dsp: 'slot-certificate',
      seed: 1,
      slots: [],
      // no bench.euis or bench.installCodes: the README's scheme, the RTDS install codes
      euis: [
        {
          ESME: '00-DB-12-34-56-78-90-A0',
          GSME: '00-DB-12-34-56-78-90-A1',
          CH: '00-DB-12-34-56-78-90-A2',
          PPMID: '00-DB-12-34-56-78-90-A3',
        },
      ],
      installCodes: [{}],
      linkText: 'mock',
      link: { kind: 'mock', baudRate: 115200 },
      // where the settings were written (the pre-flight names them): the bench map from 12:3, vendor 12:11,
      // "91342": true's value 15:14, seed 19:9
      where: {
        bench: { file: FILE_91342, line: 12, column: 3 },
        vendor: { file: FILE_91342, line: 12, column: 11 },
        'quirks.91342': { file: FILE_91342, line: 15, column: 14 },
        seed: { file: FILE_91342, line: 19, column: 9 },
      },
    });
  });

  it('has four scenarios; the last switches clamp-join-period on over the pack fixes', () => {
    expect(pack.scenarios.map((s) => [s.name, s.bench.fixes])).toEqual([
      ['fix off, 255 s is accepted and the PPMID joins', { 'response-code-always': true }],
      ['fix off, 256 s is refused by the CH and the PPMID never joins', { 'response-code-always': true }],
      ['fix off, 300 s is refused by the CH and the PPMID never joins', { 'response-code-always': true }],
      [
        'fix on, 300 s is clamped to 255 s and the PPMID joins inside 255 s',
        { 'response-code-always': true, 'clamp-join-period': true },
      ],
    ]);
  });

  it('first scenario: power on, 90 s, the 8.11 with devices as EUIs, then its expectations', () => {
    const [power, wait, sr, first, second, third] = pack.scenarios[0].steps;
    expect(power).toEqual({
      kind: 'stimulus',
      position: { file: FILE_91342, line: 25, column: 9 },
      stimulus: { type: 'ppmidPowerOn' },
      device: { text: 'PPMID', role: 'PPMID', set: 0, eui: PPMID },
    });
    expect(wait).toEqual({ kind: 'wait', position: { file: FILE_91342, line: 26, column: 9 }, ms: 90_000 });
    expect(sr).toEqual({
      kind: 'sr',
      position: { file: FILE_91342, line: 27, column: 9 },
      request: {
        source: 'srv',
        srv: '8.11',
        target: { text: 'CHF', role: 'CH', set: 0, eui: CHF },
        user: 'IS',
        params: {
          DeviceID: PPMID,
          RequestType: 'Add',
          JoinTimePeriod: 255,
          InstallCode: '30313233343536373839414243444546',
        },
      },
    });
    expect(first).toEqual({
      kind: 'expect',
      position: { file: FILE_91342, line: 32, column: 9 },
      expectations: [
        { kind: 'response', code: 'I0', inverted: false, position: { file: FILE_91342, line: 33, column: 11 } },
        {
          kind: 'messageSuccess',
          success: true,
          inverted: false,
          position: { file: FILE_91342, line: 34, column: 11 },
        },
        {
          kind: 'alert',
          code: { kind: 'dcc', code: 'N24' },
          withinMs: 1000,
          inverted: false,
          position: { file: FILE_91342, line: 35, column: 11 },
        },
      ],
    });
    expect(second.kind === 'expect' && second.expectations).toEqual([
      {
        kind: 'alert',
        code: { kind: 'device', code: 0x8f49 },
        withinMs: 255_000,
        device: { text: 'CHF', role: 'CH', set: 0, eui: CHF },
        inverted: false,
        position: { file: FILE_91342, line: 37, column: 11 },
      },
    ]);
    expect(third.kind === 'expect' && third.expectations).toEqual([
      {
        kind: 'deviceState',
        device: { text: 'CHF', role: 'CH', set: 0, eui: CHF },
        joined: [{ text: 'PPMID', role: 'PPMID', set: 0, eui: PPMID }],
        inverted: false,
        position: { file: FILE_91342, line: 39, column: 11 },
      },
    ]);
  });

  it('the refusals expect no 0x8F49 for ten minutes', () => {
    const last = pack.scenarios[2].steps.at(-1)!;
    expect(last.kind === 'expect' && last.expectations.map(({ position: _p, ...e }) => e)).toEqual([
      { kind: 'noAlert', code: { kind: 'device', code: 0x8f49 }, withinMs: 600_000, inverted: false },
    ]);
  });
});

describe('the migration example', () => {
  const pack = loadPack('packs/examples/migration-elster-dormant.yaml');

  it('migrate steps with defaults, failures and split supplier', () => {
    const migrates = pack.scenarios.map((s) => s.steps[0]).map((step) => step.kind === 'migrate' && step.options);
    expect(migrates).toEqual([
      { installation: 'dormant', fail: [] },
      { installation: 'dormant', gasSupplier: '90-B3-D5-1F-30-01-00-01', fail: [] },
      { installation: 'dormant', gasSupplier: '90-B3-D5-1F-30-01-00-01', splitSupplierFix: true, fail: [] },
      {
        installation: 'dormant',
        fail: [
          {
            step: 'credentialSwap',
            device: { text: 'GSME', role: 'GSME', set: 0, eui: '00-DB-12-34-56-78-90-A1' },
            attempts: 5,
          },
        ],
      },
    ]);
  });

  it('the success scenario bounds the migration between 2 and 3 hours', () => {
    const expect1 = pack.scenarios[0].steps[1];
    expect(expect1.kind === 'expect' && expect1.expectations.map(({ position: _p, ...e }) => e)).toEqual([
      { kind: 'migration', outcome: 'migrated', attempts: 1, inverted: false },
      { kind: 'duration', of: 'migrate', atLeastMs: 7_200_000, atMostMs: 10_800_000, inverted: false },
    ]);
  });
});

describe('scenario benches', () => {
  it("merge quirks and fixes key by key over the pack's and replace the other fields", async () => {
    const { parsePack } = await import('../../harness/packs');
    const pack = parsePack(
      `name: p
bench:
  vendor: itron
  quirks: { risk11: false, 61224: true }
  fixes: { cos-alert-always: true }
  dsp: slot-certificate
scenarios:
  - name: a
    steps: [ { wait: 1s } ]
  - name: b
    bench: { vendor: elster, dsp: registered-network-operator, seed: 9, quirks: { 61224: false }, fixes: { clamp-join-period: true } }
    steps: [ { wait: 1s } ]
`,
      'p.yaml',
    );
    const [a, b] = pack.scenarios.map((s) => s.bench);
    expect(a).toEqual(pack.bench);
    expect([b.vendor, b.dsp, b.seed, b.quirks, b.fixes, b.installation, b.linkText]).toEqual([
      'elster',
      'registered-network-operator',
      9,
      { risk11: false, '61224': false },
      { 'cos-alert-always': true, 'clamp-join-period': true },
      'active',
      'mock',
    ]);
  });
});

describe('starting slots, sr certificates and the gas retry', () => {
  it('resolves bench slots to devices; a scenario list replaces the pack list; an sr carries a party certificate; gasRetry is kept', async () => {
    const { parsePack } = await import('../../harness/packs');
    const pack = parsePack(
      `name: p
bench:
  vendor: itron
  slots:
    - { device: ESME, networkOperator: 90-B3-D5-1F-30-02-00-09 }
scenarios:
  - name: a
    steps:
      - sr: { template: CS02bNOByNO_6.15.1_SUCCESS, certificate: { role: networkOperator, party: 90-B3-D5-1F-30-02-00-00 } }
  - name: b
    bench: { slots: [ { device: 00-DB-12-34-56-78-90-A1, supplier: 90-B3-D5-1F-30-01-00-01, networkOperator: 90-B3-D5-1F-30-02-00-01 } ] }
    steps:
      - sr: { srv: "6.23", target: GSME, user: GS, certificate: { role: supplier, party: 90-B3-D5-1F-30-01-00-01 } }
      - migrate: { fail: [ { step: hanPreCheck, device: GSME } ] }
      - migrate: { gasRetry: true }
`,
      'p.yaml',
    );
    const [a, b] = pack.scenarios;
    expect(pack.bench.slots).toEqual([
      {
        device: { text: 'ESME', role: 'ESME', set: 0, eui: '00-DB-12-34-56-78-90-A0' },
        holders: { networkOperator: '90-B3-D5-1F-30-02-00-09' },
      },
    ]);
    expect(a.bench.slots).toEqual(pack.bench.slots);
    expect(b.bench.slots).toEqual([
      {
        device: { text: '00-DB-12-34-56-78-90-A1', role: 'GSME', set: 0, eui: '00-DB-12-34-56-78-90-A1' },
        holders: { supplier: '90-B3-D5-1F-30-01-00-01', networkOperator: '90-B3-D5-1F-30-02-00-01' },
      },
    ]);
    const request = (step: (typeof a.steps)[number]) => (step.kind === 'sr' ? step.request : undefined);
    expect(request(a.steps[0])).toEqual({
      source: 'template',
      template: 'CS02bNOByNO_6.15.1_SUCCESS',
      params: {},
      certificate: { role: 'networkOperator', party: '90-B3-D5-1F-30-02-00-00' },
    });
    expect(request(b.steps[0])).toMatchObject({
      source: 'srv',
      srv: '6.23',
      user: 'GS',
      certificate: { role: 'supplier', party: '90-B3-D5-1F-30-01-00-01' },
    });
    expect(b.steps.slice(1).map((step) => (step.kind === 'migrate' ? step.options : undefined))).toEqual([
      {
        installation: 'active',
        fail: [
          {
            step: 'hanPreCheck',
            device: { text: 'GSME', role: 'GSME', set: 0, eui: '00-DB-12-34-56-78-90-A1' },
            attempts: 1,
          },
        ],
      },
      { installation: 'active', gasRetry: true, fail: [] },
    ]);
  });
});

describe('a migrate step as a fleet installation needs it', () => {
  it('a CH drops the GSME from its log (sent to the CHF by default); installationId and gasHanFailure are kept, a gas retry takes neither', async () => {
    const { parsePack } = await import('../../harness/packs');
    const pack = parsePack(
      `name: p
bench: { vendor: elster, installation: dormant }
scenarios:
  - name: a
    steps:
      - stimulus: { hanLogRemove: GSME }
      - migrate: { installationId: FLEET-12, gasHanFailure: reject-dormant, maxFailedAttempts: 5 }
      - migrate: { gasRetry: true }
`,
      'p.yaml',
    );
    const [remove, ...migrations] = pack.scenarios[0]!.steps;
    expect(remove).toMatchObject({
      kind: 'stimulus',
      stimulus: { type: 'hanLogRemove', removed: { role: 'GSME', eui: '00-DB-12-34-56-78-90-A1' } },
      device: { role: 'CH', eui: '00-DB-12-34-56-78-90-A2' },
    });
    expect(migrations.map((step) => (step.kind === 'migrate' ? step.options : undefined))).toEqual([
      {
        installation: 'dormant',
        installationId: 'FLEET-12',
        gasHanFailure: 'reject-dormant',
        maxFailedAttempts: 5,
        fail: [],
      },
      { installation: 'dormant', gasRetry: true, fail: [] },
    ]);
  });
});

describe('invertPack', () => {
  const expectations = (pack: Pack) =>
    pack.scenarios.flatMap((s) =>
      s.steps.flatMap((step) => (step.kind === 'expect' ? step.expectations.map((e) => e.inverted) : [])),
    );

  it('inverts every expectation and nothing else; inverting twice gives the pack back', () => {
    const pack = loadPack(FILE_91342);
    const inverted = invertPack(pack);
    expect(expectations(pack)).toEqual(Array(16).fill(false));
    expect(expectations(inverted)).toEqual(Array(16).fill(true));
    expect(inverted.scenarios[0].steps.slice(0, 3)).toEqual(pack.scenarios[0].steps.slice(0, 3));
    expect(invertPack(inverted)).toEqual(pack);
    // the original is not changed
    expect(expectations(pack)).toEqual(Array(16).fill(false));
  });
});

describe('the switch table', () => {
  it('names the device quirks, then the S1SP and WAN ones; the S1SP fixes', () => {
    expect(PACK_QUIRKS.map((q) => [q.id, q.where])).toEqual([
      ['91342', 'device'],
      ['91333', 'device'],
      ['risk11', 'device'],
      ['61224', 'S1SP'],
      ['91339/91340', 'S1SP'],
      ['SRV4.10', 'WAN'],
    ]);
    expect(FIX_SWITCHES.map((f) => f.id)).toEqual(['clamp-join-period', 'cos-alert-always', 'response-code-always']);
  });
});
