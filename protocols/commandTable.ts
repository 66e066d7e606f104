/**
 * The command table: every message of the bench protocol, once. The codec (encoder and binary-parser decoder),
 * docs/protocol.md's message tables and the tests all read this; nothing else describes a message's bytes.
 * Names and units follow docs/contract.md, so the emulator passes decoded messages to device machines unchanged.
 */
import {
  bool,
  bytes16,
  bytes8,
  enumOf,
  eui64,
  listOf,
  text,
  thousandths16,
  thousandths32,
  time,
  timeMs,
  u16,
  u32,
  u8,
  volts,
  watts,
  type FieldSpec,
} from './fieldTypes';

/**
 * command: harness → device, answered by a response; control: bench stimulus (or, to the emulator's own address, a
 * clock control), answered; alert: device → harness.
 */
export type MessageKind = 'command' | 'control' | 'alert';

export interface MessageSpec {
  readonly id: number;
  readonly name: string;
  readonly kind: MessageKind;
  /** Which devices accept it (documentation and routing checks). */
  readonly to: string;
  /** The DUIS service request it serves, if any. */
  readonly sr?: string;
  readonly doc: string;
  readonly fields: readonly FieldSpec[];
  /** Body of a successful (status ok) response; absent = status only. */
  readonly response?: readonly FieldSpec[];
}

const f = (name: string, type: FieldSpec['type'], doc: string, unit?: string, range?: string): FieldSpec => ({
  name,
  type,
  doc,
  unit,
  range,
});

const period = (name: string, doc: string) => f(name, u32, doc, 's');
const threshold = (name: string, doc: string) => f(name, volts, doc, 'V');

/** The answer to both clock controls: where the emulator's virtual time stands. */
function clockAnswer(): FieldSpec[] {
  return [
    f('now', timeMs, "the emulator's virtual now", 'ms'),
    f('nextDue', timeMs, 'when its next device timer is due; 0 if none will fire', 'ms'),
  ];
}

const replacementModes = [
  'supplierBySupplier',
  'NObyNO',
  'ACBbyACB',
  'WANPbyWANP',
  'TransCoSbyTransCoS',
  'supplierByTransCoS',
  'anyExceptAbnormalRootByRecovery',
  'anyByContingency',
  'NObyACB',
] as const;

