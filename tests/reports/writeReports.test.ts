/**
 * The files a run leaves in its reports directory: junit.xml, report.html, and each DUIS document under duis/ with
 * its exact bytes, at the path docs/reports.md gives (written out here by hand); ids that collide once made
 * file-safe; a stale document of an earlier run removed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duisFiles } from '../../harness/reports/duisFiles';
import { reportHtml } from '../../harness/reports/htmlReport';
import { junitXml } from '../../harness/reports/junitReport';
import type { RunResult } from '../../harness/reports/runResult';
import { ensureReportsDir, writeReports } from '../../harness/reports/writeReports';
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

  it('writes only what is asked for: junit.xml in the per-pack form alone, or report.html with duis/ alone', () => {
    const junitOnly = join(dir, 'junit-only');
    expect(writeReports(fixtureRun, junitOnly, { junit: 'testsuites', html: false })).toEqual({ junit: join(junitOnly, 'junit.xml') });
    expect(readdirSync(junitOnly)).toEqual(['junit.xml']);
    expect(readFileSync(join(junitOnly, 'junit.xml'), 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="smets1 run" /);
    const htmlOnly = join(dir, 'html-only');
    const written = writeReports(fixtureRun, htmlOnly, { junit: false, html: true });
    expect(written.junit).toBeUndefined();
    expect(written.duis).toHaveLength(4);
    expect(readdirSync(htmlOnly).sort()).toEqual(['duis', 'report.html']);
  });

  it('ensureReportsDir makes the directory, and names one that cannot be, before a run', () => {
    ensureReportsDir(join(dir, 'a', 'b'));
    expect(existsSync(join(dir, 'a', 'b'))).toBe(true);
    writeFileSync(join(dir, 'file'), '');
    expect(() => ensureReportsDir(join(dir, 'file', 'reports'))).toThrow(`cannot write reports to ${join(dir, 'file', 'reports')}: it (or a folder above it) is a file, not a directory`);
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
    // The documents are packed in the page's data (raw deflate, base64), not inlined: the request laid out one
    // element a line for reading, and its exact bytes beside it.
    expect(html).not.toContain('JoinPeriod');
    const data = JSON.parse(/<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(html)![1]!);
    const docs = JSON.parse(inflateRawSync(Buffer.from(data.scenarios[0].duis, 'base64')).toString('utf8')) as string[][];
    expect(docs).toHaveLength(2);
    expect(docs[0]![0]).toContain('  <sr:Body>\n    <sr:UpdateHANDeviceLog>\n      <sr:JoinPeriod>300</sr:JoinPeriod>\n');
    expect(docs[0]![1]).toBe(fixtureRun.scenarios[0]!.duis[0]!.xml);
    // already on several lines: shown as it is, no second copy
    expect(docs[1]).toEqual([fixtureRun.scenarios[0]!.duis[1]!.xml]);
  });

  it('report.html holds a run of large DUIS documents in a fraction of their size', () => {
    // as signed DUIS responses are: the same certificate in each, and a signature of its own (pseudo-random bytes)
    let state = 1;
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => (state = (state * 1103515245 + 12345) % 2 ** 31) % 256)).toString('base64');
    const cert = bytes(900);
    const xml = (i: number) =>
      `<?xml version="1.0"?><sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"><sr:Header><sr:ResponseID>${i}</sr:ResponseID></sr:Header><sr:Body><SignatureValue>${bytes(96)}</SignatureValue><X509Certificate>${cert}</X509Certificate><X509Certificate>${cert}</X509Certificate></sr:Body></sr:Response>`;
    const duis = Array.from({ length: 400 }, (_, i) => ({ name: `doc ${i}`, xml: xml(i), direction: 'response' as const }));
    const run: RunResult = { ...fixtureRun, scenarios: [{ ...fixtureRun.scenarios[0]!, duis }] };
    const html = readFileSync(writeReports(run, join(dir, 'large')).html, 'utf8');
    const documents = duis.reduce((sum, d) => sum + d.xml.length, 0);
    const page = html.length - readFileSync(writeReports({ ...run, scenarios: [{ ...run.scenarios[0]!, duis: [] }] }, join(dir, 'empty')).html, 'utf8').length;
    expect(page).toBeLessThan(documents / 2);
  });
});

describe('report.html of a run Ctrl-C stopped', () => {
  it('says it was interrupted, in its verdict and in a note, and never "passed"', () => {
    const finished = { ...fixtureRun, scenarios: [fixtureRun.scenarios[0]!], interrupted: { signal: 'SIGINT' as const, planned: 4 } };
    const page = reportHtml(finished);
    expect(page).toContain('<span class="run-verdict">interrupted</span>');
    expect(page).toContain('<p class="interrupted">This report holds only the scenarios that finished: the run was interrupted by SIGINT after 1 of 4 scenarios.</p>');
    expect(reportHtml(fixtureRun)).not.toContain('class="interrupted"');
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
