/**
 * BenchClient.request copies the caller's command onto an object of its own (protocols/benchClient.ts). A command
 * parsed from JSON by a careless caller may hold a field named `__proto__`: copied by assignment it would become the
 * copy's prototype, and the encoder would read fields the caller never gave. It must be refused, as a missing field
 * always was, naming the field; and a `__proto__` that is not an object is a field the encoder ignores, as any
 * unknown field.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { BenchClient } from '../../protocols/benchClient';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';

const ESME = '00-DB-12-34-56-78-90-A0';

function client() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const written: Uint8Array[] = [];
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock,
    localEui: HARNESS_EUI,
    dialectOf: () => 'itron',
    transmit: (bytes) => written.push(bytes),
  });
  return { client: new BenchClient({ endpoint, clock }), written, endpoint };
}

describe('BenchClient and a command holding a field named __proto__', () => {
  it('refuses a command whose only state comes from its __proto__ field, naming the missing field', async () => {
    const { client: bench, written, endpoint } = client();
    const framesBefore = written.length;
    const command = JSON.parse('{"type":"setSupply","__proto__":{"state":"armed"}}') as {
      type: 'setSupply';
      state: 'armed';
    };
    const refusal = bench.request(ESME, command).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    // nothing went out: no frame carries the state the caller never gave (else the request waits for its answer)
    expect(written.length).toBe(framesBefore);
    expect(await refusal).toContain('setSupply.state: undefined is not one of enabled, disabled, armed');
    bench.close();
    endpoint.close();
  });

  it('sends a command whose __proto__ field is not an object with its own fields only', async () => {
    const { client: bench, written, endpoint } = client();
    const framesBefore = written.length;
    const command = JSON.parse('{"type":"setSupply","state":"disabled","__proto__":5}') as {
      type: 'setSupply';
      state: 'disabled';
    };
    void bench.request(ESME, command).catch(() => {});
    expect(written.length).toBe(framesBefore + 1);
    bench.close();
    endpoint.close();
  });
});
