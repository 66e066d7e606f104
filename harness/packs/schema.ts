/**
 * The JSON Schema (draft-07) of a regression pack: the one source of truth. The loader checks packs against it with
 * ajv, and `packs/pack.schema.json` is this object written out (`npx tsx scripts/write-pack-schema.ts`; a test
 * fails when the file is stale) for editors to complete pack files with.
 *
 * Two annotation keywords shape the loader's error messages (editors ignore them): `x-expected` says what a value
 * must be where the generic words ("a string") would not help; `x-key` names what the keys of an object are, for
 * "unknown step kind", "unknown quirk". Cross-field rules (exactly one request source, device references that name
 * a device of the bench, link specs, unique scenario names) are the loader's checks after the schema.
 */
import { REMOTE_PARTY_ROLES, type RemotePartyRoleName } from '../../common/credentials/roles';
import { SLOT_CHECK_EXPECTED, SLOT_CHECK_MODES } from '../dsp/slotCheck';
import { PACK_QUIRKS, FIX_SWITCHES } from './benchSwitches';
import { DCC_ALERT_CODES, RESPONSE_CODES, SMI_STATUSES } from './duisCodes';
import { DURATION_EXPECTED, DURATION_PATTERN } from './duration';

type Schema = Record<string, unknown>;

const EUI_PATTERN = '[0-9A-F]{2}(?:-[0-9A-F]{2}){7}';
const DEVICE_REF_PATTERN = `^(?:(?:ESME|GSME|CHF|CH|PPMID)(?:@(?:0|[1-9][0-9]{0,2}))?|${EUI_PATTERN})$`;
const DEVICE_REF_EXPECTED =
  'a device: ESME, GSME, CHF (or CH) or PPMID, optionally @SET (e.g. PPMID@1), or an EUI-64 like 00-DB-12-34-56-78-90-A3';

/** Migration steps a pack may make fail (harness/migration's step names, rollback and the retry wait excepted). */
export const FAILABLE_MIGRATION_STEPS = [
  'eligibility',
  'wanPreCheck',
  'hanPreCheck',
  'credentialSwap',
  'configuration',
  'commissioning',
  'postChecks',
] as const;

export const MIGRATION_OUTCOMES = ['migrated', 'migrated-electricity-only', 'rejected', 'excluded', 'dumb'] as const;

/** The remote party roles of the certificate slots (GBCS numbering 0–6), by name: the credentials' one table's names. */
export const SLOT_ROLES: readonly RemotePartyRoleName[] = Object.keys(REMOTE_PARTY_ROLES) as RemotePartyRoleName[];

const duration = (description: string): Schema => ({
  type: 'string',
  pattern: DURATION_PATTERN,
  description,
  'x-expected': DURATION_EXPECTED,
});

const deviceRef = (description: string): Schema => ({
  type: 'string',
  pattern: DEVICE_REF_PATTERN,
  description,
  'x-expected': DEVICE_REF_EXPECTED,
});

const rate = (description: string): Schema => ({ type: 'number', minimum: 0, maximum: 1, description });

const entityId: Schema = {
  type: 'string',
  pattern: `^${EUI_PATTERN}$`,
  'x-expected': 'an entity id like 90-B3-D5-1F-30-01-00-00',
};

/** The slots a pack may give a certificate of a named party: the two the S1SP replaces over DUIS (6.15.1, 6.23). */
export const CERTIFICATE_ROLES = ['supplier', 'networkOperator'] as const;

const object = (key: string, properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  'x-key': key,
  properties,
  additionalProperties: false,
  ...extra,
});

const switches = (key: string, entries: readonly { id: string; title: string }[], description: string): Schema =>
  object(key, Object.fromEntries(entries.map(({ id, title }) => [id, { type: 'boolean', description: title }])), {
    description,
  });

