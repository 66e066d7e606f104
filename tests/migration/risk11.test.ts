/**
 * Risk 11 across a dormant migration. The seed (OPSG, residual risk 11): "Migrated Itron meters are generating Power
 * and Voltage Alerts, and DNOs are unable to set the recommended voltage threshold or configure power alerts." The
 * refusal belongs to the migrated meter: the dormant migration's own 6.22 (ECS25b3, the network operator's ESME alert
 * settings, which enable the 0x8014 power-factor alert) is carried out while the ESME is still in SMSO service and is
 * accepted, so the Itron migrates; from its commissioning on, the same request from the DNO is refused
 * (docs/esme.md, "Risk 11"). On Elster both are accepted: the refusal is risk 11's.
 */
import { describe, expect, it } from 'vitest';
import { findTemplate } from '../../harness/bench/rtdsTemplates';
import { migrate } from '../../harness/migration/orchestrator';
import { ESME, migrationBench } from './support';

/** ECS25b3 from the RTDS network operator, with a counter above every one the migration's requests carried. */
function dnoAlertSettings(migrationRequests: readonly string[]): string {
  const counters = migrationRequests.map((xml) => BigInt(/<sr:RequestID>[^<]*:(\d+)</.exec(xml)![1]));
  const next = counters.reduce((a, b) => (a > b ? a : b)) + 1n;
  return findTemplate('ECS25b3_6.22_SUCCESS')!.xml.replace(/(<sr:RequestID>[^<]*:)\d+</, `$1${next}<`);
}

const summary = (xml: string) =>
  `${/<sr:ResponseCode>([^<]+)</.exec(xml)?.[1]}${xml.includes('MessageSuccess="false"') ? ':fail' : ''}`;

describe('risk 11 and the dormant migration', () => {
  it.each([
    ['itron', 'I0:fail', 'alertBehaviour answered notAuthorised'],
    ['elster', 'I0', undefined],
  ] as const)(
    "%s: the migration configures the ESME alerts (6.22 accepted in SMSO service); the DNO's same 6.22 right after migration gives %s",
    async (vendor, after, error) => {
      const { bench, installation } = await migrationBench(vendor, 'dormant');
      try {
        const result = await migrate(bench, { installation });
        expect(result.outcome).toBe('migrated');
        const configuration = result.steps.find((s) => s.name === 'configuration')!;
        expect(configuration.duis.map((d) => `${d.srv} ${d.codes.join(' ')} ${d.success}`)).toEqual([
          '6.22 I99 I0 true',
        ]);
        expect((await bench.command(ESME, { type: 'readDeviceInfo' })).body?.migrationState).toBe('dcc');

        const { responses } = await bench.send(
          dnoAlertSettings(result.steps.flatMap((s) => s.duis.map((d) => d.request))),
        );
        expect(responses.map((r) => summary(r.xml))).toEqual(['I99', after]);
        expect(/<ra:Error>([^<]*)</.exec(responses[1].xml)?.[1]).toBe(error);
      } finally {
        await bench.close();
      }
    },
    60_000,
  );
});
