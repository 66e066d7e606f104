/**
 * The files a run leaves in its reports directory: junit.xml, report.html, and each DUIS document under duis/ with
 * its exact bytes, at the path docs/reports.md gives (written out here by hand); ids that collide once made
 * file-safe; a stale document of an earlier run removed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duisFiles } from '../../harness/reports/duisFiles';
import { junitXml } from '../../harness/reports/junitReport';
import type { RunResult } from '../../harness/reports/runResult';
import { writeReports } from '../../harness/reports/writeReports';
import { displayXml } from '../../harness/reports/xmlDisplay';
import { fixtureRun } from './fixtureRun';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smets1-reports-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeReports', () => {
  it('writes junit.xml, report.html and every DUIS document with its exact bytes', () => {
    const written = writeReports(fixtureRun, dir);
    expect(written.junit).toBe(join(dir, 'junit.xml'));
    expect(written.html).toBe(join(dir, 'report.html'));
    expect(readFileSync(written.junit, 'utf8')).toBe(junitXml(fixtureRun));
    expect(written.duis).toEqual([
      'duis/defects_91342_fix-on/001-8.11_UpdateHANDeviceLog-request.xml',
      'duis/defects_91342_fix-on/002-8.11_UpdateHANDeviceLog-response.xml',
      'duis/defects_91342_fix-off/001-8.11_UpdateHANDeviceLog-request.xml',
      'duis/defects_91342_fix-off/002-8.11_UpdateHANDeviceLog-response.xml',
    ]);
    expect(readFileSync(join(dir, written.duis[1]), 'utf8')).toBe(fixtureRun.scenarios[0].duis[1].xml);
    expect(readFileSync(join(dir, written.duis[2]), 'utf8')).toBe(fixtureRun.scenarios[1].duis[0].xml);
  });

  it('leaves no document of an earlier run behind', () => {
    mkdirSync(join(dir, 'duis', 'old-scenario'), { recursive: true });
    writeFileSync(join(dir, 'duis', 'old-scenario', '001-stale-request.xml'), '<stale/>');
    writeReports(fixtureRun, dir);
    expect(existsSync(join(dir, 'duis', 'old-scenario'))).toBe(false);
  });

  it('report.html is one file that loads nothing from elsewhere', () => {
    const html = readFileSync(writeReports(fixtureRun, dir).html, 'utf8');
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*rel="stylesheet"/i);
    expect(html).not.toContain('sourceMappingURL');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`);
    // The request document, escaped, laid out one element a line.
    expect(html).toContain('  &lt;sr:Body&gt;\n    &lt;sr:UpdateHANDeviceLog&gt;\n      &lt;sr:JoinPeriod&gt;300&lt;/sr:JoinPeriod&gt;\n');
  });

  it('report.html says what was checked of a far end the run did not start, escaped', () => {
    const html = readFileSync(writeReports({ ...fixtureRun, preflight: 'not pre-flighted (--no-preflight): <tcp:127.0.0.1:7000>' }, dir).html, 'utf8');
    expect(html).toContain(' · far end: not pre-flighted (--no-preflight): &lt;tcp:127.0.0.1:7000&gt;</p>');
    expect(readFileSync(writeReports(fixtureRun, dir).html, 'utf8')).not.toContain('far end:');
  });
});

describe('DUIS file names', () => {
  it('makes ids and names file-safe and tells colliding scenario folders apart', () => {
    const doc = { name: 'SR 6.15.1 / Update Security Credentials', xml: '<x/>', direction: 'request' as const };
    const scenario = fixtureRun.scenarios[0];
    const run: RunResult = {
      ...fixtureRun,
      scenarios: [
        { ...scenario, id: 'a/b c', duis: [doc] },
        { ...scenario, id: 'a b/c', duis: [doc, { ...doc, name: '../../etc/passwd', direction: 'alert' }] },
        { ...scenario, id: '..', duis: [{ ...doc, name: '' }] },
      ],
    };
    expect(duisFiles(run).map((f) => f.path)).toEqual([
      'duis/a_b_c/001-SR_6.15.1_Update_Security_Credentials-request.xml',
      'duis/a_b_c-2/001-SR_6.15.1_Update_Security_Credentials-request.xml',
      'duis/a_b_c-2/002-etc_passwd-alert.xml',
      'duis/_/001-_-request.xml',
    ]);
  });
});

describe('XML laid out for reading', () => {
  it('puts one element a line, text elements on their own line, and leaves a multi-line document as it is', () => {
    expect(displayXml('<?xml version="1.0"?><a x="1"><b>text</b><c/><d><e>1 &gt; 0</e></d></a>')).toBe(
      '<?xml version="1.0"?>\n<a x="1">\n  <b>text</b>\n  <c/>\n  <d>\n    <e>1 &gt; 0</e>\n  </d>\n</a>',
    );
    const laidOut = '<a>\n  <b>1</b>\n</a>\n';
    expect(displayXml(laidOut)).toBe(laidOut);
  });
});
