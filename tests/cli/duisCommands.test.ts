/**
 * `smets1 send`, `templates`, `repro` and `quirks`: what each prints and its exit code 0 / 1 / 2, run in this process
 * through the CLI's entry point (tests/support/cli.ts `smets1`), and `send` as a user runs it, a real process whose
 * piped stdout holds each document's exact bytes; `send` over a socat pty against `smets1 emulate` in another process
 * giving the same response XML as the in-process bench (apart from times, signatures and clock-derived counters,
 * normalised by tests/support/duisNormalise.ts), and `send --clock harness` to `smets1 emulate --clock harness` over
 * TCP on virtual time. bin/smets1.mjs's own exit codes, as a user starts it, are tests/cli/cli.test.ts's.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseDuis } from '../support/duisNormalise';
import { afterAll, describe, expect, it } from 'vitest';
import { needsSocat } from '../support/socat';
import { reproOptions } from '../../harness/cli/repro';
import { sendOptions, xmlLayout } from '../../harness/cli/send';
import { startEmulator, startPtyEmulator } from '../emulator/childEmulator';
import { smets1Child, smets1Printed as run } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'smets1-duis-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `<!-- kind -->` line before each document of `send`'s output. */
const kinds = (stdout: string) => [...stdout.matchAll(/^<!-- ([a-z-]+)(?::[^>]*)? -->$/gm)].map((m) => m[1]);
const codes = (stdout: string) => [...stdout.matchAll(/<sr:ResponseCode>([^<]+)</g)].map((m) => m[1]);

/**
 * `smets1 send CCS01_8.11_SUCCESS --vendor elster` as a user runs it, stdout piped: started once, for the two tests
 * that read it (what it prints, and that piped it prints the raw bytes).
 */
let elsterCcs01: ReturnType<typeof smets1Child> | undefined;
const elsterCcs01Piped = () => (elsterCcs01 ??= smets1Child('send', 'CCS01_8.11_SUCCESS', '--vendor', 'elster'));

