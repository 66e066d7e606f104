/**
 * Issue 15.1: each defect pack run with its defect's quirk or fix flipped, through the executor the built-in tests use.
 * Inverting every expectation (builtinSuite.ts) only shows a pack can fail; this shows each scenario depends on the
 * defect it is about. The tables (flip → scenario → the expectations that must catch it, as `line kind` of the pack
 * file) are written by hand from reading the packs; every scenario a flip does not list must still pass. A pack that
 * still passes with its defect flipped is a defect in the pack.
 *
 * Slow (a DUIS gateway run per SR): its own file, one test a pack, so `-t` picks one while working on it.
 */
import { describe, expect, it } from 'vitest';
import { getQuirk, isQuirkId } from '../../devices/quirks/registry';
import { loadPack } from '../../harness/packs';
import type { FixSwitch } from '../../harness/packs/benchSwitches';
import type { MigrationFault, Pack, PackBench, Scenario, Step } from '../../harness/packs/model';
import { runScenario } from '../../harness/run/executor';

type Flip = (scenario: Scenario) => Scenario;

const withBench = (scenario: Scenario, bench: Partial<PackBench>): Scenario => ({
  ...scenario,
  bench: { ...scenario.bench, ...bench },
});

/** A quirk switched to the opposite of what the scenario runs with: its override, else the default (S1SP/WAN quirks are on by default). */
const flipQuirk =
  (id: string): Flip =>
  (scenario) => {
    const on = scenario.bench.quirks[id] ?? (isQuirkId(id) ? getQuirk(id).defaultOn[scenario.bench.vendor] : true);
    return withBench(scenario, { quirks: { ...scenario.bench.quirks, [id]: !on } });
  };

const flipFix =
  (id: FixSwitch): Flip =>
  (scenario) =>
    withBench(scenario, { fixes: { ...scenario.bench.fixes, [id]: scenario.bench.fixes[id] !== true } });

const flipDsp: Flip = (scenario) =>
  withBench(scenario, {
    dsp: scenario.bench.dsp === 'slot-certificate' ? 'registered-network-operator' : 'slot-certificate',
  });

/** The Core 1.1 split-supplier fix is a migrate step's option, not a bench switch. */
const flipSplitSupplierFix: Flip = (scenario) => ({
  ...scenario,
  steps: scenario.steps.map((step) =>
    step.kind === 'migrate'
      ? { ...step, options: { ...step.options, splitSupplierFix: step.options.splitSupplierFix !== true } }
      : step,
  ),
});

/** Every migrate step's `fail` list mapped fault by fault (a fault mapped to undefined is dropped). */
const mapMigrationFaults =
  (map: (fault: MigrationFault) => MigrationFault | undefined): Flip =>
  (scenario) => ({
    ...scenario,
    steps: scenario.steps.map((step) =>
      step.kind === 'migrate'
        ? { ...step, options: { ...step.options, fail: step.options.fail.flatMap((fault) => map(fault) ?? []) } }
        : step,
    ),
  });

/** The DCC's data without its fault: every swap carries the DCC party's own certificate. */
const withoutUntrustedCertificate = mapMigrationFaults((fault) =>
  fault.certificate === 'untrusted' ? undefined : fault,
);

/** The untrusted certificate at the meter's other slot: network operator (dumb) ↔ supplier (only refused). */
const untrustedAtOtherSlot = mapMigrationFaults((fault) =>
  fault.certificate === 'untrusted'
    ? { ...fault, slot: (fault.slot ?? 'networkOperator') === 'networkOperator' ? 'supplier' : 'networkOperator' }
    : fault,
);

/** The ESME's wiring left correct where the scenario reverses it. */
const polarityCorrect: Flip = (scenario) => ({
  ...scenario,
  steps: scenario.steps.map((step): Step =>
    step.kind === 'stimulus' && step.stimulus.type === 'polarity'
      ? { ...step, stimulus: { ...step.stimulus, reversed: false } }
      : step,
  ),
});

/** No signed command captured and sent again. */
const withoutReplay: Flip = (scenario) => ({
  ...scenario,
  steps: scenario.steps.filter((step) => !(step.kind === 'stimulus' && step.stimulus.type === 'replay')),
});

const onVendor =
  (vendor: PackBench['vendor']): Flip =>
  (scenario) =>
    withBench(scenario, { vendor });

interface FlipCase {
  readonly flip: string;
  readonly apply: Flip;
  /** scenario name → the expectations (`line kind`) that must fail; scenarios not named must pass. */
  readonly mustFail: Readonly<Record<string, readonly string[]>>;
}

