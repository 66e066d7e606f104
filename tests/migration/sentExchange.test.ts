/**
 * The log's record of one exchange (harness/migration/sentExchange.ts): judged from the reading of its last response,
 * which the orchestrator made, and its error written as whoever reads the log reads it (the apostrophe unescaped).
 * The readings of the last responses are written by hand, so none is parsed; only a response before the last (an I99
 * acknowledgement, written by hand too) is read from its text, for its code.
 */
import { describe, expect, it } from 'vitest';
import type { DuisResponseReading } from '../../harness/duis/responseReader';
import type { MigrationRequest } from '../../harness/migration/requests';
import { SentExchange } from '../../harness/migration/sentExchange';
import type { DuisOutput } from '../../harness/s1sp/adapter';

const request: MigrationRequest = {
  srv: '7.4',
  originator: '90-B3-D5-1F-30-01-00-00',
  target: '00-DB-12-34-56-78-90-A0',
  counter: 5n,
  xml: '<request/>',
  label: '7.4 supply state',
};
const output = (kind: DuisOutput['kind']): DuisOutput => ({ kind, xml: '<never-read/>', at: 0 });
const rsp = (messageSuccess: boolean | undefined) => ({ element: 'ReadSupplyRsp', messageSuccess, deviceLogIds: [] });

describe('SentExchange', () => {
  it('a response whose Rsp says MessageSuccess true succeeded: no error, its code read from the given reading', () => {
    const reading: DuisResponseReading = { responseCode: 'I0', smets1: { rsp: rsp(true), debugEntries: [] } };
    const exchange = new SentExchange(request, 'orig', 'targ', [output('response')], [], reading);
    expect(exchange.success).toBe(true);
    expect('error' in exchange).toBe(false);
    expect(exchange.codes).toEqual(['I0']);
    expect([exchange.label, exchange.srv, exchange.originator, exchange.target, exchange.request]).toEqual([
      '7.4 supply state',
      '7.4',
      'orig',
      'targ',
      '<request/>',
    ]);
  });

  it('an E-code refusal failed with its fault, the escaped apostrophe written as one', () => {
    const reading: DuisResponseReading = { responseCode: 'E3', fault: 'the counter isn&apos;t new' };
    const exchange = new SentExchange(request, 'orig', 'targ', [output('error')], [], reading);
    expect(exchange.success).toBe(false);
    expect(exchange.error).toBe("the counter isn't new");
  });

  it('a successful Rsp in an error output is no success; the device step’s error wins over the fault', () => {
    const reading: DuisResponseReading = {
      responseCode: 'I0',
      fault: 'not this',
      smets1: {
        rsp: rsp(true),
        debug: { responseCode: '4', position: '1', error: 'readSupply answered dumbMode' },
        debugEntries: [],
      },
    };
    const exchange = new SentExchange(request, 'orig', 'targ', [output('error')], [], reading);
    expect(exchange.success).toBe(false);
    expect(exchange.error).toBe('readSupply answered dumbMode');
  });

  it('a failure that names nothing is written as its codes, `-` for a response without one', () => {
    const reading: DuisResponseReading = { smets1: { rsp: rsp(undefined), debugEntries: [] } };
    const exchange = new SentExchange(request, 'orig', 'targ', [output('response')], [], reading);
    expect(exchange.success).toBe(false);
    expect(exchange.error).toBe('-');
    expect(exchange.codes).toEqual(['-']);
  });

  it("reads the codes of the responses before the last from their own text (the I99), the last's from its reading", () => {
    const acknowledgement: DuisOutput = {
      kind: 'response',
      xml:
        '<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway">' +
        '<sr:Header><sr:ResponseCode>I99</sr:ResponseCode></sr:Header></sr:Response>',
      at: 0,
    };
    const reading: DuisResponseReading = { responseCode: 'I0', smets1: { rsp: rsp(false), debugEntries: [] } };
    const exchange = new SentExchange(request, 'orig', 'targ', [acknowledgement, output('response')], [], reading);
    expect(exchange.codes).toEqual(['I99', 'I0']);
    expect(exchange.error).toBe('I99 I0');
  });
});