/** What a scenario may change of the pack's bench; device sets, PPMID presence and link stay the pack's. */
const benchSettings: Record<string, Schema> = {
  vendor: { enum: ['itron', 'elster'], description: 'The vendor of every device set.' },
  installation: { enum: ['dormant', 'active'], description: 'Installation kind (default active).' },
  migrationState: {
    enum: ['smso', 'dcc'],
    description: 'Where the devices start: on their SMSO (before migration) or in DCC service (default dcc).',
  },
  quirks: switches(
    'quirk',
    PACK_QUIRKS,
    'Quirks switched on (true) or off (false) against their defaults: device quirks and S1SP/WAN defects.',
  ),
  fixes: switches('fix', FIX_SWITCHES, 'S1SP fix switches, on (true) or off (false, the default).'),
  dsp: {
    enum: [...SLOT_CHECK_MODES],
    'x-expected': SLOT_CHECK_EXPECTED,
    description:
      "The DSP's network-operator slot check on 6.15.1 (risk 9): slot-certificate (the default, today: the requesting network operator must match the certificate in the slot) or registered-network-operator (the fix: it must be the meter's registered network operator). Renamed from slot-holder and registration-data.",
  },
  seed: {
    type: 'integer',
    minimum: 0,
    maximum: 4_294_967_295,
    description: 'Seed of every random choice (default 1).',
  },
  slots: {
    type: 'array',
    description:
      "Slots that start with another party's certificate than the bench PKI's own (a wrong DNO: risk 9; a gas supplier): the bench PKI issues it for that entity id. A scenario's list replaces the pack's.",
    items: object(
      'slot',
      {
        device: deviceRef('The device.'),
        ...Object.fromEntries(
          CERTIFICATE_ROLES.map((role) => [
            role,
            { ...entityId, description: `The entity id the ${role} certificate is issued for.` },
          ]),
        ),
      },
      {
        required: ['device'],
        minProperties: 2,
        'x-expected': `device and at least one slot: ${CERTIFICATE_ROLES.join(', ')}`,
      },
    ),
  },
};

const bench = object(
  'bench field',
  {
    ...benchSettings,
    sets: { type: 'integer', minimum: 1, maximum: 100, description: 'Number of device sets (default 1).' },
    ppmid: { type: 'boolean', description: 'Whether each set has a PPMID (default true).' },
    euis: {
      type: 'object',
      // keys (ESME, CHF, PPMID@1 …: members of the bench) are the loader's check, at their place
      additionalProperties: {
        type: 'string',
        pattern: `^${EUI_PATTERN}$`,
        'x-expected': 'an EUI-64 like 00-11-22-33-44-55-66-77 (upper-case hex)',
      },
      description:
        "The EUI-64 of a device, for a bench of real devices (or an emulator made so: benchConfigure): requests, expectations and the DSP's Registration Data use it; a device not named keeps the README's scheme (set 0: ESME 00-DB-12-34-56-78-90-A0, GSME …-A1, CHF …-A2, PPMID …-A3).",
    },
    installCodes: {
      type: 'object',
      additionalProperties: {
        type: 'string',
        pattern: '^(?:[0-9A-Fa-f]{2}){6,16}$',
        'x-expected': 'an install code of 6–16 bytes of hex',
      },
      description:
        "The ZigBee install code of a joining device: an 8.11 Add naming it carries it unless its params give one; default the DCC RTDS template's 30313233343536373839414243444546.",
    },
    devices: {
      enum: ['emulated', 'real'],
      description:
        'emulated (default): stimuli are bench control messages; real: every stimulus is an operator prompt.',
    },
    link: {
      type: 'string',
      description:
        'mock[@BAUD] (default), loopback, pty, tcp:HOST:PORT or serial:PATH[@BAUD[,8N1][,rtscts]] (settings: docs/bench.md).',
    },
  },
  { required: ['vendor'], description: 'The bench every scenario starts from.' },
);

