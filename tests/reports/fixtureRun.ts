/**
 * A hand-written run result for the reporter tests: two packs; a passed and a failed scenario (91342 with the fix
 * on and off), an errored and a skipped one. Virtual times start at the VirtualClock's default epoch,
 * 2026-01-01T00:00:00Z = 1767225600000 ms.
 */
import type { RunResult } from '../../harness/reports/runResult';

const T0 = 1_767_225_600_000;

const request811 =
  '<?xml version="1.0" encoding="UTF-8"?><sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4"><sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000</sr:RequestID><sr:CommandVariant>4</sr:CommandVariant><sr:ServiceReference>8.11</sr:ServiceReference><sr:ServiceReferenceVariant>8.11</sr:ServiceReferenceVariant></sr:Header><sr:Body><sr:UpdateHANDeviceLog><sr:JoinPeriod>300</sr:JoinPeriod></sr:UpdateHANDeviceLog></sr:Body></sr:Request>';
const response811 =
  '<?xml version="1.0" encoding="UTF-8"?>\n<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">\n  <sr:Header>\n    <sr:ResponseCode>I0</sr:ResponseCode>\n  </sr:Header>\n</sr:Response>\n';

export const fixtureRun: RunResult = {
  startedAt: '2026-11-30T20:00:00.000Z',
  seed: 42,
  packs: ['packs/defects/91342.yaml', 'packs/migration/itron-dormant.yaml'],
  scenarios: [
    {
      id: 'defects/91342#fix-on',
      pack: 'defects/91342',
      file: 'packs/defects/91342.yaml',
      name: 'fix on: join period 300 s accepted',
      verdict: 'passed',
      wallMs: 12.4,
      virtualStartMs: T0,
      virtualEndMs: T0 + 300_500,
      failures: [],
      timeline: [
        { at: T0, lane: 'stimulus', label: 'PPMID power on' },
        { at: T0 + 1_000, lane: 'duis', label: '8.11 request', duisRef: 0 },
        { at: T0 + 1_200, lane: 'frames', label: 'hanLogAdd → CH', detail: 'joinPeriod 300' },
        { at: T0 + 1_450, lane: 'frames', label: 'hanLogAdd response ← CH' },
        { at: T0 + 2_000, lane: 'duis', label: '8.11 response I0', duisRef: 1 },
        { at: T0 + 300_500, lane: 'expect', label: 'response code I0' },
      ],
      duis: [
        { name: '8.11 UpdateHANDeviceLog', xml: request811, direction: 'request' },
        { name: '8.11 UpdateHANDeviceLog', xml: response811, direction: 'response' },
      ],
    },
    {
      id: 'defects/91342#fix-off',
      pack: 'defects/91342',
      file: 'packs/defects/91342.yaml',
      name: 'fix off: join period 300 s refused',
      verdict: 'failed',
      wallMs: 15.6,
      virtualStartMs: T0,
      virtualEndMs: T0 + 3_602_000,
      failures: [
        {
          step: 'expect #3',
          line: 27,
          column: 7,
          expected: 'response code E3 (Elster CH refuses joinPeriod > 255)',
          actual: 'response code I0',
          message: 'response code: expected E3, got I0',
        },
      ],
      timeline: [
        { at: T0 + 1_000, lane: 'duis', label: '8.11 request', duisRef: 0 },
        { at: T0 + 1_000, end: T0 + 1_800_000, lane: 'migration', label: 'WAN pre-check' },
        { at: T0 + 2_000, lane: 'duis', label: '8.11 response I0', duisRef: 1 },
        { at: T0 + 60_000, lane: 'alerts', label: 'alert 0x8F3E', detail: '<b>not bold</b> & "quoted"' },
        { at: T0 + 3_602_000, lane: 'expect', label: 'response code E3', detail: 'got I0', failed: true },
      ],
      duis: [
        { name: '8.11 UpdateHANDeviceLog', xml: request811, direction: 'request' },
        { name: '8.11 UpdateHANDeviceLog', xml: response811, direction: 'response' },
      ],
    },
    {
      id: 'migration/itron-dormant#smso-to-dcc',
      pack: 'migration/itron-dormant',
      file: 'packs/migration/itron-dormant.yaml',
      name: 'credential replacement SMSO → DCC',
      verdict: 'error',
      wallMs: 7,
      virtualStartMs: T0,
      virtualEndMs: T0 + 7_387_250,
      failures: [{ step: 'migrate', line: 14, expected: 'a migration step result', actual: 'link closed', message: 'link to the CH closed mid-request' }],
      timeline: [{ at: T0, end: T0 + 7_387_250, lane: 'migration', label: 'credential replacement' }],
      duis: [],
    },
    {
      id: 'migration/itron-dormant#gas-retry',
      pack: 'migration/itron-dormant',
      file: 'packs/migration/itron-dormant.yaml',
      name: 'gas retry after GT01',
      verdict: 'skipped',
      wallMs: 0,
      virtualStartMs: T0,
      virtualEndMs: T0,
      failures: [{ step: 'bench', expected: 'a GSME in the device set', actual: 'no GSME', message: 'bench has no gas meter' }],
      timeline: [],
      duis: [],
    },
  ],
};
