// Golden payload vectors written by hand from docs/protocol.md's prose ("Conventions", "Frame types", "Response
// status", "Field types" and the message tables), NOT from protocols/commandTable.ts or the codec: every expected
// byte below was worked out on paper (big-endian integers, ×10 volts, ×1000 quantities, enum by position, length-
// and count-prefixed byte strings, text and lists). A bug made the same way in the encoder and the decoder (which
// the round-trip properties cannot see, because both sides read one table) changes these bytes and fails here.
//
// Every vector is checked both ways in each dialect it names: the message encodes to exactly the bytes, and the
// bytes decode to exactly the message. The command table is read only to check that every message and every
// field kind has a vector (coverage), never to compute an expected value.
//
// Adding a vector is one line: `command(0x0123, { type: 'name', requestId: 0x2324, field: value }, '2324 …')`.
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../protocols/commandTable';
import { DIALECTS, type Dialect, type FrameTypeName } from '../../protocols/constants';
import { DecodeError, EncodeError } from '../../protocols/errors';
import type { FieldType } from '../../protocols/fieldTypes';
import type { Message } from '../../protocols/messages';
import { payloadCodec } from '../../protocols/payloadCodec';

interface Vector {
  label: string;
  dialects: readonly Dialect[];
  frameType: FrameTypeName;
  messageId: number;
  message: Message;
  /** The payload as hand-worked hex; spaces separate fields and are ignored. */
  hex: string;
}

const BOTH = DIALECTS;
const vectors: Vector[] = [];
const add =
  (frameType: FrameTypeName) =>
  (messageId: number, message: object, hex: string, dialects: readonly Dialect[] = BOTH, label = '') => {
    const name = (message as { type: string; message?: string }).message ?? (message as { type: string }).type;
    vectors.push({
      label: `${frameType} ${name}${label ? ` (${label})` : ''}`,
      dialects,
      frameType,
      messageId,
      message: message as Message,
      hex,
    });
  };
const command = add('command');
const control = add('control');
const alert = add('alert');
const response = add('response');

// EUIs are written most significant byte first (docs/protocol.md "Conventions").
const A1 = '00-DB-12-34-56-78-90-A1'; // 00DB1234567890A1
const A3 = '00-DB-12-34-56-78-90-A3'; // 00DB1234567890A3
// Times: 1767225600 s = 2026-01-01T00:00:00Z = 6955B900; +1800 s = 6955C008; +3600 s = 6955C710.
const T_0000 = 1_767_225_600_000;
const T_0030 = 1_767_227_400_000;
const T_0100 = 1_767_229_200_000;
const SIGNATURE = '11'.repeat(32) + '22'.repeat(32); // 64 bytes r‖s
const CERT_260 = '3082' + '0100' + 'ab'.repeat(256); // 260 bytes: a u16 length of 01 04

// ── HAN (Communications Hub) ─────────────────────────────────────────────────────────────────────────────────────
// hanLogAdd: requestId u16, deviceId EUI-64, installCode bytes (u8 length), joinPeriod u16 in both dialects
// (docs/protocol.md "Dialects": an Elster CH receives the full value and refuses over 255 itself, quirk 91342).
command(
  0x0101,
  {
    type: 'hanLogAdd',
    requestId: 0x0102,
    deviceId: A3,
    installCode: '30313233343536373839414243444546',
    joinPeriod: 3600,
  },
  '0102 00DB1234567890A3 10 30313233343536373839414243444546 0E10',
  BOTH,
  '3600 s',
);
command(
  0x0101,
  { type: 'hanLogAdd', requestId: 0x0102, deviceId: A3, installCode: '0011223344556677', joinPeriod: 300 },
  '0102 00DB1234567890A3 08 0011223344556677 012C',
  BOTH,
  '300 s',
);
// 256 s: the first value one byte cannot hold; the elster wire once refused it before the CH saw it.
command(
  0x0101,
  { type: 'hanLogAdd', requestId: 0x0102, deviceId: A3, installCode: '0011223344556677', joinPeriod: 256 },
  '0102 00DB1234567890A3 08 0011223344556677 0100',
  BOTH,
  '256 s',
);
command(0x0102, { type: 'hanLogRemove', requestId: 0x0203, deviceId: A3 }, '0203 00DB1234567890A3');
command(0x0103, { type: 'readDeviceLog', requestId: 0x0304 }, '0304');
response(
  0x0103,
  {
    type: 'response',
    message: 'readDeviceLog',
    requestId: 0x0304,
    status: 'ok',
    body: {
      entries: [
        { deviceId: A3, joined: true },
        { deviceId: A1, joined: false },
      ],
    },
  },
  '0304 00 02 00DB1234567890A3 01 00DB1234567890A1 00',
  BOTH,
  'two entries',
);
response(
  0x0103,
  { type: 'response', message: 'readDeviceLog', requestId: 0x0304, status: 'ok', body: { entries: [] } },
  '0304 00 00',
  BOTH,
  'empty',
);
command(
  0x0104,
  { type: 'join', requestId: 0x0405, otherDeviceId: A3, critical: true },
  '0405 00DB1234567890A3 01',
  BOTH,
  'critical',
);
command(
  0x0104,
  { type: 'join', requestId: 0x0405, otherDeviceId: A3, critical: false },
  '0405 00DB1234567890A3 00',
  BOTH,
  'non-critical',
);
command(0x0105, { type: 'unjoin', requestId: 0x0506, otherDeviceId: A3 }, '0506 00DB1234567890A3');