const srStep = object(
  'sr field',
  {
    srv: {
      type: 'string',
      pattern: '^[0-9]{1,2}(?:\\.[0-9]{1,2}){1,2}$',
      description: 'Service reference variant, e.g. "8.11" (quoted: YAML reads 8.11 unquoted as a number).',
      'x-expected': 'an SR number in quotes, like "8.11" or "8.7.1"',
    },
    template: { type: 'string', minLength: 1, description: 'An RTDS template name, e.g. CCS01_8.11_SUCCESS.' },
    file: { type: 'string', minLength: 1, description: 'A DUIS request file, relative to the pack file.' },
    target: deviceRef('The device the request is for (required with srv).'),
    user: { enum: ['IS', 'GS', 'ED', 'GT', 'OU'], description: 'The DUIS user role sending it (default IS).' },
    certificate: object(
      'certificate field',
      {
        role: { enum: [...CERTIFICATE_ROLES], description: 'The remote party role of the certificate.' },
        party: { ...entityId, description: 'The entity id the bench PKI issues it for.' },
      },
      {
        required: ['role', 'party'],
        description:
          "The request's DigitalSigningCertificate: one the bench PKI issues for this party (6.15.1, 6.23), so a device can validate it.",
      },
    ),
    params: {
      type: 'object',
      'x-key': 'parameter',
      description:
        'DUIS body elements to set, by element name: the first element of that name in the request gets the value.',
      properties: {
        DeviceID: deviceRef('A device of the bench.'),
        OtherDeviceID: deviceRef('A device of the bench.'),
        RequestType: { enum: ['Add', 'Remove'] },
        JoinTimePeriod: { type: 'integer', description: 'Seconds; sent as written so refusals can be tested.' },
        InstallCode: {
          type: 'string',
          pattern: '^(?:[0-9A-Fa-f]{2})+$',
          'x-expected': 'hex bytes like 30313233343536373839414243444546',
        },
        TolerancePeriod: { type: 'integer' },
      },
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
  },
  { description: 'A DUIS service request: exactly one of srv (with target), template or file.' },
);

const stimulusStep = object(
  'stimulus field',
  {
    mainsVoltage: { type: 'number', minimum: 0, maximum: 1000, description: 'RMS voltage (V) at an ESME from now on.' },
    power: object(
      'power field',
      {
        activePower: { type: 'number', minimum: 0, description: 'Active power import (W).' },
        powerFactor: rate('Power factor, 0 to 1.'),
      },
      { required: ['activePower'], description: 'The load an ESME measures.' },
    ),
    ppmid: { enum: ['on'], description: 'Power on a PPMID (the device contract has no PPMID power-off).' },
    supply: { enum: ['cut', 'restored'], description: "The device set's mains supply." },
    hanFailureRate: rate('Share of HAN messages to or from the device that fail, 0 to 1.'),
    linkFault: object(
      'link fault',
      {
        disconnect: duration('Cut the mock line for this long, then reconnect it.'),
        dropWriteRate: rate('Share of writes lost.'),
        corruptWriteRate: rate('Share of writes with one byte damaged.'),
        corruptByteRate: rate('Share of bytes damaged.'),
      },
      {
        minProperties: 1,
        description: 'A fault on the mock serial line, from now on.',
        'x-expected': 'at least one of disconnect, dropWriteRate, corruptWriteRate, corruptByteRate',
      },
    ),
    polarity: {
      enum: ['reversed', 'correct'],
      description: "An ESME's wiring from now on: reversed (cross polarity) raises 0x81B8.",
    },
    recover: {
      enum: [true],
      description:
        "The DCC's recovery of a dumb device (anyExceptAbnormalRootByRecovery, the DCC's own process, no DUIS SR).",
    },
    replay: {
      enum: [true],
      description: 'An eavesdropper resends the last signed command the device was sent (a replay: 0x8F3E).',
    },
    hanLogRemove: deviceRef(
      "A device the CH drops from its device log, as an 8.11 Remove does but with no DUIS request: the CH's own record (GTA8's cause).",
    ),
    device: deviceRef(
      'The device (default: the ESME for mainsVoltage, power, polarity, recover and replay, the PPMID for ppmid, the CHF otherwise).',
    ),
    prompt: { type: 'string', minLength: 1, description: 'What the operator does on real hardware.' },
  },
  {
    description:
      'One stimulus kind (mainsVoltage, power, ppmid, supply, hanFailureRate, linkFault, polarity, recover, replay, hanLogRemove), or a prompt alone.',
  },
);

const migrateStep = object(
  'migrate field',
  {
    installation: { enum: ['dormant', 'active'], description: "Default: the bench's installation." },
    installationId: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
      'x-expected': 'an id of letters, digits, ".", "_" or "-", at most 64 characters, like FLEET-12',
      description:
        "The installation's id in the migration file (default RTDS-1): with the bench seed it seeds the migration's draws (its phase durations), so a fleet installation's pack names it as the fleet does (FLEET-<index>).",
    },
    gasSupplier: {
      ...entityId,
      description: 'The gas supplier, when it differs from the electricity one (split supplier).',
    },
    splitSupplierFix: { type: 'boolean', description: 'The Core 1.1 fix: split-supplier installations migrate.' },
    firmware: object(
      'device type',
      Object.fromEntries(['ESME', 'GSME', 'CHF', 'PPMID'].map((type) => [type, { type: 'string', minLength: 1 }])),
      { description: "Inventory firmware versions that differ from the vendor profile's (product-list checks)." },
    ),
    fail: {
      type: 'array',
      description: 'Migration steps made to fail.',
      items: object(
        'fail field',
        {
          step: { enum: [...FAILABLE_MIGRATION_STEPS] },
          device: deviceRef('Only at this device.'),
          attempts: { type: 'integer', minimum: 1, description: 'How many attempts fail there (default 1).' },
          certificate: {
            enum: ['untrusted'],
            description:
              "credentialSwap only, at a meter: the swap request carries a certificate the device's root does not sign, instead of taking the device off the HAN.",
          },
          slot: {
            enum: ['supplier', 'networkOperator'],
            description:
              'With certificate: the slot whose swap carries it (default networkOperator, the second: the device turns dumb).',
          },
        },
        { required: ['step'] },
      ),
    },
    maxFailedAttempts: { type: 'integer', minimum: 1, description: 'Failed attempts before exclusion (MEHRS: 5).' },
    gasHanFailure: {
      enum: ['electricity-only', 'reject-dormant'],
      description:
        'A gas meter failing the HAN pre-check (GT01, GTA8) of a dormant installation: electricity-only (default, the 2021 MEHRS rule: the electricity meter migrates alone) or reject-dormant (the 2020 rule: rejected, nothing touched). An active installation migrates electricity only either way.',
    },
    gasRetry: {
      type: 'boolean',
      description:
        'After a migrate that migrated electricity only (GT01): one more attempt for the gas meter (its HAN check, swap, commissioning).',
    },
  },
  { description: 'Migrate the installation of set 0, or (gasRetry) retry its gas meter.' },
);