const S61224 = {
  quirkOn: 'quirk on, the alerts of the 2nd, 3rd and 6th of nine 6.23s are missing',
  fix: 'fix cos-alert-always, every one of nine alerts arrives',
  quirkOff: 'quirk off, every one of nine alerts arrives',
};
const S91333 = {
  refused: 'Itron, the second 6.7 of the day is refused',
  quirkOff: 'Itron with the quirk off, both 6.7s the same day are accepted',
};
const S91339 = {
  fix: 'with response-code-always every response carries its code',
  noFix: 'without the fix a few responses lack the code (seeded)',
};
const S91342 = {
  s255: 'fix off, 255 s is accepted and the PPMID joins',
  s256: 'fix off, 256 s is refused by the CH and the PPMID never joins',
  s300: 'fix off, 300 s is refused by the CH and the PPMID never joins',
  clamped: 'fix on, 300 s is clamped to 255 s and the PPMID joins inside 255 s',
};
const S91342_WINDOW = {
  open230: 'the clamped join window is open 230 s after the 8.11',
  closed260: 'the clamped join window has closed 260 s after the 8.11',
};
const SRISK9 = {
  refused: "DSP slot-certificate, the right DNO's 6.15.1 is refused E4 and the wrong DNO stays",
  again: 'DSP slot-certificate, a second try a day later is refused E4 too',
  fix: 'DSP registered-network-operator (the fix), the right DNO replaces the wrong one',
};
const SSPLIT = {
  rejected: 'without the fix the installation is correctly rejected, nothing touched',
  migrates:
    'with the Core 1.1 fix it migrates, the GSME holding the gas supplier and the ESME the electricity supplier',
  retry: "with the fix, a failed GSME commissioning rolls the gas supplier's certificate back, and the retry migrates",
};
const SSRV410 = {
  quirkOff: 'quirk off, 30-day reads arrive',
  seeded: '30-day reads are lost on the WAN about half the time (seeded)',
};

const SDUMB = {
  networkOperator: 'an untrusted certificate at the network-operator slot leaves the ESME dumb, recovered and migrated',
  supplier: 'the same certificate at the supplier slot, the first of the swap, only fails that attempt',
};
const SPREPAY = {
  grave: 'the grave case, a prepayment ESME left dumb by its migration cannot be topped up until recovered',
};
const SALERTS = {
  polarity: '0x81B8, the ESME wired in reverse polarity',
  replay: '0x8F3E, a replayed 6.11 clock synchronisation is refused',
};

