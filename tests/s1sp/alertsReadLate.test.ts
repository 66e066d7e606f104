/**
 * The S1SP's device alerts are written and signed when first read (adapter.ts sendAlert, builtOnDemand). A report
 * reads them at its end, after everything the run did since: here a migration whose first attempt loses the gas
 * meter at its swap, so the electricity meter's swaps (6.23 and 6.15.1, each acknowledged by its 0x8F70 alert) are
 * rolled back and made again, credential replacements between those alerts and their read. Read at the end, every
 * alert must be the bytes it was when read the moment it was sent: its counter, times, recipient and signature are
 * the sending's, not the reading's.
 */
import { describe, expect, it } from 'vitest';
import type { DuisOutput } from '../../harness/s1sp/adapter';
import { migrate } from '../../harness/migration/orchestrator';
import { gasLostAtFirstSwap, migrationBench } from '../migration/support';

const RA = 'http://www.dccinterface.co.uk/ResponseAndAlert';

/** Every alert's text of one dormant Itron migration with a rollback, read as each was sent (`atOnce`) or all at the end. */
async function migrationAlerts(
  atOnce: boolean,
): Promise<{ texts: string[]; codes: string[]; swapsAfterFirst: number }> {
  const { bench, installation } = await migrationBench('itron', 'dormant');
  const readAtSending: string[] = [];
  if (atOnce) {
    const push = bench.alerts.push.bind(bench.alerts);
    bench.alerts.push = (...outputs: DuisOutput[]) => {
      for (const output of outputs) readAtSending.push(output.xml);
      return push(...outputs);
    };
  }
  // the alerts sent before each request: the exchanges of result.steps are the sends in this order
  const alertsBeforeSend: number[] = [];
  const send = bench.send.bind(bench);
  bench.send = (...args: Parameters<typeof send>) => {
    alertsBeforeSend.push(bench.alerts.length);
    return send(...args);
  };
  const result = await migrate(bench, gasLostAtFirstSwap(installation));
  expect([result.outcome, result.attempts]).toEqual(['migrated', 2]);
  const exchanges = result.steps.flatMap((step) => step.duis.map(() => step.name));
  expect(exchanges).toHaveLength(alertsBeforeSend.length);
  // replacements requested after an alert was sent: between it and the end's read
  const swapsAfterFirst = exchanges.filter(
    (name, i) => (name === 'credentialSwap' || name === 'rollback') && alertsBeforeSend[i] > 0,
  ).length;
  // read once the bench is closed, as a report is written
  await bench.close();
  const texts = atOnce ? readAtSending : bench.alerts.map((alert) => alert.xml);
  const codes = bench.alerts.map(
    (alert) => alert.document?.().getElementsByTagNameNS(RA, 'GBCSHexAlertCode')[0]?.textContent ?? '-',
  );
  return { texts, codes, swapsAfterFirst };
}

describe('device alerts read after later credential swaps', () => {
  it('are byte for byte what they were when read at sending', async () => {
    const atOnce = await migrationAlerts(true);
    const atEnd = await migrationAlerts(false);
    // the swaps' 0x8F70 acknowledgements, and replacements (rollbacks, swaps again) after the first, before the end's read
    expect(atEnd.codes).toContain('8F70');
    expect(atEnd.swapsAfterFirst).toBeGreaterThanOrEqual(2);
    expect(atEnd.texts).toHaveLength(atOnce.texts.length);
    expect(atEnd.texts).toEqual(atOnce.texts);
  });
});