// ── Configuration ────────────────────────────────────────────────────────────────────────────────────────────────
// voltageConfig: thresholds u16 ×10 (253.0 V = 2530 = 09E2), periods u32 s.
command(
  0x0201,
  {
    type: 'voltageConfig',
    requestId: 0x0607,
    averageOverThreshold: 253,
    averageUnderThreshold: 216.2,
    averageMeasurementPeriod: 1800,
    extremeOverThreshold: 262.5,
    extremeOverPeriod: 5,
    extremeUnderThreshold: 200.1,
    extremeUnderPeriod: 10,
    sagThreshold: 195.5,
    sagPeriod: 3,
    swellThreshold: 270,
    swellPeriod: 0x01020304,
  },
  '0607 09E2 0872 00000708 0A41 00000005 07D1 0000000A 07A3 00000003 0A8C 01020304',
);
command(
  0x0202,
  { type: 'powerThresholds', requestId: 0x0708, lowMediumThreshold: 1000, mediumHighThreshold: 70000 },
  '0708 000003E8 00011170',
);
command(
  0x0203,
  {
    type: 'alertBehaviour',
    requestId: 0x0809,
    owner: 'networkOperator',
    alerts: [
      { code: 0x8f48, enabled: false },
      { code: 0x8006, enabled: true },
    ],
  },
  '0809 01 02 8F48 00 8006 01',
  BOTH,
  'networkOperator, two alerts',
);
command(
  0x0203,
  { type: 'alertBehaviour', requestId: 0x0809, owner: 'supplier', alerts: [] },
  '0809 00 00',
  BOTH,
  'supplier, none',
);
// gasFlowConfig: the u32 ×1000 kind (12.345 m³/h = 12345 = 00003039).
command(
  0x0204,
  { type: 'gasFlowConfig', requestId: 0x090a, uncontrolledFlowRateThreshold: 12.345, averagingPeriod: 600 },
  '090A 00003039 00000258',
);
command(
  0x0204,
  { type: 'gasFlowConfig', requestId: 0x090a, uncontrolledFlowRateThreshold: 65.536, averagingPeriod: 0 },
  '090A 00010000 00000000',
  BOTH,
  'over 16 bits',
);
command(
  0x0204,
  { type: 'gasFlowConfig', requestId: 0xffff, uncontrolledFlowRateThreshold: 4294967.295, averagingPeriod: 4294967295 },
  'FFFF FFFFFFFF FFFFFFFF',
  BOTH,
  'maxima',
);
command(0x0205, { type: 'setSupply', requestId: 0x0a0b, state: 'enabled' }, '0A0B 00', BOTH, 'enabled');
command(0x0205, { type: 'setSupply', requestId: 0x0a0b, state: 'disabled' }, '0A0B 01', BOTH, 'disabled');
command(0x0205, { type: 'setSupply', requestId: 0x0a0b, state: 'armed' }, '0A0B 02', BOTH, 'armed');
command(0x0206, { type: 'readSupply', requestId: 0x0b0c }, '0B0C');
response(
  0x0206,
  { type: 'response', message: 'readSupply', requestId: 0x0b0c, status: 'ok', body: { state: 'disabled' } },
  '0B0C 00 01',
);
// Payment (ESME prepayment): mode u8 enum (0 credit, 1 prepayment), amounts in pence u32 ×1000.
command(0x0207, { type: 'setPaymentMode', requestId: 0x1920, mode: 'credit' }, '1920 00', BOTH, 'credit');
command(0x0207, { type: 'setPaymentMode', requestId: 0x1920, mode: 'prepayment' }, '1920 01', BOTH, 'prepayment');
// 12.5 p = 12500 = 30D4; 50000 p (the top of the valid range) = 50,000,000 = 02FAF080; 0.001 p = 1.
command(0x0208, { type: 'topUp', requestId: 0x1a1b, amount: 12.5 }, '1A1B 000030D4', BOTH, '12.5 p');
command(0x0208, { type: 'topUp', requestId: 0x1a1b, amount: 50000 }, '1A1B 02FAF080', BOTH, '50000 p');
command(0x0208, { type: 'topUp', requestId: 0x1a1b, amount: 0.001 }, '1A1B 00000001', BOTH, '0.001 p');
command(0x0209, { type: 'readPaymentMode', requestId: 0x1b1c }, '1B1C');
// 1234.567 p = 1234567 = 0012D687.
response(
  0x0209,
  {
    type: 'response',
    message: 'readPaymentMode',
    requestId: 0x1b1c,
    status: 'ok',
    body: { mode: 'prepayment', creditBalance: 1234.567 },
  },
  '1B1C 00 01 0012D687',
  BOTH,
  'prepayment',
);
response(
  0x0209,
  {
    type: 'response',
    message: 'readPaymentMode',
    requestId: 0x1b1c,
    status: 'ok',
    body: { mode: 'credit', creditBalance: 0 },
  },
  '1B1C 00 00 00000000',
  BOTH,
  'credit, nothing left',
);

// ── Reads ────────────────────────────────────────────────────────────────────────────────────────────────────────
command(
  0x0301,
  { type: 'readEventLog', requestId: 0x0c0d, log: 'security', from: T_0000, to: T_0030 },
  '0C0D 01 6955B900 6955C008',
  BOTH,
  'security',
);
command(
  0x0301,
  { type: 'readEventLog', requestId: 0x0c0d, log: 'event', from: 0, to: 4294967295000 },
  '0C0D 00 00000000 FFFFFFFF',
  BOTH,
  'event, time limits',
);
response(
  0x0301,
  {
    type: 'response',
    message: 'readEventLog',
    requestId: 0x0c0d,
    status: 'ok',
    body: {
      entries: [
        { at: T_0000, code: 0x8f3e },
        { at: T_0030, code: 0x0102 },
      ],
    },
  },
  '0C0D 00 0002 6955B900 8F3E 6955C008 0102',
  BOTH,
  'u16 count',
);
command(0x0302, { type: 'readNetworkData', requestId: 0x0d0e, from: T_0000, to: T_0030 }, '0D0E 6955B900 6955C008');
response(
  0x0302,
  {
    type: 'response',
    message: 'readNetworkData',
    requestId: 0x0d0e,
    status: 'ok',
    body: {
      records: [
        { at: T_0030, averageRmsVoltage: 230 },
        { at: T_0100, averageRmsVoltage: 253.1 },
      ],
    },
  },
  '0D0E 00 0002 6955C008 08FC 6955C710 09E3',
);