const TABLES: Readonly<Record<string, readonly FlipCase[]>> = {
  'packs/defects/61224.yaml': [
    // quirk off in the first scenario: the alerts of #2, #3 and #6 arrive; on in the third: the seeded draws drop them
    {
      flip: 'quirk 61224',
      apply: flipQuirk('61224'),
      mustFail: {
        [S61224.quirkOn]: ['30 noAlert', '33 noAlert', '42 noAlert'],
        [S61224.quirkOff]: ['81 alert', '83 alert', '89 alert'],
      },
    },
    // the fix on where it was off sends all nine; off where it was on (quirk on) drops #2, #3, #6; the quirk-off scenario needs no fix
    {
      flip: 'fix cos-alert-always',
      apply: flipFix('cos-alert-always'),
      mustFail: {
        [S61224.quirkOn]: ['30 noAlert', '33 noAlert', '42 noAlert'],
        [S61224.fix]: ['59 alert', '61 alert', '67 alert'],
      },
    },
  ],
  'packs/defects/91333.yaml': [
    // the next-day scenario holds either way; on Elster the Itron quirk has no effect
    {
      flip: 'quirk 91333',
      apply: flipQuirk('91333'),
      mustFail: { [S91333.refused]: ['20 messageSuccess'], [S91333.quirkOff]: ['36 messageSuccess'] },
    },
  ],
  'packs/defects/91339-91340.yaml': [
    // with the fix on the quirk changes nothing; without it, the 32nd response keeps its code
    { flip: 'quirk 91339/91340', apply: flipQuirk('91339/91340'), mustFail: { [S91339.noFix]: ['163 response'] } },
    {
      flip: 'fix response-code-always',
      apply: flipFix('response-code-always'),
      mustFail: { [S91339.fix]: ['80 response'], [S91339.noFix]: ['163 response'] },
    },
  ],
  'packs/defects/91342-elster.yaml': [
    // firmware without the defect takes 256 and 300 s; 255 s and the clamped 300 s join either way
    {
      flip: 'quirk 91342',
      apply: flipQuirk('91342'),
      mustFail: {
        [S91342.s256]: ['51 messageSuccess', '52 alert', '54 noAlert'],
        [S91342.s300]: ['66 messageSuccess', '67 alert', '69 noAlert'],
      },
    },
    // the clamp on makes 256 and 300 s 255 s (accepted); off, the 300 s of the fixed scenario is refused
    {
      flip: 'fix clamp-join-period',
      apply: flipFix('clamp-join-period'),
      mustFail: {
        [S91342.s256]: ['51 messageSuccess', '52 alert', '54 noAlert'],
        [S91342.s300]: ['66 messageSuccess', '67 alert', '69 noAlert'],
        [S91342.clamped]: ['83 messageSuccess', '85 alert'],
      },
    },
  ],
  'packs/defects/91342-elster-window.yaml': [
    // with the clamp the CH receives 255 s whether or not it has the defect
    { flip: 'quirk 91342', apply: flipQuirk('91342'), mustFail: {} },
    // without it the 300 s is refused: no window opens, for the PPMID at 230 s or at 260 s (refused either way)
    {
      flip: 'fix clamp-join-period',
      apply: flipFix('clamp-join-period'),
      mustFail: {
        [S91342_WINDOW.open230]: ['29 messageSuccess', '33 alert'],
        [S91342_WINDOW.closed260]: ['43 messageSuccess'],
      },
    },
  ],
  'packs/defects/91342-itron.yaml': [
    // the control: the Elster quirk and the Elster-only clamp leave an Itron CH alone; on an Elster CH 300 s is refused
    { flip: 'quirk 91342', apply: flipQuirk('91342'), mustFail: {} },
    { flip: 'fix clamp-join-period', apply: flipFix('clamp-join-period'), mustFail: {} },
    {
      flip: 'vendor elster',
      apply: onVendor('elster'),
      mustFail: {
        '300 s is accepted and the PPMID joins': ['23 messageSuccess', '24 noAlert', '26 alert', '28 deviceState'],
      },
    },
  ],
  'packs/defects/alerts-81b8-8f3e.yaml': [
    // wired correctly the ESME has nothing to report; the later correction and its quiet hour hold either way
    { flip: 'polarity correct', apply: polarityCorrect, mustFail: { [SALERTS.polarity]: ['19 alert'] } },
    // nothing replayed, nothing refused: only the 8F3E the replay raises goes missing, the 6.11 itself is unchanged
    { flip: 'no replay', apply: withoutReplay, mustFail: { [SALERTS.replay]: ['29 alert'] } },
  ],
  'packs/defects/migration-dumb.yaml': [
    // both attempts' swaps clean: migrated at the first attempt, so nothing is dumb, the 7.4 is answered, a recovery
    // of a DCC-service ESME leaves it in dcc (0x8F70 still raised) and the later migrate reports the one attempt
    {
      flip: 'no untrusted certificate',
      apply: withoutUntrustedCertificate,
      mustFail: {
        [SDUMB.networkOperator]: [
          '23 migration',
          '24 deviceState',
          '25 smiStatus',
          '28 messageSuccess',
          '32 deviceState',
          '35 migration',
        ],
        [SDUMB.supplier]: ['43 migration'],
      },
    },
    // at the supplier slot the first scenario's attempt is only refused (migrated at the retry, attempts 2); at the
    // network-operator slot the second scenario's ESME turns dumb
    {
      flip: 'untrusted certificate at the other slot',
      apply: untrustedAtOtherSlot,
      mustFail: {
        [SDUMB.networkOperator]: [
          '23 migration',
          '24 deviceState',
          '25 smiStatus',
          '28 messageSuccess',
          '32 deviceState',
          '35 migration',
        ],
        [SDUMB.supplier]: ['43 migration', '44 deviceState'],
      },
    },
  ],
  'packs/defects/prepayment-dumb.yaml': [
    // no migrate in the top-up scenario; in the grave case a clean migration (at most 7 h) keeps the ESME in service
    // with credit left: both top-ups and the 7.4 succeed, the supply is never cut, the later migrate counts one attempt
    {
      flip: 'no untrusted certificate',
      apply: withoutUntrustedCertificate,
      mustFail: {
        [SPREPAY.grave]: [
          '45 migration',
          '45 deviceState',
          '47 messageSuccess',
          '49 messageSuccess',
          '52 migration',
          '52 deviceState',
          '54 deviceState',
        ],
      },
    },
    // refused at the supplier slot: migrated at the retry a day later (the credit gone meanwhile, supply disabled), so
    // the first top-up succeeds and arms the supply; the second keeps it armed
    {
      flip: 'untrusted certificate at the supplier slot',
      apply: untrustedAtOtherSlot,
      mustFail: {
        [SPREPAY.grave]: [
          '45 migration',
          '45 deviceState',
          '47 messageSuccess',
          '49 messageSuccess',
          '52 migration',
          '52 deviceState',
        ],
      },
    },
  ],
  'packs/defects/risk11.yaml': [
    // Itron only: the quirk on refuses the DNO's 6.5 and 6.22, off accepts them; an Elster ESME has no such rule
    {
      flip: 'quirk risk11',
      apply: flipQuirk('risk11'),
      mustFail: {
        "Itron, the DNO's 6.5 is refused": ['20 messageSuccess'],
        "Itron with the quirk off, the DNO's 6.5 is accepted": ['26 messageSuccess'],
        "Itron, the DNO's 6.22 is refused": ['37 messageSuccess'],
        "Itron with the quirk off, the DNO's 6.22 is accepted": ['43 messageSuccess'],
      },
    },
  ],
  'packs/defects/risk9.yaml': [
    // the slot checks before the SR hold either way; the import supplier is refused E4 in both modes
    {
      flip: 'dsp mode',
      apply: flipDsp,
      mustFail: {
        [SRISK9.refused]: ['39 response', '40 noAlert', '42 slots'],
        [SRISK9.again]: ['52 response', '59 response', '61 slots'],
        [SRISK9.fix]: ['88 response', '89 messageSuccess', '90 alert', '92 slots'],
      },
    },
  ],
  'packs/defects/split-supplier.yaml': [
    // the ESME keeps the electricity supplier whether or not the home migrates
    {
      flip: 'splitSupplierFix',
      apply: flipSplitSupplierFix,
      mustFail: {
        [SSPLIT.rejected]: [
          '26 migration',
          '27 duration',
          '29 smiStatus',
          '31 smiStatus',
          '33 deviceState',
          '35 deviceState',
          '37 slots',
        ],
        [SSPLIT.migrates]: [
          '43 migration',
          '45 duration',
          '47 smiStatus',
          '49 smiStatus',
          '51 slots',
          '55 deviceState',
        ],
        [SSPLIT.retry]: ['65 migration', '66 duration', '68 smiStatus', '70 slots'],
      },
    },
  ],
  'packs/defects/srv4.10.yaml': [
    // with the quirk on the quirk-off scenario's reads meet the same draws as the seeded one; the 29-day read holds either way
    {
      flip: 'quirk SRV4.10',
      apply: flipQuirk('SRV4.10'),
      mustFail: {
        [SSRV410.quirkOff]: ['26 response', '28 response', '32 response'],
        [SSRV410.seeded]: ['48 response', '50 response', '54 response'],
      },
    },
  ],
};