export const commandTable: readonly MessageSpec[] = [
  // ── HAN (Communications Hub) ──────────────────────────────────────────────────────────────────────────────────
  {
    id: 0x0101,
    name: 'hanLogAdd',
    kind: 'command',
    to: 'CH',
    sr: '8.11 Add',
    doc: 'Add a device to the HAN device log (whitelist) and open its join window.',
    fields: [
      f('deviceId', eui64, 'device allowed to join'),
      f('installCode', bytes8, 'ZigBee install code', 'hex', '6–16 bytes'),
      // u16 for both vendors: the bench wire carries the JoinTimePeriod the S1SP sends (DUIS 1–3600 s), so an
      // Elster CH with defect 91342 receives a period over 255 s and refuses it itself (devices/ch/chHandlers.ts).
      f(
        'joinPeriod',
        u16,
        'join window length (DUIS JoinTimePeriod). An Elster CH with quirk 91342 refuses more than 255',
        's',
        '1–3600',
      ),
    ],
  },
  {
    id: 0x0102,
    name: 'hanLogRemove',
    kind: 'command',
    to: 'CH',
    sr: '8.11 Remove',
    doc: 'Remove a device from the HAN device log.',
    fields: [f('deviceId', eui64, 'device to remove')],
  },
  {
    id: 0x0103,
    name: 'readDeviceLog',
    kind: 'command',
    to: 'CH',
    sr: '8.9',
    doc: 'Read the HAN device log.',
    fields: [],
    response: [
      f(
        'entries',
        listOf(1, f('deviceId', eui64, 'logged device'), f('joined', bool, 'has joined the HAN')),
        'log entries',
      ),
    ],
  },
  {
    id: 0x0104,
    name: 'join',
    kind: 'command',
    to: 'ESME, GSME',
    sr: '8.7.1 / 8.7.2',
    doc: 'Bind the meter to another HAN device (a PPMID).',
    fields: [
      f('otherDeviceId', eui64, 'device to bind'),
      f('critical', bool, '8.7.1 critical (1) or 8.7.2 non-critical (0)'),
    ],
  },
  {
    id: 0x0105,
    name: 'unjoin',
    kind: 'command',
    to: 'ESME, GSME',
    sr: '8.8.1 / 8.8.2',
    doc: 'Remove a binding.',
    fields: [f('otherDeviceId', eui64, 'device to unbind')],
  },
  // ── Configuration ─────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 0x0201,
    name: 'voltageConfig',
    kind: 'command',
    to: 'ESME',
    sr: '6.5 (ED only)',
    doc:
      'Voltage thresholds and periods. Answered `invalidParameter` unless `extremeUnder ≤ sag < swell ≤ extremeOver` and ' +
      '`averageUnder < averageOver` (assumed, docs/esme.md); `notAuthorised` from a migrated Itron ESME with risk 11.',
    fields: [
      threshold('averageOverThreshold', 'average RMS over-voltage threshold'),
      threshold('averageUnderThreshold', 'average RMS under-voltage threshold'),
      period('averageMeasurementPeriod', 'averaging period'),
      threshold('extremeOverThreshold', 'RMS extreme over-voltage threshold'),
      period('extremeOverPeriod', 'time above it before an alert'),
      threshold('extremeUnderThreshold', 'RMS extreme under-voltage threshold'),
      period('extremeUnderPeriod', 'time below it before an alert'),
      threshold('sagThreshold', 'voltage sag threshold'),
      period('sagPeriod', 'time below it before an alert'),
      threshold('swellThreshold', 'voltage swell threshold'),
      period('swellPeriod', 'time above it before an alert'),
    ],
  },
  {
    id: 0x0202,
    name: 'powerThresholds',
    kind: 'command',
    to: 'ESME',
    sr: '6.12',
    doc: 'Instantaneous power thresholds for the IHD ambient state (no alert).',
    fields: [
      f('lowMediumThreshold', watts, 'low/medium boundary', 'W'),
      f('mediumHighThreshold', watts, 'medium/high boundary', 'W'),
    ],
  },
  {
    id: 0x0203,
    name: 'alertBehaviour',
    kind: 'command',
    to: 'ESME, GSME',
    sr: '6.22',
    doc: 'Enable or disable alerts for one owner.',
    fields: [
      f('owner', enumOf('supplier', 'networkOperator'), 'whose alert configuration'),
      f('alerts', listOf(1, f('code', u16, 'GBCS alert code'), f('enabled', bool, 'raise it')), 'alert settings'),
    ],
  },
  {
    id: 0x0204,
    name: 'gasFlowConfig',
    kind: 'command',
    to: 'GSME',
    sr: '6.7',
    doc: 'Uncontrolled gas flow detection.',
    fields: [
      f('uncontrolledFlowRateThreshold', thousandths32, 'flow rate above which flow is uncontrolled', 'm³/h'),
      period('averagingPeriod', 'averaging period'),
    ],
  },
  {
    id: 0x0205,
    name: 'setSupply',
    kind: 'command',
    to: 'ESME',
    doc: 'Change the supply state.',
    fields: [f('state', enumOf('enabled', 'disabled', 'armed'), 'new supply state')],
  },
  {
    id: 0x0206,
    name: 'readSupply',
    kind: 'command',
    to: 'ESME',
    doc: 'Read the supply state.',
    fields: [],
    response: [f('state', enumOf('enabled', 'disabled', 'armed'), 'supply state')],
  },
  {
    id: 0x0207,
    name: 'setPaymentMode',
    kind: 'command',
    to: 'ESME',
    sr: '1.6',
    doc: 'Change the payment mode (prepayment draws the credit down and opens the contactor at zero).',
    fields: [f('mode', enumOf('credit', 'prepayment'), 'new payment mode')],
  },
  {
    id: 0x0208,
    name: 'topUp',
    kind: 'command',
    to: 'ESME',
    sr: '2.2',
    doc: 'Add credit; re-arms a supply the meter opened for lack of credit. A dumb meter answers dumbMode.',
    fields: [f('amount', thousandths32, 'credit added', 'p', '0.001–50000')],
  },
  {
    id: 0x0209,
    name: 'readPaymentMode',
    kind: 'command',
    to: 'ESME',
    doc: 'Read the payment mode and the credit balance now.',
    fields: [],
    response: [
      f('mode', enumOf('credit', 'prepayment'), 'payment mode'),
      f('creditBalance', thousandths32, 'credit balance', 'p'),
    ],
  },
  // ── Reads ─────────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 0x0301,
    name: 'readEventLog',
    kind: 'command',
    to: 'any',
    sr: '6.13',
    doc: 'Read the event or security log between two times.',
    fields: [
      f('log', enumOf('event', 'security'), 'which log'),
      f('from', time, 'start', 'ms'),
      f('to', time, 'end', 'ms'),
    ],
    response: [
      f('entries', listOf(2, f('at', time, 'when', 'ms'), f('code', u16, 'event or alert code')), 'log entries'),
    ],
  },
  {
    id: 0x0302,
    name: 'readNetworkData',
    kind: 'command',
    to: 'ESME',
    sr: '4.10',
    doc: 'Half-hourly average RMS voltage records between two times (30 days span many frames).',
    fields: [f('from', time, 'start', 'ms'), f('to', time, 'end', 'ms')],
    response: [
      f(
        'records',
        listOf(2, f('at', time, 'end of the period', 'ms'), f('averageRmsVoltage', volts, 'average RMS voltage', 'V')),
        'records',
      ),
    ],
  },
  // ── Security credentials ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: 0x0401,
    name: 'readCredentials',
    kind: 'command',
    to: 'any',
    doc: 'Read the certificate in one remote-party slot.',
    fields: [f('role', u8, 'remote party role (0 root … 6 wanProvider)', undefined, '0–6')],
    response: [
      f('role', u8, 'remote party role'),
      f('certificate', bytes16, 'X.509 DER, empty if the slot is empty', 'hex'),
    ],
  },
  {
    id: 0x0402,
    name: 'replaceCredentials',
    kind: 'command',
    to: 'any',
    sr: '6.15.1 / 6.23',
    doc: 'Replace the certificate in one slot; signed by the party the replacement mode requires.',
    fields: [
      f('role', u8, 'slot to replace', undefined, '0–6'),
      f('mode', enumOf(...replacementModes), 'replacement mode'),
      f('certificate', bytes16, 'new X.509 DER certificate', 'hex'),
      f('counter', u32, 'originator counter: above the last the device accepted from the signer'),
      f(
        'signature',
        bytes8,
        'ECDSA P-256 SHA-256 signature r‖s over 01 ‖ target EUI ‖ counter ‖ role ‖ mode ‖ certificate',
        'hex',
        '64 bytes',
      ),
    ],
  },
  // ── Lifecycle ─────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 0x0501,
    name: 'commission',
    kind: 'command',
    to: 'any',
    sr: '8.1.1',
    doc: 'Commission the device.',
    fields: [f('currentTime', time, 'DCC time', 'ms'), f('tolerancePeriod', u32, 'allowed clock difference', 's')],
  },
  {
    id: 0x0502,
    name: 'clockSync',
    kind: 'command',
    to: 'any',
    doc: 'Set the device clock; signed by the supplier.',
    fields: [
      f('currentTime', time, 'time to set', 'ms'),
      f('counter', u32, 'originator counter: above the last the device accepted from the supplier'),
      f(
        'signature',
        bytes8,
        'ECDSA P-256 SHA-256 signature r‖s over 02 ‖ target EUI ‖ counter ‖ currentTime (s)',
        'hex',
        '64 bytes',
      ),
    ],
  },
  {
    id: 0x0503,
    name: 'readDeviceInfo',
    kind: 'command',
    to: 'any',
    doc: 'Identity and migration state.',
    fields: [],
    response: [
      f('deviceType', enumOf('CH', 'ESME', 'GSME', 'PPMID'), 'device type'),
      f('vendor', enumOf('itron', 'elster'), 'vendor'),
      f('firmwareVersion', text, 'firmware version'),
      f('migrationState', enumOf('smso', 'dcc', 'dumb'), 'whose credentials it holds, or dumb mode'),
      f('commissioned', bool, 'commissioned'),
    ],
  },
  // ── Alerts ────────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 0x0601,
    name: 'alert',
    kind: 'alert',
    to: 'harness',
    doc: 'A device alert (GBCS code), acknowledged by the link layer; the codes and payloads are listed under "Alerts", and when one can come twice under "What is delivered twice".',
    fields: [
      f('code', u16, 'GBCS alert code'),
      f('at', time, 'when raised', 'ms'),
      f('payload', bytes8, 'alert-specific data', 'hex'),
    ],
  },
  // ── Bench control (stimuli) ───────────────────────────────────────────────────────────────────────────────────
  {
    id: 0x0f01,
    name: 'mainsVoltage',
    kind: 'control',
    to: 'ESME',
    doc: 'RMS mains voltage from now on (a profile is a timed sequence of these).',
    fields: [f('voltage', volts, 'RMS voltage', 'V')],
  },
  {
    id: 0x0f02,
    name: 'load',
    kind: 'control',
    to: 'ESME',
    doc: 'Active power import and power factor from now on.',
    fields: [
      f('activePower', watts, 'active power import', 'W'),
      f('powerFactor', thousandths16, 'power factor', undefined, '0–1'),
    ],
  },
  {
    id: 0x0f03,
    name: 'powerCut',
    kind: 'control',
    to: 'ESME',
    doc: "Cut the premises' mains supply (the ESME models the outage; other devices answer unsupported).",
    fields: [],
  },
  {
    id: 0x0f04,
    name: 'powerRestore',
    kind: 'control',
    to: 'ESME',
    doc: "Restore the premises' mains supply (the ESME raises the restore alert; other devices answer unsupported).",
    fields: [],
  },
  {
    id: 0x0f05,
    name: 'powerOn',
    kind: 'control',
    to: 'PPMID',
    doc: 'Power the device on (it tries to join the HAN).',
    fields: [],
  },
  {
    id: 0x0f06,
    name: 'injectFault',
    kind: 'control',
    to: 'any',
    doc: 'Switch a device fault on or off.',
    fields: [
      f('fault', enumOf('hanFailureRate'), 'which fault'),
      f('value', thousandths16, 'its level', undefined, '0–1'),
    ],
  },
  {
    id: 0x0f07,
    name: 'polarity',
    kind: 'control',
    to: 'ESME',
    doc: "The meter's wiring from now on; reversed (incorrect, cross polarity) raises 0x81B8.",
    fields: [f('reversed', bool, 'connected with incorrect polarity')],
  },
  // ── Virtual-time controls (to the emulator itself, EMULATOR_EUI) ───────────────────────────────────────────────
  {
    id: 0x0f08,
    name: 'clockStatus',
    kind: 'control',
    to: 'emulator',
    doc: 'Where the virtual time of an emulator on the harness clock (`smets1 emulate --clock harness`) stands; answered at once. An emulator on the wall clock answers unsupported.',
    fields: [],
    response: clockAnswer(),
  },
  {
    id: 0x0f09,
    name: 'advanceClock',
    kind: 'control',
    to: 'emulator',
    doc: "Run virtual time to `to`: every device timer due by then fires, in order; answered once that is done and every alert raised so far has been acknowledged. One advance fires at most 10,000 timers: if more are due by `to` it is answered where it stopped (`now` before `to`): advance again to go on. A `to` before the emulator's now, or after 2106-02-07T06:28:15.999Z (the last time an alert's `at` can carry), is refused invalidParameter, an advance while another runs busy; an emulator on the wall clock answers unsupported.",
    fields: [f('to', timeMs, 'virtual time to run to', 'ms')],
    response: clockAnswer(),
  },
  // ── Bench controls (to the emulator itself, EMULATOR_EUI): what it is, and back to its start ─────────────────
  {
    id: 0x0f0a,
    name: 'benchInfo',
    kind: 'control',
    to: 'emulator',
    doc: "What the emulator says of itself, for a harness that did not start it to check it is the bench its pack wants (`smets1 run` pre-flight, docs/bench.md): its devices' clock and, per device set, how it was configured. Each device's type, vendor, firmware and migration state now come from its own readDeviceInfo. Answered at once, on either clock; real hardware answers nothing or anything but ok.",
    fields: [f('firstSet', u32, 'the first set to describe (0 first); at most 64 sets are described an answer')],
    response: [
      f(
        'clock',
        enumOf('wall', 'harness'),
        "the devices' clock: wall, or the harness's virtual time (`--clock harness`)",
      ),
      f('setCount', u32, 'how many device sets the emulator serves'),
      f(
        'sets',
        listOf(
          1,
          f('vendor', enumOf('itron', 'elster'), 'vendor of every device of the set'),
          f('installation', enumOf('dormant', 'active'), 'installation the set started as'),
          f('migrationState', enumOf('smso', 'dcc'), 'whose credentials the set started with'),
          f('seed', u32, 'seed of its random choices; its test PKI is `smso-<seed of set 0>`'),
          f('ppmid', bool, 'the set has a PPMID'),
          f('quirks', text, 'the device quirks in force, comma-separated ids (`smets1 quirks`); empty if none'),
        ),
        'sets firstSet, firstSet + 1 … (at most 64; none past the last); a set\'s EUIs follow from its index (README "Device sets")',
      ),
    ],
  },
  {
    id: 0x0f0b,
    name: 'benchReset',
    kind: 'control',
    to: 'emulator',
    doc: 'Every device set back to its start (as the emulator started them from its options: HAN logs, joins, slots, credit, supply, counters), its unacknowledged alerts discarded, and on the harness clock virtual time back to its start with only the timers a fresh start sets; with `--state` the reset state is written before the answer. Sent by `smets1 run` before each scenario on a far end it did not start (docs/bench.md). Requests still waiting for a device are not answered. Refused busy during an advance.',
    fields: [],
  },
  {
    id: 0x0f0c,
    name: 'benchConfigure',
    kind: 'control',
    to: 'emulator',
    doc: "Rebuild the emulator's device sets as these (the bench a pack's scenario wants: vendor, quirks, where they start, EUIs, install codes, slots that start with another party's certificate), then as benchReset: unacknowledged alerts discarded, on the harness clock virtual time back to its start; a later benchReset returns to this bench. Sent by `smets1 run` before each scenario on a far end its pre-flight found to be `smets1 emulate` (docs/bench.md), so one emulator started by hand serves every pack. invalidParameter for a bench it cannot be (a member missing or twice, an EUI twice, a quirk not of the set's vendor, a bad install code), unsupported with `--state` (its sets are the persisted ones), busy during an advance.",
    fields: [
      f(
        'sets',
        listOf(
          1,
          f('vendor', enumOf('itron', 'elster'), 'vendor of every device of the set'),
          f('installation', enumOf('dormant', 'active'), 'installation the set starts as'),
          f('migrationState', enumOf('smso', 'dcc'), 'whose credentials the set starts with'),
          f('seed', u32, 'seed of its random choices'),
          f('pki', u32, 'its slots start with the certificates of the test PKI `smso-<pki>` (README "Device sets")'),
          f(
            'quirks',
            text,
            "the device quirks in force, comma-separated ids of the set's vendor (`smets1 quirks`); every other quirk off; empty if none",
          ),
          f(
            'devices',
            listOf(
              1,
              f('role', enumOf('CH', 'ESME', 'GSME', 'PPMID'), 'the member'),
              f('eui', eui64, 'its EUI'),
              f('installCode', bytes8, 'its ZigBee install code; empty for the CH', 'hex', '6–16 bytes'),
            ),
            'the members: ESME, GSME and CH once each, a PPMID at most once',
          ),
          f(
            'slots',
            listOf(
              1,
              f('role', enumOf('CH', 'ESME', 'GSME', 'PPMID'), 'the member'),
              f('slot', enumOf('supplier', 'networkOperator'), 'the slot'),
              f(
                'party',
                eui64,
                'entity id of the party whose certificate (issued by the same test PKI) it starts with',
              ),
            ),
            "slots that start with another party's certificate than the PKI's own (split supplier, risk 9's wrong DNO); none: every slot the PKI's",
          ),
        ),
        'the sets, set 0 first (at most 255)',
      ),
    ],
  },
  {
    id: 0x0f0d,
    name: 'linkFault',
    kind: 'control',
    to: 'emulator',
    doc: "Faults on the emulator's side of the device line (a pack's `linkFault` step against a far end that is `smets1 emulate`, docs/bench.md): from now on its devices' frames (to and from any EUI but the emulator's own) are lost and damaged at these rates, drawn from `seed`, and for `disconnect` ms of the devices' clock the device line is cut: the devices' frames are dropped unread both ways, so commands go unacknowledged and alerts wait. The bench's own controls (to and from the emulator's address: clock, bench and this one) are its out-of-band channel and pass untouched. Rates replace the previous ones; a cut replaces one in progress; benchReset and benchConfigure end every fault. Answered at once, on either clock.",
    fields: [
      f('disconnect', u32, 'how long the device line is cut from now; 0: not cut', 'ms'),
      f('dropWriteRate', thousandths16, 'probability a device frame is lost, each way', undefined, '0–1'),
      f(
        'corruptWriteRate',
        thousandths16,
        'probability a device frame has one byte damaged, each way',
        undefined,
        '0–1',
      ),
      f(
        'corruptByteRate',
        thousandths16,
        'probability each byte of a device frame is damaged, each way',
        undefined,
        '0–1',
      ),
      f('seed', u32, "seed of the loss and damage draws (the scenario's): the same seed and frames, the same faults"),
    ],
  },
];

export const messageById = new Map<number, MessageSpec>(commandTable.map((m) => [m.id, m]));