const alertCode: Schema = {
  type: ['integer', 'string'],
  minimum: 0,
  maximum: 65_535,
  pattern: `^(?:0x[0-9A-Fa-f]{4}|${DCC_ALERT_CODES.join('|')})$`,
  description: 'A GBCS alert code (0x8F49) or a DCC alert code (N24).',
  'x-expected': 'a GBCS alert code like 0x8F49 or a DCC alert code like N24',
};

const expectStep = object(
  'expectation',
  {
    response: {
      enum: [...RESPONSE_CODES, 'none'],
      description: 'A DUIS response code of the last sr (none: a response without one).',
      'x-expected': 'a DUIS ResponseCode like I0, I99 or E081104, or none',
    },
    messageSuccess: {
      type: 'boolean',
      description: "The MessageSuccess of the last sr's SMETS1 response: false when the device refused the command.",
    },
    alert: object(
      'alert field',
      {
        code: alertCode,
        within: duration('The alert arrives within this long.'),
        device: deviceRef('From this device.'),
      },
      { required: ['code', 'within'] },
    ),
    noAlert: object(
      'noAlert field',
      {
        code: alertCode,
        within: duration('No such alert for this long.'),
        device: deviceRef('From this device.'),
      },
      { required: ['within'] },
    ),
    deviceState: object(
      'deviceState field',
      {
        device: deviceRef('The device.'),
        migrationState: { enum: ['smso', 'dcc', 'dumb'] },
        commissioned: { type: 'boolean' },
        supply: { enum: ['enabled', 'disabled', 'armed'] },
        joined: {
          type: 'array',
          items: deviceRef('A device on the CH device log, joined.'),
          description: "On the CH's device log and joined (other entries may be there too).",
        },
      },
      {
        required: ['device'],
        minProperties: 2,
        'x-expected': 'device and at least one of migrationState, commissioned, supply, joined',
      },
    ),
    slots: object(
      'slot',
      {
        device: deviceRef('The device.'),
        ...Object.fromEntries(
          SLOT_ROLES.map((role) => [
            role,
            {
              type: 'string',
              pattern: `^(?:${EUI_PATTERN}|empty)$`,
              'x-expected': 'the entity id of the holder like 90-B3-D5-1F-30-01-00-00, or empty',
            },
          ]),
        ),
      },
      {
        required: ['device'],
        minProperties: 2,
        'x-expected': `device and at least one slot: ${SLOT_ROLES.join(', ')}`,
      },
    ),
    smiStatus: object(
      'smiStatus field',
      { device: deviceRef('The device.'), status: { enum: [...SMI_STATUSES] } },
      { required: ['device', 'status'] },
    ),
    duration: object(
      'duration field',
      {
        of: {
          enum: ['migrate', 'sr', ...FAILABLE_MIGRATION_STEPS],
          description: 'The last migrate, sr or migration step.',
        },
        atLeast: duration('At least this long (virtual time).'),
        atMost: duration('At most this long (virtual time).'),
      },
      { required: ['of'], minProperties: 2, 'x-expected': 'of, and atLeast or atMost or both' },
    ),
    migration: object(
      'migration field',
      {
        outcome: { enum: [...MIGRATION_OUTCOMES] },
        attempts: { type: 'integer', minimum: 1 },
      },
      { required: ['outcome'] },
    ),
  },
  {
    minProperties: 1,
    description: 'One or more expectations, checked in the order written.',
    'x-expected':
      'one or more of response, messageSuccess, alert, noAlert, deviceState, slots, smiStatus, duration, migration',
  },
);