describe('smets1 send / templates / repro: help and usage', () => {
  it('--help of send and repro shows every option of their tables; templates --help shows its examples', async () => {
    const send = await run('send', '--help');
    expect(send.status).toBe(0);
    for (const row of Object.values(sendOptions)) expect(send.stdout).toContain(row.flags);
    expect(send.stdout).toContain('smets1 send CCS01_8.11_SUCCESS --vendor elster');
    const repro = await run('repro', '--help');
    expect(repro.status).toBe(0);
    for (const row of Object.values(reproOptions)) expect(repro.stdout).toContain(row.flags);
    const templates = await run('templates', '--help');
    expect(templates.status).toBe(0);
    expect(templates.stdout).toContain('smets1 templates 8.11');
  });

  it.each([
    [['send'], /missing required argument 'request'/],
    [
      ['send', 'CCS01_8.11_SUCCESS', '--fix', 'clamp'],
      /no fix "clamp" \(clamp-join-period, cos-alert-always, response-code-always\)/,
    ],
    [
      ['send', 'CCS01_8.11_SUCCESS', '--link', 'pty'],
      /pty serves devices; send connects: use serial:PATH or tcp:HOST:PORT/,
    ],
    [
      ['send', 'CCS01_8.11_SUCCESS', '--slot-check', 'none'],
      /no slot check "none": expected slot-certificate \(today: .*\) or registered-network-operator \(the fix: /,
    ],
    // the old names are refused, saying what they became
    [
      ['send', 'CCS01_8.11_SUCCESS', '--slot-check', 'registration-data'],
      /no slot check "registration-data": .*slot-holder and registration-data are their old names/,
    ],
    [['repro', '12345'], /only 91342 has a reproduction/],
  ])('%j is a usage error: exit 2 with the reason', async (args, message) => {
    const result = await run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('a request that is neither a file nor a template, a folder, or a file over 8 MiB fails with exit 1, naming it', async () => {
    const result = await run('send', 'NO_SUCH_TEMPLATE');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'smets1: "NO_SUCH_TEMPLATE" is neither a file nor an RTDS template name (list them: smets1 templates)\n',
    );
    expect((await run('send', dir)).stderr).toBe(`smets1: ${dir} is not a file\n`);
    const big = join(dir, 'big.xml');
    writeFileSync(big, Buffer.alloc(8 * 1024 * 1024 + 1, 0x20));
    const tooBig = await run('send', big);
    expect(tooBig.status).toBe(1);
    expect(tooBig.stderr).toBe(`smets1: ${big} is 8388609 bytes; a DUIS request is at most 8388608\n`);
  });
});

describe('smets1 send', () => {
  it('CCS01 (8.11 Add of the ESME) to an Elster bench: I99, the SMETS1 response, N24, then the CH alert 0x8F12', async () => {
    const result = await elsterCcs01Piped();
    expect(result.code).toBe(0);
    expect(kinds(result.stdout)).toEqual(['response', 'response', 'dcc-alert', 'device-alert']);
    expect(codes(result.stdout)).toEqual(['I99', 'I0', 'I0', 'I0']);
    expect(result.stdout).toContain('<ra:UpdateHANDeviceLogRsp MessageSuccess="true"/>');
    expect(result.stdout).toContain(
      '<ra:GBCSHexAlertCode>8F12</ra:GBCSHexAlertCode><ra:AlertDescription>CHF Device Log Changed</ra:AlertDescription>',
    );
  });

  it('piped, each document is printed with its exact bytes (as --out writes it); --layout pretty lays it out one element a line', async () => {
    const piped = await elsterCcs01Piped();
    const raw = await run('send', 'CCS01_8.11_SUCCESS', '--vendor', 'elster', '--layout', 'raw');
    const pretty = await run('send', 'CCS01_8.11_SUCCESS', '--vendor', 'elster', '--layout', 'pretty');
    const out = join(dir, 'layout');
    await run('send', 'CCS01_8.11_SUCCESS', '--vendor', 'elster', '--out', out);
    expect(piped.stdout).toBe(raw.stdout);
    // The first document, the I99 acknowledgement: one line piped, as in its file; laid out under --layout pretty.
    const documentAfter = (stdout: string) =>
      stdout.split('<!-- response: acknowledgement (I99) -->\n')[1]!.split('\n<!-- ')[0]!;
    expect(`${documentAfter(piped.stdout)}\n`).toBe(readFileSync(join(out, '01-response.xml'), 'utf8'));
    expect(documentAfter(piped.stdout)).not.toContain('\n');
    expect(documentAfter(pretty.stdout)).toContain('\n  <sr:Header>\n    <sr:RequestID>');
    expect(documentAfter(pretty.stdout)).toContain('\n    <sr:ResponseCode>I99</sr:ResponseCode>\n');
    // Only whitespace between tags differs.
    expect(pretty.stdout.replace(/>\s+</g, '><')).toBe(raw.stdout.replace(/>\s+</g, '><'));
  });

  it('the layout: pretty on a terminal, raw piped, unless --layout says', async () => {
    expect([
      xmlLayout(undefined, true),
      xmlLayout(undefined, false),
      xmlLayout('raw', true),
      xmlLayout('pretty', false),
    ]).toEqual(['pretty', 'raw', 'raw', 'pretty']);
  });

  it('--layout pretty with --out is a usage error: files keep the signed bytes', async () => {
    const result = await run('send', 'CCS01_8.11_SUCCESS', '--layout', 'pretty', '--out', join(dir, 'never'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'smets1 send: --layout pretty is for stdout; the files --out writes keep the exact bytes their signatures cover\n',
    );
  });

  it('a malformed request file gets the E40 response naming the fault, printed, then exit 1', async () => {
    const file = join(dir, 'broken.xml');
    writeFileSync(file, '<sr:Request><sr:Header>');
    const result = await run('send', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`smets1: ${file}: not carried out: response code E40\n`);
    expect(kinds(result.stdout)).toEqual(['error']);
    expect(codes(result.stdout)).toEqual(['E40']);
    expect(result.stdout).toMatch(/<!-- E40: line 1: not well-formed XML: .+ -->/);
  });

  it('--verify-signatures critical refuses the placeholder-signed critical RTDS 6.15.1 (E44) and still carries 8.11', async () => {
    const critical = await run('send', 'CS02bNOByNO_6.15.1_SUCCESS', '--verify-signatures', 'critical');
    expect(critical.status).toBe(1);
    expect(critical.stderr).toBe('smets1: CS02bNOByNO_6.15.1_SUCCESS: not carried out: response code E44\n');
    expect(codes(critical.stdout)).toEqual(['E44']);
    // the RTDS templates' placeholder signature has only the enveloped transform: refused for its form (docs/duis.md)
    expect(critical.stdout).toContain("<!-- E44: the signature's only transform is the enveloped one");
    expect(
      codes(
        (await run('send', 'CCS01_8.11_SUCCESS', '--verify-signatures', 'critical', '--fix', 'response-code-always'))
          .stdout,
      ),
    ).toEqual(['I99', 'I0', 'I0', 'I0']);
  });

  it('a request the device refuses (7.2 to a GSME: MessageSuccess="false") prints its response and exits 1', async () => {
    const result = await run('send', 'GCS32_7.2_SUCCESS', '--fix', 'response-code-always');
    expect(result.status).toBe(1);
    expect(codes(result.stdout)).toEqual(['I99', 'I0']);
    expect(result.stdout).toContain('MessageSuccess="false"');
    expect(result.stderr).toBe(
      'smets1: GCS32_7.2_SUCCESS: not carried out: the device refused it (MessageSuccess="false")\n',
    );
  });

  it('--out DIR writes one file per document, numbered in order', async () => {
    const out = join(dir, 'out');
    const result = await run('send', 'ECS45_7.4_SUCCESS', '--out', out, '--fix', 'response-code-always');
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['01-response.xml', '02-response.xml']);
    expect(readFileSync(join(out, '02-response.xml'), 'utf8')).toContain(
      '<ra:ReadSupplyStatusRsp MessageSuccess="true"><ra:SupplyState>Enabled</ra:SupplyState></ra:ReadSupplyStatusRsp>',
    );
    expect(result.stdout).toBe(
      `${join(out, '01-response.xml')}  (acknowledgement (I99))\n${join(out, '02-response.xml')}\n`,
    );
  });
});

describe('smets1 templates', () => {
  it('filters by SRV and words, marks the SRs this bench carries, and fails (exit 1) when nothing matches', async () => {
    const result = await run('templates', '8.11');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['CCS01_8.11_SUCCESS', 'CCS02_8.11_SUCCESS', '2']);
    expect(lines[0]).toMatch(/^CCS01_8\.11_SUCCESS +8\.11 +CV1 Update HAN Device Log \*$/);
    const words = await run('templates', 'network', 'data');
    expect(words.stdout).toContain('ECS23_4.10_SUCCESS');
    const none = await run('templates', 'no-such-words');
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('smets1: no RTDS template matches "no-such-words"\n');
  });
});

describe('smets1 repro 91342', () => {
  it('Elster: the four runs side by side, the verdict, exit 0', async () => {
    const result = await run('repro', '91342');
    expect(result.status).toBe(0);
    const table = result.stdout
      .split('\n')
      .slice(2, 8)
      .map((line) => line.split(/ {2,}/));
    expect(table).toEqual([
      ['JoinTimePeriod', '255 s', '256 s', '300 s', '300 s'],
      ['clamp-join-period', 'off', 'off', 'off', 'ON'],
      ['CH received', '255 s', '256 s', '300 s', '255 s'],
      ['MessageSuccess', 'true', 'false', 'false', 'true'],
      ['CH answered', 'ok', 'invalidParameter', 'invalidParameter', 'ok'],
      ['PPMID joined', '30 s after', 'no (10 min)', 'no (10 min)', '30 s after'],
    ]);
    expect(result.stdout).toContain('== JoinTimePeriod 300 s, clamp-join-period off: CH received 300 s');
    expect(result.stdout).toContain(
      '   device: hanLogAdd answered invalidParameter (SMETS1Debug ResponseCode 1), 0x8F48 at 90 s',
    );
    expect(result.stdout).toContain('== JoinTimePeriod 300 s, clamp-join-period ON: CH received 255 s');
    expect(result.stdout).toContain('   PPMID join attempts (after power-on): 0 s failed, 60 s failed, 120 s joined');
    expect(result.stdout).toContain('  [x] fix on, 300 s: clamped to 255 s, accepted, the PPMID joins inside 255 s');
    // the assumed values the runs used, before the verdict: name = value (source)
    expect(result.stdout).toMatch(/\nassumed values these runs used \(\d+; name = value \(source\)\):\n/);
    expect(result.stdout).toContain('\n  elster.joinWindowMax = 255 (public: SECP_74_1511_06 (risk 10)');
    expect(result.stdout).toContain('\n  s1sp.alertThrottle = {"windowMs":60000,"maxPerWindow":10} (assumed:');
    expect(result.stdout.indexOf('\nassumed values these runs used')).toBeLessThan(result.stdout.indexOf('\nverdict:'));
    expect(result.stdout.trimEnd().endsWith('REPRODUCED as documented')).toBe(true);
  });

  it('Itron: not reproduced (its CH takes 300 s), exit 1', async () => {
    const result = await run('repro', '91342', '--vendor', 'itron');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      '  [ ] fix off, 300 s: refused by the CH (invalidParameter, 0x8F48), the PPMID never joins',
    );
    expect(result.stderr).toBe('smets1: defect 91342 did not reproduce as documented on itron\n');
  });
});