// ── Security credentials ─────────────────────────────────────────────────────────────────────────────────────────
command(0x0401, { type: 'readCredentials', requestId: 0x0e0f, role: 3 }, '0E0F 03');
response(
  0x0401,
  {
    type: 'response',
    message: 'readCredentials',
    requestId: 0x0e0f,
    status: 'ok',
    body: { role: 3, certificate: CERT_260 },
  },
  `0E0F 00 03 0104 ${CERT_260}`,
  BOTH,
  '260-byte certificate',
);
response(
  0x0401,
  { type: 'response', message: 'readCredentials', requestId: 0x0e0f, status: 'ok', body: { role: 6, certificate: '' } },
  '0E0F 00 06 0000',
  BOTH,
  'empty slot',
);
// replaceCredentials: role u8, mode u8 enum (0 … 8), certificate bytes (u16 length), counter u32, signature bytes (u8 length).
command(
  0x0402,
  {
    type: 'replaceCredentials',
    requestId: 0x0f10,
    role: 3,
    mode: 'NObyNO',
    certificate: '3082',
    counter: 0x01020304,
    signature: SIGNATURE,
  },
  `0F10 03 01 0002 3082 01020304 40 ${SIGNATURE}`,
  BOTH,
  'NObyNO',
);
command(
  0x0402,
  {
    type: 'replaceCredentials',
    requestId: 0x0f10,
    role: 0,
    mode: 'anyByContingency',
    certificate: '',
    counter: 0,
    signature: '',
  },
  '0F10 00 07 0000 00000000 00',
  BOTH,
  'anyByContingency, empty',
);
command(
  0x0402,
  {
    type: 'replaceCredentials',
    requestId: 0x0f10,
    role: 2,
    mode: 'supplierBySupplier',
    certificate: 'ab',
    counter: 4294967295,
    signature: 'cd',
  },
  '0F10 02 00 0001 AB FFFFFFFF 01 CD',
  BOTH,
  'supplierBySupplier, counter maximum',
);
// NObyACB, the ninth mode: 08. Counter 1000 = 000003E8.
command(
  0x0402,
  {
    type: 'replaceCredentials',
    requestId: 0x0f10,
    role: 3,
    mode: 'NObyACB',
    certificate: CERT_260,
    counter: 1000,
    signature: SIGNATURE,
  },
  `0F10 03 08 0104 ${CERT_260} 000003E8 40 ${SIGNATURE}`,
  BOTH,
  'NObyACB, 260-byte certificate',
);

// ── Lifecycle ────────────────────────────────────────────────────────────────────────────────────────────────────
command(
  0x0501,
  { type: 'commission', requestId: 0x1011, currentTime: T_0000, tolerancePeriod: 86400 },
  '1011 6955B900 00015180',
);
// clockSync: currentTime u32 (Unix s), counter u32, signature bytes (u8 length).
command(
  0x0502,
  { type: 'clockSync', requestId: 0x1112, currentTime: T_0030, counter: 7, signature: SIGNATURE },
  `1112 6955C008 00000007 40 ${SIGNATURE}`,
  BOTH,
  'signed',
);
command(
  0x0502,
  { type: 'clockSync', requestId: 0x1112, currentTime: T_0000, counter: 0x00010000, signature: '' },
  '1112 6955B900 00010000 00',
  BOTH,
  'no signature',
);
command(0x0503, { type: 'readDeviceInfo', requestId: 0x1213 }, '1213');
response(
  0x0503,
  {
    type: 'response',
    message: 'readDeviceInfo',
    requestId: 0x1213,
    status: 'ok',
    body: {
      deviceType: 'PPMID',
      vendor: 'elster',
      firmwareVersion: 'EL-2.10.4',
      migrationState: 'dumb',
      commissioned: true,
    },
  },
  '1213 00 03 01 09 454C2D322E31302E34 02 01',
  BOTH,
  'PPMID elster dumb',
);
response(
  0x0503,
  {
    type: 'response',
    message: 'readDeviceInfo',
    requestId: 0x1213,
    status: 'ok',
    body: { deviceType: 'ESME', vendor: 'itron', firmwareVersion: '', migrationState: 'dcc', commissioned: false },
  },
  '1213 00 01 00 00 01 00',
  BOTH,
  'ESME itron dcc',
);
response(
  0x0503,
  {
    type: 'response',
    message: 'readDeviceInfo',
    requestId: 0x1213,
    status: 'ok',
    body: { deviceType: 'GSME', vendor: 'itron', firmwareVersion: '~', migrationState: 'smso', commissioned: false },
  },
  '1213 00 02 00 01 7E 00 00',
  BOTH,
  'GSME smso',
);
response(
  0x0503,
  {
    type: 'response',
    message: 'readDeviceInfo',
    requestId: 0x1213,
    status: 'ok',
    body: { deviceType: 'CH', vendor: 'elster', firmwareVersion: ' ', migrationState: 'smso', commissioned: true },
  },
  '1213 00 00 01 01 20 00 01',
  BOTH,
  'CH',
);