const step = object(
  'step kind',
  {
    sr: srStep,
    stimulus: stimulusStep,
    wait: duration('Let this much time pass.'),
    migrate: migrateStep,
    expect: expectStep,
  },
  {
    minProperties: 1,
    maxProperties: 1,
    description: 'A step: exactly one of sr, stimulus, wait, migrate, expect.',
    'x-expected': 'exactly one of sr, stimulus, wait, migrate, expect',
  },
);

const scenario = object(
  'scenario field',
  {
    name: { type: 'string', minLength: 1, description: 'Unique in the pack: the test name.' },
    description: { type: 'string' },
    bench: object('bench field', benchSettings, { description: "Changes to the pack's bench for this scenario." }),
    timeout: duration(
      'The scenario is an error if it runs longer than this: on the virtual clock where the bench runs on it, on the wall clock on a real bench.',
    ),
    steps: { type: 'array', minItems: 1, items: step },
  },
  { required: ['name', 'steps'] },
);

export const packSchema: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'smets1-emulator regression pack',
  ...object(
    'pack field',
    {
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      bench,
      setup: {
        type: 'array',
        items: step,
        description:
          'Steps run before every scenario (not migrate): for real hardware, which no bench reset can return to its start (docs/bench.md).',
      },
      teardown: {
        type: 'array',
        items: step,
        description: 'Steps run after every scenario, passed or not (not migrate), e.g. an 8.11 Remove of the PPMID.',
      },
      scenarios: { type: 'array', minItems: 1, items: scenario },
    },
    { required: ['name', 'bench', 'scenarios'] },
  ),
};