describe('smets1 quirks', () => {
  it('lists the S1SP, WAN and DSP quirks after the device ones, with their fix switches', async () => {
    const result = await run('quirks');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^91342 +elster CH: /m);
    expect(result.stdout).toMatch(/^61224 +S1SP: change-of-supplier alerts are not sent/m);
    expect(result.stdout).toMatch(/^91339\/91340 S1SP: a small share of service responses carry no ResponseCode/m);
    expect(result.stdout).toMatch(/^SRV4\.10 +WAN: /m);
    expect(result.stdout).toMatch(/^risk9 +DSP: /m);
    expect(result.stdout).toContain(
      'fix (clamp-join-period): the S1SP changes a JoinTimePeriod over 255 s to 255 s before it reaches an Elster CH',
    );
  });
});

describe.skipIf(
  !needsSocat(
    'tests/cli/duisCommands.test.ts: "smets1 send over a socat pty to smets1 emulate" (same XML as in-process)',
  ),
)('smets1 send over a socat pty to `smets1 emulate` in another process', () => {
  it('gives the same response XML as the in-process bench, apart from times, signatures and clock counters', async () => {
    const child = await startPtyEmulator(['--vendor', 'elster']);
    try {
      const path = child.ptyPath;
      for (const template of ['CCS01_8.11_SUCCESS', 'ECS45_7.4_SUCCESS', 'CCS06_8.9_SUCCESS']) {
        const remote = await run('send', template, '--vendor', 'elster', '--link', `serial:${path}`);
        const local = await run('send', template, '--vendor', 'elster');
        expect(remote.status, remote.stderr).toBe(0);
        expect(local.status).toBe(0);
        expect(kinds(remote.stdout).length).toBeGreaterThanOrEqual(2);
        expect(normaliseDuis(remote.stdout)).toBe(normaliseDuis(local.stdout));
      }
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
    }
  }, 120_000);
});

describe('smets1 send --clock harness to `smets1 emulate --clock harness` over TCP', () => {
  it('runs a 600 s --wait on virtual time, in a few seconds, with the XML of the in-process bench', async () => {
    const child = await startEmulator(['--vendor', 'elster', '--clock', 'harness']);
    try {
      const started = performance.now();
      const remote = await run(
        'send',
        'CCS01_8.11_SUCCESS',
        '--vendor',
        'elster',
        '--link',
        `tcp:127.0.0.1:${child.port}`,
        '--clock',
        'harness',
        '--wait',
        '600',
      );
      const wallMs = performance.now() - started;
      const local = await run('send', 'CCS01_8.11_SUCCESS', '--vendor', 'elster', '--wait', '600');
      expect(remote.status, remote.stderr).toBe(0);
      expect(wallMs).toBeLessThan(30_000); // on the wall clock the wait alone is ten minutes
      expect(kinds(remote.stdout)).toEqual(['response', 'response', 'dcc-alert', 'device-alert']);
      expect(normaliseDuis(remote.stdout)).toBe(normaliseDuis(local.stdout));
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
    }
  }, 120_000);
});