/** What a run of the flipped pack gave: scenario → the failed expectations as `line kind` (none: it passed). */
async function runFlipped(pack: Pack, apply: Flip): Promise<Record<string, string[]>> {
  const flipped: Pack = { ...pack, scenarios: pack.scenarios.map(apply) };
  const failed: Record<string, string[]> = {};
  for (const scenario of flipped.scenarios) {
    const result = await runScenario(flipped, scenario);
    if (result.verdict === 'error')
      throw new Error(`${scenario.name}: ${result.failures.map((f) => f.message).join('; ')}`);
    if (result.failures.length > 0)
      failed[scenario.name] = result.failures.map((f) => `${f.line} ${f.step.split(' ').at(-1)}`);
  }
  return failed;
}

describe('defect packs with their defect flipped fail exactly where they depend on it', () => {
  it('has a table for every defect pack', async () => {
    const { packFiles } = await import('../../harness/run/packFiles');
    expect(Object.keys(TABLES).sort()).toEqual(packFiles(['packs/defects']).sort());
  });

  describe.each(Object.entries(TABLES))('%s', (file, cases) => {
    it.each(cases.map((c) => [c.flip, c] as const))(
      'flipped %s',
      async (_flip, c) => {
        const pack = loadPack(file);
        for (const name of Object.keys(c.mustFail)) expect(pack.scenarios.map((s) => s.name)).toContain(name);
        expect(await runFlipped(pack, c.apply)).toEqual(c.mustFail);
      },
      600_000,
    );
  });
});
