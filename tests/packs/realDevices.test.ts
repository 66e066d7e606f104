/**
 * A pack of real devices' EUIs and install codes (`bench.euis`, `bench.installCodes`; packs/examples/real-devices.yaml,
 * docs/bench.md's worked example): the requests carry them, the in-process devices are at them, and the pack passes
 * on the mock line (over TCP against one hand-started emulator: tests/packs/farEndBuiltin.test.ts). The EUIs and the
 * install code below are copied from the pack file; the documents are read with a fresh xmldom parse.
 */
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../../harness/packs';
import { runScenario } from '../../harness/run/executor';
import { requestXml } from '../../harness/run/packRequests';

const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
const CH = '00-0D-6F-00-0A-1B-2C-03';
const PPMID = '00-0D-6F-00-0A-1B-2C-04';
const PPMID_CODE = '8C1F64A2B37D4E5F8C1F64A2B37D4E5F';

function texts(xml: string, name: string): string[] {
  const found = new DOMParser().parseFromString(xml, 'text/xml').getElementsByTagNameNS(SR, name);
  return Array.from({ length: found.length }, (_, i) => found.item(i)!.textContent ?? '');
}

describe('packs/examples/real-devices.yaml', () => {
  const pack = loadPack('packs/examples/real-devices.yaml');

  it('its device references are the real EUIs', () => {
    const join = pack.scenarios[0]!.steps[2]!;
    expect(
      join.kind === 'sr' && join.request.source === 'srv'
        ? [join.request.target.eui, join.request.params.DeviceID]
        : [],
    ).toEqual([CH, PPMID]);
  });

  it("a template's own target is the bench's device of that role; an 8.11 Add carries the device's install code unless given one", () => {
    const read = requestXml({ source: 'template', template: 'CCS05CCS04_8.9_SUCCESS', params: {} }, 7, 1, pack.bench);
    expect(texts(read.xml, 'RequestID')).toEqual([`90-B3-D5-1F-30-01-00-00:${CH}:7`]);
    const add = pack.scenarios[0]!.steps[2]!;
    if (add.kind !== 'sr') throw new Error('step 3 is the 8.11');
    expect(texts(requestXml(add.request, 8, 1, pack.bench).xml, 'InstallCode')).toEqual([PPMID_CODE]);
    const given = pack.scenarios[1]!.steps[2]!;
    if (given.kind !== 'sr') throw new Error('step 3 is the 8.11');
    expect(texts(requestXml(given.request, 9, 1, pack.bench).xml, 'InstallCode')).toEqual([
      '30313233343536373839414243444546',
    ]);
  });

  it('passes on the mock line: the PPMID joins with its own code at the CH at its own EUI, and not with the RTDS code', async () => {
    const results = await Promise.all(pack.scenarios.map((scenario) => runScenario(pack, scenario)));
    expect(results.map((r) => [r.verdict, r.failures])).toEqual([
      ['passed', []],
      ['passed', []],
    ]);
  }, 60_000);
});