// ── Alerts (no request id) ───────────────────────────────────────────────────────────────────────────────────────
alert(0x0601, { type: 'alert', code: 0x8f3e, at: T_0030, payload: '08fc' }, '8F3E 6955C008 02 08FC');
alert(0x0601, { type: 'alert', code: 0x8006, at: T_0000, payload: '' }, '8006 6955B900 00', BOTH, 'empty payload');

// ── Bench control ────────────────────────────────────────────────────────────────────────────────────────────────
control(0x0f01, { type: 'mainsVoltage', requestId: 0x1314, voltage: 216 }, '1314 0870');
control(0x0f01, { type: 'mainsVoltage', requestId: 0x1314, voltage: 6553.5 }, '1314 FFFF', BOTH, 'u16 ×10 maximum');
// load: activePower u32 W, powerFactor u16 ×1000 (0.85 = 850 = 0352).
control(0x0f02, { type: 'load', requestId: 0x1415, activePower: 24000, powerFactor: 0.85 }, '1415 00005DC0 0352');
control(0x0f03, { type: 'powerCut', requestId: 0x1516 }, '1516');
control(0x0f04, { type: 'powerRestore', requestId: 0x1617 }, '1617');
control(0x0f05, { type: 'powerOn', requestId: 0x1718 }, '1718');
control(0x0f06, { type: 'injectFault', requestId: 0x1819, fault: 'hanFailureRate', value: 0.125 }, '1819 00 007D');
control(0x0f07, { type: 'polarity', requestId: 0x1c1d, reversed: true }, '1C1D 01', BOTH, 'reversed');
control(0x0f07, { type: 'polarity', requestId: 0x1c1d, reversed: false }, '1C1D 00', BOTH, 'correct');
// Clock controls (to the emulator itself): times in whole ms as a u48. 2026-01-01T00:00:00Z = 1,767,225,600,000 ms =
// 0x019B_76DA_A800 (0x6955B900 s × 1000); +90 s = 1,767,225,690,000 = 019B76DC0790; +345.25 s = 1,767,225,945,250 =
// 019B76DFECA2 (milliseconds kept, unlike the u32 seconds of `time`); the u48 maximum is FFFFFFFFFFFF.
const MS_0000 = 1_767_225_600_000;
control(0x0f08, { type: 'clockStatus', requestId: 0x1e1f }, '1E1F');
control(
  0x0f09,
  { type: 'advanceClock', requestId: 0x2021, to: MS_0000 + 90_000 },
  '2021 019B76DC0790',
  BOTH,
  'to +90 s',
);
control(
  0x0f09,
  { type: 'advanceClock', requestId: 0x2021, to: MS_0000 + 345_250 },
  '2021 019B76DFECA2',
  BOTH,
  'to +345.25 s, ms kept',
);
control(0x0f09, { type: 'advanceClock', requestId: 0x2021, to: 2 ** 48 - 1 }, '2021 FFFFFFFFFFFF', BOTH, 'u48 maximum');
// Bench controls (to the emulator itself): benchInfo's firstSet a u32; benchReset has no fields.
control(0x0f0a, { type: 'benchInfo', requestId: 0x2223, firstSet: 1 }, '2223 00000001', BOTH, 'from set 1');
control(0x0f0b, { type: 'benchReset', requestId: 0x2425 }, '2425');
// benchConfigure: a u8 count of sets, each vendor (1 elster), installation (1 active), migrationState (1 dcc), seed
// u32, pki u32, quirks text ("91342" = 39 31 33 34 32), a u8 count of devices, each role (0 CH, 3 PPMID), EUI and
// install code (u8 length: none for the CH, 8 bytes for the PPMID), then a u8 count of slots, each role (1 ESME),
// slot (1 networkOperator) and the party's EUI-64 (risk 9's wrong DNO 90-B3-D5-1F-30-02-00-09).
control(
  0x0f0c,
  {
    type: 'benchConfigure',
    requestId: 0x2627,
    sets: [
      {
        vendor: 'elster',
        installation: 'active',
        migrationState: 'dcc',
        seed: 3,
        pki: 3,
        quirks: '91342',
        devices: [
          { role: 'CH', eui: '00-DB-12-34-56-78-90-A2', installCode: '' },
          { role: 'PPMID', eui: '00-DB-12-34-56-78-90-A3', installCode: '0011223344556677' },
        ],
        slots: [{ role: 'ESME', slot: 'networkOperator', party: '90-B3-D5-1F-30-02-00-09' }],
      },
    ],
  },
  '2627 01 01 01 01 00000003 00000003 05 3931333432 02 00 00DB1234567890A2 00 03 00DB1234567890A3 08 0011223344556677 01 01 01 90B3D51F30020009',
  BOTH,
  'one elster set, a CH and a PPMID, a starting slot',
);
// linkFault: disconnect u32 ms (a 30 s cut the harness's port sees for 35.75 s: 35,750 = 0x8BA6), the three rates
// u16 ×1000 (0.2 = 200 = 00C8, 0.1 = 100 = 0064, 1 = 1000 = 03E8), seed u32.
control(
  0x0f0d,
  {
    type: 'linkFault',
    requestId: 0x2829,
    disconnect: 35_750,
    dropWriteRate: 0,
    corruptWriteRate: 0,
    corruptByteRate: 0,
    seed: 1,
  },
  '2829 00008BA6 0000 0000 0000 00000001',
  BOTH,
  'a cut',
);
control(
  0x0f0d,
  {
    type: 'linkFault',
    requestId: 0x2829,
    disconnect: 0,
    dropWriteRate: 0.2,
    corruptWriteRate: 0.1,
    corruptByteRate: 1,
    seed: 7,
  },
  '2829 00000000 00C8 0064 03E8 00000007',
  BOTH,
  'lossy, no cut',
);

