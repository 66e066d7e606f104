/**
 * A signed request replayed by a later `smets1 send` run: with `--state DIR` the gateway's RequestID counters outlive
 * the run, so the replay is refused (E42) and the device is not told again. The request and its replay are real
 * processes of bin/smets1.mjs, so nothing but the state directory carries the counters from one to the other; the
 * runs between them run in this process (tests/support/cli.ts), which the counters they leave must reach the file too.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { benchPki } from '../../emulator/host/benchPki';
import { findTemplate } from '../../harness/bench/rtdsTemplates';
import { signDocument, withoutSignature } from '../../harness/duis/xmlSignature';
import { startEmulator } from '../emulator/childEmulator';
import { smets1Printed } from '../support/cli';
import { SMETS1_BIN } from '../support/smets1Bin';

const dir = mkdtempSync(join(tmpdir(), 'smets1-send-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `smets1 send` seeds its bench users from `smso-1`: their supplier (the RTDS originator) signs here. */
const supplier = benchPki('smso-1').parties[2];
const SUPPLIER_EUI = '90-B3-D5-1F-30-01-00-00';

/** The RTDS template as a request file with RequestID counter `counter`, signed by the supplier. */
function requestFile(template: string, counter: number): string {
  const xml = withoutSignature(findTemplate(template)!.xml).replace(/(<sr:RequestID>[^<]*:)\d+</, `$1${counter}<`);
  const file = join(dir, `${template}-${counter}.xml`);
  writeFileSync(file, signDocument(xml, supplier));
  return file;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
});

/** Each document of `send`'s output (the line after each `<!-- kind -->` line), read as XML. */
function documents(
  stdout: string,
): { Response: { Header: { ResponseCode: string }; Body: Record<string, unknown> } }[] {
  const lines = stdout.split('\n');
  return lines.flatMap((line, i) =>
    /^<!-- /.test(line) && lines[i + 1]?.startsWith('<?xml') ? [parser.parse(lines[i + 1])] : [],
  );
}

const codes = (stdout: string) => documents(stdout).map((d) => d.Response.Header.ResponseCode);

/** The SupplyState of a 7.4 run's device response. */
function supplyState(stdout: string): string {
  const response = documents(stdout)[1].Response.Body as {
    SMETS1ResponseMessage: {
      SMETS1SignedResponse: {
        SMETS1Response: { Body: { ResponseMessage: { SMETSData: { ReadSupplyStatusRsp: { SupplyState: string } } } } };
      };
    };
  };
  return response.SMETS1ResponseMessage.SMETS1SignedResponse.SMETS1Response.Body.ResponseMessage.SMETSData
    .ReadSupplyStatusRsp.SupplyState;
}

describe('smets1 send --state: a replay in a later run', () => {
  it('a signed 7.2 sent again by a second run to the same emulator is refused with E42 and the supply stays as it was', async () => {
    const emulator = await startEmulator([]);
    const state = join(dir, 'bench-state');
    const args = (file: string) => [
      'send',
      file,
      '--link',
      `tcp:127.0.0.1:${emulator.port}`,
      '--verify-signatures',
      'critical',
      '--fix',
      'response-code-always',
      '--state',
      state,
    ];
    const sendAsProcess = (file: string) =>
      spawnSync(process.execPath, [SMETS1_BIN, ...args(file)], { encoding: 'utf8', timeout: 60_000 });
    const send = (file: string) => smets1Printed(...args(file));
    try {
      const disable = requestFile('ECS43_7.2_SUCCESS', 2000);
      const first = sendAsProcess(disable);
      expect(first.status, first.stderr).toBe(0);
      expect(codes(first.stdout)).toEqual(['I99', 'I0']);
      expect(supplyState((await send(requestFile('ECS45_7.4_SUCCESS', 2001))).stdout)).toBe('Disabled');

      const enable = await send(requestFile('ECS42_7.1_SUCCESS', 2002));
      expect(enable.status, enable.stderr).toBe(0);
      expect(supplyState((await send(requestFile('ECS45_7.4_SUCCESS', 2003))).stdout)).toBe('Enabled');

      const replay = sendAsProcess(disable);
      expect(replay.status).toBe(1);
      expect(replay.stderr).toBe(`smets1: ${disable}: not carried out: response code E42\n`);
      expect(codes(replay.stdout)).toEqual(['E42']);
      expect(replay.stdout).toContain(
        `<!-- E42: RequestID counter 2000 from ${SUPPLIER_EUI} is not above its last accepted counter 2003 (replay) -->`,
      );
      expect(supplyState((await send(requestFile('ECS45_7.4_SUCCESS', 2004))).stdout)).toBe('Enabled');

      expect(JSON.parse(readFileSync(join(state, 'request-counters.json'), 'utf8'))).toEqual({
        format: 'smets1-request-counters/1',
        counters: { [SUPPLIER_EUI]: '2004' },
      });
    } finally {
      emulator.process.kill('SIGTERM');
      await emulator.exited;
    }
  }, 180_000);

  it('a counters file that is not one is refused, naming the file and the entry, with exit 1 and the file left as it was', async () => {
    const state = join(dir, 'broken-state');
    const path = join(state, 'request-counters.json');
    mkdirSync(state);
    const text = '{"format":"smets1-request-counters/1","counters":{"90-B3-D5-1F-30-01-00-00":"12x"}}';
    writeFileSync(path, text);
    const result = await smets1Printed('send', 'ECS45_7.4_SUCCESS', '--state', state);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `smets1: ${path}: counters["90-B3-D5-1F-30-01-00-00"]: counter "12x" is not an integer in 0…2^64−1\n`,
    );
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
