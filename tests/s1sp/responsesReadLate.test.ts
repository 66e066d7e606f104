/**
 * The S1SP signs every SMETS1 response it builds, but the signature (digest and ECDSA value) is computed only when
 * someone first reads it (xmlSignature.ts signTree): a migration reads its responses by path and never does, a report
 * reads them at its end. Here a migration whose first attempt loses the gas meter at its swap, so the electricity
 * meter's swaps are rolled back and made again: credential replacements, and later responses signed, between most
 * responses and the end's read. The ECDSA (common/credentials signDeterministic) is wrapped to count the signatures
 * made with the S1SP's key: one each time a response's signature is computed. Read at the end, every response is
 * the bytes it was when read the moment it was sent, and every signed part verifies with a verifier that shares no
 * code with the signer.
 */
import { describe, expect, it, vi } from 'vitest';
import type { SigningKey } from '../../common/credentials/deterministicEcdsa';
import type { DuisBench } from '../../harness/bench/duisBench';
import { migrate } from '../../harness/migration/orchestrator';
import type { SigningParty } from '../../harness/duis/xmlSignature';
import { benchS1spParty } from '../../harness/duis/s1spSigner';
import { gasLostAtFirstSwap, migrationBench } from '../migration/support';
import { cutElement, independentlyVerify } from '../duis/independentVerifier';

/** The keys signDeterministic signed with, in order: every ECDSA value computed. */
const ecdsaKeys = vi.hoisted((): unknown[] => []);
vi.mock('../../common/credentials/deterministicEcdsa', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../common/credentials/deterministicEcdsa')>();
  return {
    ...original,
    signDeterministic: (message: Uint8Array, key: SigningKey) => {
      ecdsaKeys.push(key);
      return original.signDeterministic(message, key);
    },
  };
});

/** How many ECDSA values the bench S1SP's signing party computes from now on. */
function countingSigner(bench: DuisBench): { reads: () => number } {
  // the adapter's options are private: reached by element access, for this test's count alone
  const signer = (bench.s1sp['options'] as { signer: SigningParty }).signer;
  const count = () => ecdsaKeys.filter((key) => key === signer).length;
  const before = count();
  return { reads: () => count() - before };
}

/** Every response's text of one dormant Itron migration with a rollback, read as each was sent (`atOnce`) or at the end. */
async function migrationResponses(atOnce: boolean) {
  const { bench, installation } = await migrationBench('itron', 'dormant');
  const signer = countingSigner(bench);
  const readAtSending: string[] = [];
  const send = bench.send.bind(bench);
  bench.send = async (...args: Parameters<typeof send>) => {
    const result = await send(...args);
    if (atOnce) for (const response of result.responses) readAtSending.push(response.xml);
    return result;
  };
  const result = await migrate(bench, gasLostAtFirstSwap(installation));
  expect([result.outcome, result.attempts]).toEqual(['migrated', 2]);
  const exchanges = result.steps.flatMap((step) => step.duis);
  const swaps = result.steps.filter((step) => step.name === 'credentialSwap' || step.name === 'rollback').length;
  await bench.close();
  const readsBeforeEnd = signer.reads();
  const texts = atOnce ? readAtSending : exchanges.flatMap((exchange) => exchange.responses.map((r) => r.xml));
  return { texts, readsBeforeEnd, readsAtEnd: signer.reads(), swaps };
}

describe('S1SP responses read after later credential replacements', () => {
  it('computes no signature during the migration; read at the end, each is the bytes read at sending, and verifies', async () => {
    const atOnce = await migrationResponses(true);
    const atEnd = await migrationResponses(false);
    expect(atEnd.swaps).toBeGreaterThanOrEqual(4);
    expect(atEnd.readsBeforeEnd).toBe(0);
    const signed = atEnd.texts.filter((xml) => xml.includes('<sr:SMETS1SignedResponse '));
    expect(signed.length).toBeGreaterThanOrEqual(10);
    // one key read per signature computed, each when its response was first read
    expect(atEnd.readsAtEnd).toBe(signed.length);
    expect(atOnce.readsBeforeEnd).toBe(atOnce.texts.filter((xml) => xml.includes('<sr:SMETS1SignedResponse ')).length);
    expect(atEnd.texts).toHaveLength(atOnce.texts.length);
    expect(atEnd.texts).toEqual(atOnce.texts);
    const key = benchS1spParty('s1sp-1').publicKey;
    for (const xml of signed)
      expect(await independentlyVerify(cutElement(xml, 'sr:SMETS1SignedResponse'), key)).toEqual({
        digestOk: true,
        signatureOk: true,
      });
  });
});