// ── Responses: status byte after the request id; a non-ok response has no body; ok without a body is 3 bytes ──────
response(
  0x0104,
  { type: 'response', message: 'join', requestId: 0x0405, status: 'ok' },
  '0405 00',
  BOTH,
  'ok, no body',
);
response(0x0101, { type: 'response', message: 'hanLogAdd', requestId: 0x0102, status: 'invalidParameter' }, '0102 01');
response(0x0201, { type: 'response', message: 'voltageConfig', requestId: 0x0607, status: 'notAuthorised' }, '0607 02');
response(
  0x0402,
  { type: 'response', message: 'replaceCredentials', requestId: 0x0f10, status: 'authenticationFailed' },
  '0F10 03',
);
response(0x0204, { type: 'response', message: 'gasFlowConfig', requestId: 0x090a, status: 'unsupported' }, '090A 04');
response(0x0204, { type: 'response', message: 'gasFlowConfig', requestId: 0x090a, status: 'rateLimited' }, '090A 05');
response(0x0205, { type: 'response', message: 'setSupply', requestId: 0x0a0b, status: 'dumbMode' }, '0A0B 06');
response(
  0x0503,
  { type: 'response', message: 'readDeviceInfo', requestId: 0x1213, status: 'busy' },
  '1213 07',
  BOTH,
  'no body although ok would have one',
);
response(0x0f03, { type: 'response', message: 'powerCut', requestId: 0x1516, status: 'unknownDevice' }, '1516 08');
response(
  0x0101,
  { type: 'response', message: 'hanLogAdd', requestId: 0x0102, status: 'full' },
  '0102 09',
  BOTH,
  'a 17th device',
);
response(
  0x0103,
  { type: 'response', message: 'readDeviceLog', requestId: 0x0304, status: 'internalError' },
  '0304 0A',
  BOTH,
  'no body although ok would have one',
);
response(0x0208, { type: 'response', message: 'topUp', requestId: 0x1a1b, status: 'dumbMode' }, '1A1B 06');
// Clock answers: now, then nextDue (0 = no timer will fire); a wall-clock emulator's unsupported; a backwards `to`.
response(
  0x0f08,
  {
    type: 'response',
    message: 'clockStatus',
    requestId: 0x1e1f,
    status: 'ok',
    body: { now: MS_0000, nextDue: MS_0000 + 90_000 },
  },
  '1E1F 00 019B76DAA800 019B76DC0790',
);
response(
  0x0f09,
  {
    type: 'response',
    message: 'advanceClock',
    requestId: 0x2021,
    status: 'ok',
    body: { now: MS_0000 + 90_000, nextDue: 0 },
  },
  '2021 00 019B76DC0790 000000000000',
  BOTH,
  'no timer left',
);
response(
  0x0f09,
  { type: 'response', message: 'advanceClock', requestId: 0x2021, status: 'unsupported' },
  '2021 04',
  BOTH,
  'wall clock',
);
response(
  0x0f09,
  { type: 'response', message: 'advanceClock', requestId: 0x2021, status: 'invalidParameter' },
  '2021 01',
  BOTH,
  'to before now',
);
// benchInfo: clock (0 wall, 1 harness), setCount u32, then a u8 count of sets, each vendor (0 itron, 1 elster),
// installation (0 dormant, 1 active), migrationState (0 smso, 1 dcc), seed u32, ppmid (0/1) and quirks as text
// (u8 length, ASCII: "91342" = 39 31 33 34 32).
response(
  0x0f0a,
  {
    type: 'response',
    message: 'benchInfo',
    requestId: 0x2223,
    status: 'ok',
    body: {
      clock: 'harness',
      setCount: 2,
      sets: [
        { vendor: 'elster', installation: 'active', migrationState: 'dcc', seed: 6, ppmid: true, quirks: '91342' },
      ],
    },
  },
  '2223 00 01 00000002 01 01 01 01 00000006 01 05 3931333432',
  BOTH,
  'one elster set',
);
response(
  0x0f0a,
  {
    type: 'response',
    message: 'benchInfo',
    requestId: 0x2223,
    status: 'ok',
    body: {
      clock: 'wall',
      setCount: 1,
      sets: [{ vendor: 'itron', installation: 'dormant', migrationState: 'smso', seed: 1, ppmid: false, quirks: '' }],
    },
  },
  '2223 00 00 00000001 01 00 00 00 00000001 00 00',
  BOTH,
  'an itron set, no quirk',
);
response(
  0x0f0a,
  {
    type: 'response',
    message: 'benchInfo',
    requestId: 0x2223,
    status: 'ok',
    body: { clock: 'wall', setCount: 1, sets: [] },
  },
  '2223 00 00 00000001 00',
  BOTH,
  'past the last set',
);
response(0x0f0b, { type: 'response', message: 'benchReset', requestId: 0x2425, status: 'ok' }, '2425 00', BOTH, 'done');
response(
  0x0f0b,
  { type: 'response', message: 'benchReset', requestId: 0x2425, status: 'busy' },
  '2425 07',
  BOTH,
  'during an advance',
);
response(
  0x0f0c,
  { type: 'response', message: 'benchConfigure', requestId: 0x2627, status: 'ok' },
  '2627 00',
  BOTH,
  'done',
);
response(
  0x0f0c,
  { type: 'response', message: 'benchConfigure', requestId: 0x2627, status: 'invalidParameter' },
  '2627 01',
  BOTH,
  'a bench it cannot be',
);
response(
  0x0f0d,
  { type: 'response', message: 'linkFault', requestId: 0x2829, status: 'ok' },
  '2829 00',
  BOTH,
  'applied',
);
response(
  0x0f0d,
  { type: 'response', message: 'linkFault', requestId: 0x2829, status: 'invalidParameter' },
  '2829 01',
  BOTH,
  'a rate over 1',
);

// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────

const bytesOf = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

for (const dialect of DIALECTS) {
  describe(`${dialect}: hand-worked payload vectors`, () => {
    const mine = vectors.filter((v) => v.dialects.includes(dialect));
    it.each(mine.map((v) => [v.label, v] as const))(
      '%s encodes to exactly the documented bytes',
      (_label, v: Vector) => {
        const encoded = payloadCodec(dialect).encode(v.message);
        expect({
          frameType: encoded.frameType,
          messageId: encoded.messageId,
          payload: encoded.payload.toString('hex'),
        }).toEqual({
          frameType: v.frameType,
          messageId: v.messageId,
          payload: bytesOf(v.hex).toString('hex'),
        });
      },
    );
    it.each(mine.map((v) => [v.label, v] as const))('%s decodes from the documented bytes', (_label, v: Vector) => {
      expect(payloadCodec(dialect).decode(v.frameType, v.messageId, bytesOf(v.hex))).toEqual(v.message);
    });
  });
}

// ── Bytes the spec calls malformed: refused with a DecodeError (NAK malformedPayload) naming the field ───────────────

interface Refusal {
  label: string;
  frameType: FrameTypeName;
  messageId: number;
  hex: string;
  error: string;
  /** The NAK reason (docs/protocol.md "NAK reasons"); malformedPayload unless said. */
  reason?: 'unknownMessage' | 'malformedPayload';
}
const refusals: Refusal[] = [
  {
    label: 'a boolean byte of 2',
    frameType: 'command',
    messageId: 0x0104,
    hex: '0405 00DB1234567890A3 02',
    error: 'join.critical: 2 is not a boolean (0 or 1)',
  },
  {
    label: 'a boolean byte of FF',
    frameType: 'command',
    messageId: 0x0104,
    hex: '0405 00DB1234567890A3 FF',
    error: 'join.critical: 255 is not a boolean (0 or 1)',
  },
  {
    label: 'a boolean byte of 2 in a list item',
    frameType: 'response',
    messageId: 0x0103,
    hex: '0304 00 01 00DB1234567890A3 02',
    error: 'readDeviceLog response.entries[].joined: 2 is not a boolean (0 or 1)',
  },
  {
    label: 'a boolean byte of 80 in a response body',
    frameType: 'response',
    messageId: 0x0503,
    hex: '1213 00 00 00 00 00 80',
    error: 'readDeviceInfo response.commissioned: 128 is not a boolean (0 or 1)',
  },
  {
    label: 'an enum value one past the last name',
    frameType: 'command',
    messageId: 0x0205,
    hex: '0A0B 03',
    error: 'setSupply.state: 3 is not one of 0 enabled, 1 disabled, 2 armed',
  },
  {
    label: 'an enum value past the last name in a response body',
    frameType: 'response',
    messageId: 0x0206,
    hex: '0B0C 00 03',
    error: 'readSupply response.state: 3 is not one of 0 enabled, 1 disabled, 2 armed',
  },
  {
    label: 'a payload ending inside a field',
    frameType: 'command',
    messageId: 0x0104,
    hex: '0405 00DB1234567890A3',
    error: 'join: payload of 10 bytes ends inside a field (truncated)',
  },
  {
    label: 'a byte string longer than the payload',
    frameType: 'alert',
    messageId: 0x0601,
    hex: '8F3E 6955C008 03 08FC',
    error: 'alert: payload of 9 bytes ends inside a field (truncated)',
  },
  {
    label: 'a byte string longer than the response body',
    frameType: 'response',
    messageId: 0x0401,
    hex: '0E0F 00 03 0104 3082',
    error: 'readCredentials response: payload of 8 bytes ends inside a field (truncated)',
  },
  {
    label: 'a list count larger than the items sent',
    frameType: 'response',
    messageId: 0x0301,
    hex: '0C0D 00 0002 6955B900 8F3E',
    error: 'readEventLog: payload of 11 bytes ends inside a field (truncated)',
  },
  {
    label: 'a message id not in the table',
    frameType: 'command',
    messageId: 0x0999,
    hex: '0001',
    error: 'unknown message id 0x0999',
    reason: 'unknownMessage',
  },
  {
    label: 'a command id in a control frame',
    frameType: 'control',
    messageId: 0x0104,
    hex: '0405 00DB1234567890A3 01',
    error: 'join (0x0104) is a command, not a control frame',
  },
  {
    label: 'a control id in a command frame',
    frameType: 'command',
    messageId: 0x0f03,
    hex: '1516',
    error: 'powerCut (0x0f03) is a control, not a command frame',
  },
  {
    label: 'the alert id in a command frame',
    frameType: 'command',
    messageId: 0x0601,
    hex: '8006 6955B900 00',
    error: 'alert (0x0601) is a alert, not a command frame',
  },
  {
    label: 'a response to an alert',
    frameType: 'response',
    messageId: 0x0601,
    hex: '0001 00',
    error: 'alerts are not answered: response frame for "alert"',
  },
  {
    label: 'a response shorter than request id and status',
    frameType: 'response',
    messageId: 0x0104,
    hex: '0405',
    error: 'join response: 2 bytes, a response has at least 3 (request id, status)',
  },
  {
    label: 'a trailing byte',
    frameType: 'command',
    messageId: 0x0105,
    hex: '0506 00DB1234567890A3 00',
    error: 'unjoin: 1 trailing bytes after the last field',
  },
  {
    label: 'a body after a non-ok status',
    frameType: 'response',
    messageId: 0x0206,
    hex: '0B0C 07 01',
    error: 'readSupply response: a busy response has no body, found 1 bytes',
  },
  {
    label: 'an enum value one past NObyACB',
    frameType: 'command',
    messageId: 0x0402,
    hex: '0F10 03 09 0000 00000000 00',
    error:
      'replaceCredentials.mode: 9 is not one of 0 supplierBySupplier, 1 NObyNO, 2 ACBbyACB, 3 WANPbyWANP, 4 TransCoSbyTransCoS, 5 supplierByTransCoS, 6 anyExceptAbnormalRootByRecovery, 7 anyByContingency, 8 NObyACB',
  },
  {
    label: 'a replacement without its counter',
    frameType: 'command',
    messageId: 0x0402,
    hex: '0F10 03 01 0000 00',
    error: 'replaceCredentials: payload of 7 bytes ends inside a field (truncated)',
  },
  {
    label: 'a clockSync without counter and signature',
    frameType: 'command',
    messageId: 0x0502,
    hex: '1112 6955C008',
    error: 'clockSync: payload of 6 bytes ends inside a field (truncated)',
  },
  {
    label: 'a payment mode byte one past prepayment',
    frameType: 'command',
    messageId: 0x0207,
    hex: '1920 02',
    error: 'setPaymentMode.mode: 2 is not one of 0 credit, 1 prepayment',
  },
  {
    label: 'a polarity byte of 2',
    frameType: 'control',
    messageId: 0x0f07,
    hex: '1C1D 02',
    error: 'polarity.reversed: 2 is not a boolean (0 or 1)',
  },
  {
    label: 'an advanceClock with 5 of its 6 time bytes',
    frameType: 'control',
    messageId: 0x0f09,
    hex: '2021 019B76DC07',
    error: 'advanceClock: payload of 7 bytes ends inside a field (truncated)',
  },
  {
    label: 'a status one past internalError',
    frameType: 'response',
    messageId: 0x0206,
    hex: '0B0C 0B',
    error: 'readSupply response: status 0xb is not a response status',
  },
  {
    label: 'a status of FF',
    frameType: 'response',
    messageId: 0x0206,
    hex: '0B0C FF',
    error: 'readSupply response: status 0xff is not a response status',
  },
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: malformed payloads are refused naming the field`, () => {
    it.each(refusals.map((r) => [r.label, r] as const))('%s', (_label, r: Refusal) => {
      let error: unknown;
      try {
        payloadCodec(dialect).decode(r.frameType, r.messageId, bytesOf(r.hex));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DecodeError);
      expect({ reason: (error as DecodeError).reason, message: (error as Error).message }).toEqual({
        reason: r.reason ?? 'malformedPayload',
        message: r.error,
      });
    });
  });
}

// ── Values the wire cannot carry: refused with an EncodeError saying what and where ─────────────────────────────────

const LIST_256 = Array.from({ length: 256 }, () => ({ code: 1, enabled: true }));
/** [message, the whole error text]; `<dialect>` stands for the codec's dialect. */
const encodeRefusals: [object, string][] = [
  [
    { type: 'readCredentials', requestId: 1, role: 256 },
    'readCredentials.role: 256 is not an integer 0–255 (u8, <dialect> dialect)',
  ],
  [
    { type: 'readCredentials', requestId: 65536, role: 1 },
    'readCredentials.requestId: 65536 is not an integer 0–65535 (u16, <dialect> dialect)',
  ],
  [
    { type: 'powerThresholds', requestId: 1, lowMediumThreshold: -1, mediumHighThreshold: 0 },
    'powerThresholds.lowMediumThreshold: -1 is not an integer 0–4294967295 (u32, <dialect> dialect)',
  ],
  [{ type: 'join', requestId: 1, otherDeviceId: A3, critical: 1 }, 'join.critical: 1 is not a boolean'],
  [
    { type: 'join', requestId: 1, otherDeviceId: '00-db-12-34-56-78-90-a3', critical: true },
    'join.otherDeviceId: "00-db-12-34-56-78-90-a3" is not an EUI-64 like 00-DB-12-34-56-78-90-A0',
  ],
  [
    { type: 'clockSync', requestId: 1, currentTime: '2026', counter: 0, signature: '' },
    'clockSync.currentTime: "2026" is not a time in ms since the epoch',
  ],
  [
    { type: 'clockSync', requestId: 1, currentTime: Number.NaN, counter: 0, signature: '' },
    'clockSync.currentTime: null is not a time in ms since the epoch',
  ],
  [
    { type: 'clockSync', requestId: 1, currentTime: 0, counter: 4294967296, signature: '' },
    'clockSync.counter: 4294967296 is not an integer 0–4294967295 (u32, <dialect> dialect)',
  ],
  [
    { type: 'replaceCredentials', requestId: 1, role: 3, mode: 'ACBbyNO', certificate: '', counter: 0, signature: '' },
    'replaceCredentials.mode: "ACBbyNO" is not one of supplierBySupplier, NObyNO, ACBbyACB, WANPbyWANP, TransCoSbyTransCoS, supplierByTransCoS, anyExceptAbnormalRootByRecovery, anyByContingency, NObyACB',
  ],
  [{ type: 'mainsVoltage', requestId: 1, voltage: '230' }, 'mainsVoltage.voltage: "230" is not a number (sent ×10)'],
  [
    { type: 'mainsVoltage', requestId: 1, voltage: Number.POSITIVE_INFINITY },
    'mainsVoltage.voltage: null is not a number (sent ×10)',
  ],
  [
    { type: 'gasFlowConfig', requestId: 1, uncontrolledFlowRateThreshold: 4294967.296, averagingPeriod: 0 },
    'gasFlowConfig.uncontrolledFlowRateThreshold: 4294967296 is not an integer 0–4294967295 (u32, <dialect> dialect)',
  ],
  [{ type: 'setSupply', requestId: 1, state: 'on' }, 'setSupply.state: "on" is not one of enabled, disabled, armed'],
  [{ type: 'alert', code: 1, at: 0, payload: 'abc' }, 'alert.payload: "abc" is not a hex string of whole bytes'],
  // whole bytes, but not hex: checked once per field (the size pass), never written
  [{ type: 'alert', code: 1, at: 0, payload: 'abzz' }, 'alert.payload: "abzz" is not a hex string of whole bytes'],
  [
    { type: 'hanLogAdd', requestId: 1, deviceId: '00-DB-12-34-56-78-90-A3', installCode: '0x01', joinPeriod: 60 },
    'hanLogAdd.installCode: "0x01" is not a hex string of whole bytes',
  ],
  [
    { type: 'alertBehaviour', requestId: 1, owner: 'supplier', alerts: [{ code: 1, enabled: 'yes' }] },
    'alertBehaviour.alerts[].enabled: "yes" is not a boolean',
  ],
  [{ type: 'alert', code: 1, at: 0, payload: 'ab'.repeat(256) }, 'alert.payload: "256 bytes" is not at most 255 bytes'],
  [
    {
      type: 'response',
      message: 'readDeviceInfo',
      requestId: 1,
      status: 'ok',
      body: { deviceType: 'CH', vendor: 'itron', firmwareVersion: 'café', migrationState: 'dcc', commissioned: true },
    },
    'readDeviceInfo response.firmwareVersion: "café" is not printable ASCII of at most 255 characters',
  ],
  [
    { type: 'alertBehaviour', requestId: 1, owner: 'supplier', alerts: 'x' },
    'alertBehaviour.alerts: "x" is not a list',
  ],
  [
    { type: 'alertBehaviour', requestId: 1, owner: 'supplier', alerts: LIST_256 },
    'alertBehaviour.alerts: "256 items" is not at most 255 items',
  ],
  [{ type: 'response', message: 'alert', requestId: 1, status: 'ok' }, 'alerts are not answered: response to "alert"'],
  [
    { type: 'response', message: 'readSupply', requestId: 65536, status: 'busy' },
    'readSupply response.requestId: 65536 is not an integer 0–65535 (u16, <dialect> dialect)',
  ],
  [
    { type: 'response', message: 'setSupply', requestId: -1, status: 'ok' },
    'setSupply response.requestId: -1 is not an integer 0–65535 (u16, <dialect> dialect)',
  ],
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: values the wire cannot carry are refused naming the field and what it must be`, () => {
    it.each(encodeRefusals.map(([message, error]) => [error.replaceAll('<dialect>', dialect), message] as const))(
      '%s',
      (error, message) => {
        expect(() => payloadCodec(dialect).encode(message as Message)).toThrowError(new EncodeError(error));
      },
    );
  });
}

// ── Coverage: every message, response body, field kind and status has a vector in each dialect ─────────────────────

/** A field kind as the spec's "Field types" table names it (the lengths and counts matter on the wire). */
function kindOf(type: FieldType): string {
  if (type.kind === 'scaled') return `scaled ${type.bytes} bytes`;
  if (type.kind === 'bytes') return `bytes u${type.lengthBytes * 8} length`;
  if (type.kind === 'list') return `list u${type.countBytes * 8} count`;
  return type.kind;
}

const EVERY_FIELD_KIND = [
  'u8',
  'u16',
  'u32',
  'bool',
  'eui64',
  'time',
  'timeMs',
  'scaled 2 bytes',
  'scaled 4 bytes',
  'enum',
  'bytes u8 length',
  'bytes u16 length',
  'text',
  'list u8 count',
  'list u16 count',
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: the vectors cover the command table`, () => {
    const mine = vectors.filter((v) => v.dialects.includes(dialect));
    const requests = new Set<string>(mine.filter((v) => v.frameType !== 'response').map((v) => v.message.type));
    const okBodies = new Set(
      mine
        .filter((v) => v.frameType === 'response' && (v.message as { body?: unknown }).body)
        .map((v) => (v.message as { message: string }).message),
    );

    it('every message of the table has a request vector', () => {
      expect(commandTable.map((s) => s.name).filter((name) => !requests.has(name))).toEqual([]);
    });

    it('every response body of the table has a status-ok vector', () => {
      expect(
        commandTable
          .filter((s) => s.response)
          .map((s) => s.name)
          .filter((name) => !okBodies.has(name)),
      ).toEqual([]);
    });

    it('every field kind of the spec is in a vector, list items included', () => {
      const covered = new Set<string>();
      const visit = (fields: readonly { type: FieldType }[]) => {
        for (const field of fields) {
          covered.add(kindOf(field.type));
          if (field.type.kind === 'list') visit(field.type.of);
        }
      };
      for (const spec of commandTable) {
        if (requests.has(spec.name)) visit(spec.fields);
        if (okBodies.has(spec.name)) visit(spec.response ?? []);
      }
      expect([...covered].sort()).toEqual([...EVERY_FIELD_KIND].sort());
    });

    it('every response status of the spec (00 … 0A) is in a vector', () => {
      const statuses = new Set(
        mine.filter((v) => v.frameType === 'response').map((v) => (v.message as { status: string }).status),
      );
      expect([...statuses].sort()).toEqual(
        [
          'ok',
          'invalidParameter',
          'notAuthorised',
          'authenticationFailed',
          'unsupported',
          'rateLimited',
          'dumbMode',
          'busy',
          'unknownDevice',
          'full',
          'internalError',
        ].sort(),
      );
    });
  });
}
