/**
 * Every kind of broken pack is refused with its line and column and words that say what was expected. The expected
 * lines are written out by hand from the texts below (count the lines: line 1 is `name:`).
 */
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack, PackError, parsePack } from '../../harness/packs';
import { requestXml } from '../../harness/run/packRequests';

/** The problems of a pack text, one formatted line each. */
function problems(text: string): string[] {
  try {
    parsePack(text, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PackError);
    return (error as Error).message.split('\n');
  }
  throw new Error('the pack was accepted');
}

/** The smallest DUIS request document: sr:Request in the ServiceUserGateway namespace (the schema is the gateway's check). */
const REQUEST =
  '<?xml version="1.0" encoding="UTF-8"?>\n<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4"><sr:Header/></sr:Request>\n';

const BENCH = `name: p
bench:
  vendor: elster
scenarios:
  - name: s
    steps:
`;

describe('YAML syntax', () => {
  it('an unclosed flow sequence', () => {
    expect(problems(`${BENCH}      - wait: [1s\n      - wait: 2s\n`)).toEqual([
      'bad.yaml:8:7: bad YAML: Flow sequence in block collection must be sufficiently indented and end with a ]; expected consistent indentation (spaces, each level deeper than its parent)',
    ]);
  });

  it('a key given twice', () => {
    expect(problems('name: p\nname: q\n')).toEqual([
      'bad.yaml:2:1: bad YAML: Map keys must be unique; expected each key at most once in a map',
    ]);
  });

  it('a tab for indentation', () => {
    expect(problems('name: p\nbench:\n\tvendor: elster\n')).toEqual([
      'bad.yaml:3:1: bad YAML: Tabs are not allowed as indentation; expected indentation with spaces, not tabs',
    ]);
  });

  it('two documents in one file', () => {
    expect(problems('name: p\n---\nname: q\n')).toEqual([
      'bad.yaml:2:1: bad YAML: Source contains multiple documents; please use YAML.parseAllDocuments(); expected one YAML document per pack file',
    ]);
  });

  it('text that is not YAML at all: the first five errors and how many more, not every one', () => {
    const markdown =
      '# Title\n\nSome *text*: with: colons\n- a list\n  ```sh\n  npm ci && npm start\n  ```\n| a | b |\n| --- | --- |\n"unclosed\n[also: {\n';
    const lines = problems(markdown);
    expect(lines).toHaveLength(6);
    expect(lines.slice(0, 5).every((line) => /^bad\.yaml:\d+:\d+: bad YAML: /.test(line))).toBe(true);
    expect(lines[5]).toBe(
      'bad.yaml:8:3: 5 more YAML errors not shown: this does not look like a pack; expected a pack: YAML with name, bench and scenarios (docs/packs.md)',
    );
  });

  it('an alias bomb is refused, not expanded', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    expect(problems(bomb)).toEqual([
      'bad.yaml:1:1: bad YAML: Excessive alias count indicates a resource exhaustion attack; expected at most 100 alias expansions',
    ]);
  });
});

describe('the schema', () => {
  it('an empty file, a file that is not a map, an empty step value, a bare word for a step', () => {
    expect(problems('')).toEqual(['bad.yaml:1:1: got nothing (an empty value); expected a map (key: value lines)']);
    expect(problems('just a string')).toEqual([
      'bad.yaml:1:1: got the string "just a string"; expected a map (key: value lines)',
    ]);
    expect(problems(`${BENCH}      - migrate:\n      - wait\n`)).toEqual([
      'bad.yaml:7:9: scenarios[0].steps[0].migrate: got nothing (an empty value); expected a map (key: value lines)',
      'bad.yaml:8:9: scenarios[0].steps[1]: got the string "wait"; expected exactly one of sr, stimulus, wait, migrate, expect',
    ]);
  });

  it('an unknown expectation, and bench fields a scenario may not change', () => {
    const text = `name: p
bench: { vendor: itron }
scenarios:
  - name: s
    bench: { link: mock, sets: 2 }
    steps:
      - expect: { bogus: 1 }
`;
    expect(problems(text)).toEqual([
      'bad.yaml:5:14: scenarios[0].bench.link: unknown bench field "link"; expected one of vendor, installation, migrationState, quirks, fixes, dsp, seed, slots',
      'bad.yaml:5:26: scenarios[0].bench.sets: unknown bench field "sets"; expected one of vendor, installation, migrationState, quirks, fixes, dsp, seed, slots',
      'bad.yaml:7:19: scenarios[0].steps[0].expect.bogus: unknown expectation "bogus"; expected one of response, messageSuccess, alert, noAlert, deviceState, slots, smiStatus, duration, migration',
    ]);
  });

  it("the DSP slot check's old names are refused, saying what they became (risk 9 renaming)", () => {
    const text = `name: p
bench: { vendor: itron, dsp: registration-data }
scenarios:
  - name: s
    bench: { dsp: slot-holder }
    steps:
      - wait: 1s
`;
    const expected =
      'expected slot-certificate (today: the requesting network operator must match the certificate in the slot, risk 9) or registered-network-operator (the fix: it must be the network operator registered for the meter); slot-holder and registration-data are their old names';
    expect(problems(text)).toEqual([
      `bad.yaml:2:30: bench.dsp: got the string "registration-data"; ${expected}`,
      `bad.yaml:5:19: scenarios[0].bench.dsp: got the string "slot-holder"; ${expected}`,
    ]);
  });

  it('a file with many problems lists the first 50 and counts the rest; all are kept', () => {
    const text = `${BENCH}${'      - wait: 1\n'.repeat(60)}`;
    let error: PackError | undefined;
    try {
      parsePack(text, 'bad.yaml');
    } catch (caught) {
      error = caught as PackError;
    }
    expect(error?.problems).toHaveLength(60);
    const lines = error!.message.split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[49]).toMatch(/^bad\.yaml:56:15: scenarios\[0\]\.steps\[49\]\.wait: got the number 1; /);
    expect(lines[50]).toBe('… and 10 more problems');
  });

  it('an unknown step kind names the step kinds', () => {
    expect(problems(`${BENCH}      - wait: 1s\n      - sleep: 2s\n`)).toEqual([
      'bad.yaml:8:9: scenarios[0].steps[1].sleep: unknown step kind "sleep"; expected one of sr, stimulus, wait, migrate, expect',
    ]);
  });

  it('two kinds in one step, and an empty step', () => {
    expect(problems(`${BENCH}      - { wait: 1s, migrate: {} }\n      - {}\n`)).toEqual([
      'bad.yaml:7:9: scenarios[0].steps[0]: got wait and migrate; expected exactly one of sr, stimulus, wait, migrate, expect',
      'bad.yaml:8:9: scenarios[0].steps[1]: got an empty map; expected exactly one of sr, stimulus, wait, migrate, expect',
    ]);
  });

  it('a wrong type: JoinTimePeriod "abc"', () => {
    const text = `${BENCH}      - sr:\n          srv: "8.11"\n          target: CHF\n          params: { DeviceID: PPMID, JoinTimePeriod: "abc" }\n`;
    expect(problems(text)).toEqual([
      'bad.yaml:10:54: scenarios[0].steps[0].sr.params.JoinTimePeriod: got the string "abc"; expected a whole number',
    ]);
  });

  it('an unquoted SR number and an unquoted hex install code', () => {
    const text = `${BENCH}      - sr: { srv: 8.11, target: CHF, params: { InstallCode: 3031323334353637 } }\n`;
    expect(problems(text)).toEqual([
      'bad.yaml:7:20: scenarios[0].steps[0].sr.srv: got the number 8.11; expected an SR number in quotes, like "8.11" or "8.7.1", in quotes (YAML reads it unquoted as a number)',
      'bad.yaml:7:62: scenarios[0].steps[0].sr.params.InstallCode: got the number 3031323334353637; expected hex bytes like 30313233343536373839414243444546, in quotes (YAML reads it unquoted as a number)',
    ]);
  });

  it('a wait without a unit, and a malformed duration', () => {
    expect(problems(`${BENCH}      - wait: 300\n      - wait: 30m2h\n`)).toEqual([
      'bad.yaml:7:15: scenarios[0].steps[0].wait: got the number 300; expected a duration like 300s, 90min, 2h or 1h30m (units d, h, min or m, s, ms; largest first)',
      'bad.yaml:8:15: scenarios[0].steps[1].wait: got the string "30m2h"; expected a duration like 300s, 90min, 2h or 1h30m (units d, h, min or m, s, ms; largest first)',
    ]);
  });

  it('missing required fields: the pack, a scenario, an alert', () => {
    expect(
      problems('name: p\nscenarios:\n  - name: s\n  - steps:\n      - expect: { alert: { within: 5s } }\n'),
    ).toEqual([
      'bad.yaml:1:1: "bench" is missing; expected the fields name, bench, scenarios',
      'bad.yaml:3:5: scenarios[0]: "steps" is missing; expected the fields name, steps',
      'bad.yaml:4:5: scenarios[1]: "name" is missing; expected the fields name, steps',
      'bad.yaml:5:26: scenarios[1].steps[0].expect.alert: "code" is missing; expected the fields code, within',
    ]);
  });

  it('an unknown quirk and fix, a fix switched with a word, a bad vendor', () => {
    const text =
      'name: p\nbench:\n  vendor: honeywell\n  quirks: { 91342: true, 12345: false }\n  fixes:\n    clamp-join-period: yes\n    clamp: true\nscenarios:\n  - { name: s, steps: [ { wait: 1s } ] }\n';
    expect(problems(text)).toEqual([
      'bad.yaml:3:11: bench.vendor: got the string "honeywell"; expected one of itron, elster',
      'bad.yaml:4:26: bench.quirks["12345"]: unknown quirk "12345"; expected one of 61224, 91333, 91342, risk11, 91339/91340, SRV4.10',
      'bad.yaml:6:24: bench.fixes.clamp-join-period: got the string "yes"; expected true or false',
      'bad.yaml:7:5: bench.fixes.clamp: unknown fix "clamp"; expected one of clamp-join-period, cos-alert-always, response-code-always',
    ]);
  });

  it('out-of-range numbers and an unknown response code', () => {
    const text = `${BENCH}      - stimulus: { mainsVoltage: 1200 }\n      - stimulus: { hanFailureRate: 1.5, device: GSME }\n      - expect: { response: E9 }\n`;
    expect(problems(text)).toEqual([
      'bad.yaml:7:35: scenarios[0].steps[0].stimulus.mainsVoltage: got the number 1200; expected at most 1000',
      'bad.yaml:8:37: scenarios[0].steps[1].stimulus.hanFailureRate: got the number 1.5; expected at most 1',
      'bad.yaml:9:29: scenarios[0].steps[2].expect.response: got the string "E9"; expected a DUIS ResponseCode like I0, I99 or E081104, or none',
    ]);
  });

  it('an empty scenario list and an empty step list', () => {
    expect(problems('name: p\nbench: { vendor: itron }\nscenarios: []\n')).toEqual([
      'bad.yaml:3:12: scenarios: got an empty list; expected at least 1 item(s)',
    ]);
    expect(problems(`${BENCH.replace('    steps:\n', '    steps: []\n')}`)).toEqual([
      'bad.yaml:6:12: scenarios[0].steps: got an empty list; expected at least 1 item(s)',
    ]);
  });

  it('a bad alert code', () => {
    expect(problems(`${BENCH}      - expect: { alert: { code: 8F49, within: 5s } }\n`)).toEqual([
      'bad.yaml:7:34: scenarios[0].steps[0].expect.alert.code: got the string "8F49"; expected a GBCS alert code like 0x8F49 or a DCC alert code like N24',
    ]);
  });
});

describe('starting slots, sr certificates, the gas retry: the schema', () => {
  it('a slot entry with no slot, an unknown slot role, a malformed entity id', () => {
    const text = `name: p
bench:
  vendor: itron
  slots:
    - { device: ESME }
    - { device: GSME, root: 90-B3-D5-1F-30-00-00-00 }
    - { device: CHF, supplier: 90-b3 }
scenarios:
  - { name: s, steps: [ { wait: 1s } ] }
`;
    expect(problems(text)).toEqual([
      'bad.yaml:5:7: bench.slots[0]: got device; expected device and at least one slot: supplier, networkOperator',
      'bad.yaml:6:23: bench.slots[1].root: unknown slot "root"; expected one of device, supplier, networkOperator',
      'bad.yaml:7:32: bench.slots[2].supplier: got the string "90-b3"; expected an entity id like 90-B3-D5-1F-30-01-00-00',
    ]);
  });

  it('an sr certificate without its party, for a role that has no certificate to send', () => {
    expect(
      problems(`${BENCH}      - sr: { template: CS02bNOByNO_6.15.1_SUCCESS, certificate: { role: root } }\n`),
    ).toEqual([
      'bad.yaml:7:66: scenarios[0].steps[0].sr.certificate: "party" is missing; expected the fields role, party',
      'bad.yaml:7:74: scenarios[0].steps[0].sr.certificate.role: got the string "root"; expected one of supplier, networkOperator',
    ]);
  });
});

describe("a migrate step's installation id and gas HAN rule", () => {
  it('an unknown gasHanFailure, a malformed installationId, either with a gas retry', () => {
    const text = `name: p
bench: { vendor: itron }
scenarios:
  - name: s
    steps:
      - migrate: { gasHanFailure: sometimes, installationId: "../x" }
      - migrate: { gasRetry: true, gasHanFailure: reject-dormant, installationId: FLEET-1 }
`;
    expect(problems(text)).toEqual([
      'bad.yaml:6:35: scenarios[0].steps[0].migrate.gasHanFailure: got the string "sometimes"; expected one of electricity-only, reject-dormant',
      'bad.yaml:6:62: scenarios[0].steps[0].migrate.installationId: got the string "../x"; expected an id of letters, digits, ".", "_" or "-", at most 64 characters, like FLEET-12',
    ]);
    expect(problems(text.replace('{ gasHanFailure: sometimes, installationId: "../x" }', '{}'))).toEqual([
      'bad.yaml:7:36: scenarios[0].steps[1].migrate.gasHanFailure: gasHanFailure with gasRetry: the retry is of the installation the first migrate step set up; expected gasRetry with fail only',
      'bad.yaml:7:67: scenarios[0].steps[1].migrate.installationId: installationId with gasRetry: the retry is of the installation the first migrate step set up; expected gasRetry with fail only',
    ]);
  });
});

describe('hanLogRemove', () => {
  it('sent to a device that is not a CH, removing a device the bench does not have', () => {
    const text = `name: p
bench: { vendor: itron, ppmid: false }
scenarios:
  - name: s
    steps:
      - stimulus: { hanLogRemove: GSME, device: ESME }
      - stimulus: { hanLogRemove: PPMID }
`;
    expect(problems(text)).toEqual([
      'bad.yaml:6:49: scenarios[0].steps[0].stimulus.device: ESME is an ESME; expected a CHF',
      'bad.yaml:7:35: scenarios[0].steps[1].stimulus.hanLogRemove: names a PPMID, but the bench has none (bench.ppmid is false); expected ESME, GSME or CHF, or an EUI of the bench (set 0: ESME 00-DB-12-34-56-78-90-A0, GSME 00-DB-12-34-56-78-90-A1, CHF 00-DB-12-34-56-78-90-A2)',
    ]);
  });
});

describe('checks across fields', () => {
  it('a device reference that names no device of the bench', () => {
    const text = `name: p
bench:
  vendor: elster
  ppmid: false
scenarios:
  - name: s
    steps:
      - stimulus: { ppmid: on }
      - stimulus: { mainsVoltage: 250, device: ESME@1 }
      - expect: { smiStatus: { device: 00-DB-12-34-56-78-90-B0, status: Commissioned } }
`;
    const devices =
      'ESME, GSME or CHF, or an EUI of the bench (set 0: ESME 00-DB-12-34-56-78-90-A0, GSME 00-DB-12-34-56-78-90-A1, CHF 00-DB-12-34-56-78-90-A2)';
    expect(problems(text)).toEqual([
      `bad.yaml:8:28: scenarios[0].steps[0].stimulus.ppmid: ppmid's default device names a PPMID, but the bench has none (bench.ppmid is false); expected ${devices}`,
      `bad.yaml:9:48: scenarios[0].steps[1].stimulus.device: names device set 1, but the bench has one set (0); expected ${devices}`,
      `bad.yaml:10:40: scenarios[0].steps[2].expect.smiStatus.device: no device of the bench has the EUI 00-DB-12-34-56-78-90-B0; expected ${devices}`,
    ]);
  });

  it('a device of the wrong kind for the stimulus', () => {
    expect(problems(`${BENCH}      - stimulus: { mainsVoltage: 250, device: GSME }\n`)).toEqual([
      'bad.yaml:7:48: scenarios[0].steps[0].stimulus.device: GSME is a GSME; expected an ESME',
    ]);
  });

  it('a device on a second set resolves once the bench has two sets', () => {
    const pack = parsePack(
      `${BENCH.replace('  vendor: elster\n', '  vendor: elster\n  sets: 2\n')}      - stimulus: { mainsVoltage: 250, device: ESME@1 }\n`,
      'ok.yaml',
    );
    const step = pack.scenarios[0].steps[0];
    expect(step.kind === 'stimulus' && step.device).toEqual({
      text: 'ESME@1',
      role: 'ESME',
      set: 1,
      eui: '00-DB-12-34-56-78-90-B0',
    });
  });

  it('bad link specs', () => {
    const pack = (link: string, extra = '') =>
      `name: p\nbench:\n  vendor: itron\n  link: ${link}\n${extra}scenarios:\n  - { name: s, steps: [ { wait: 1s } ] }\n`;
    const forms = 'mock[@BAUD], loopback, pty, tcp:HOST:PORT or serial:PATH[@BAUD]';
    expect(problems(pack('tcp:localhost'))).toEqual([
      `bad.yaml:4:9: bench.link: bad link "tcp:localhost": missing port: tcp:HOST:PORT; expected ${forms}`,
    ]);
    expect(problems(pack('serial:/dev/ttyUSB0@fast'))).toEqual([
      `bad.yaml:4:9: bench.link: bad link "serial:/dev/ttyUSB0@fast": baud rate "fast" is not a positive whole number; expected ${forms}`,
    ]);
    expect(problems(pack('carrier-pigeon'))).toEqual([
      `bad.yaml:4:9: bench.link: bad link "carrier-pigeon": unknown link type "carrier-pigeon"; expected one of serial:PATH[@BAUD], tcp:HOST:PORT, tcp-listen:HOST:PORT, pty, mock[@BAUD], loopback; expected ${forms}`,
    ]);
    expect(problems(pack('tcp-listen:0.0.0.0:7000'))).toEqual([
      `bad.yaml:4:9: bench.link: "tcp-listen:0.0.0.0:7000" waits for a harness to connect, and the bench is the harness; expected ${forms}`,
    ]);
    expect(problems(pack('mock', '  devices: real\n'))).toEqual([
      'bad.yaml:4:9: bench.link: real devices cannot be on the in-process link "mock"; expected serial:PATH[@BAUD] or tcp:HOST:PORT for real devices',
    ]);
  });

  it('duplicate scenario names', () => {
    const text =
      'name: p\nbench: { vendor: itron }\nscenarios:\n  - { name: twice, steps: [ { wait: 1s } ] }\n  - { name: once, steps: [ { wait: 1s } ] }\n  - { name: twice, steps: [ { wait: 2s } ] }\n';
    expect(problems(text)).toEqual([
      'bad.yaml:6:13: scenarios[2].name: the scenario name "twice" is already used at line 4; expected a name no other scenario of the pack has',
    ]);
  });

  it('91339 or 91340 alone is no quirk: the S1SP table has the one id 91339/91340', () => {
    const text =
      'name: p\nbench:\n  vendor: itron\n  quirks: { 91339: false }\nscenarios:\n  - { name: s, steps: [ { wait: 1s } ] }\n';
    expect(problems(text)).toEqual([
      'bad.yaml:4:13: bench.quirks["91339"]: unknown quirk "91339"; expected one of 61224, 91333, 91342, risk11, 91339/91340, SRV4.10',
    ]);
  });

  it('an sr step with no source, two sources, no target, or a missing template or file', () => {
    const text = `${BENCH}      - sr: { user: IS }
      - sr: { srv: "8.11", template: CCS01_8.11_SUCCESS, target: CHF }
      - sr: { srv: "8.11" }
      - sr: { template: CCS99_8.11_NOTHING }
      - sr: { file: no-such.xml, target: CHF }
`;
    expect(problems(text)).toEqual([
      'bad.yaml:7:13: scenarios[0].steps[0].sr: no request: none of srv, template, file; expected exactly one of srv, template or file',
      'bad.yaml:8:13: scenarios[0].steps[1].sr: got srv and template; expected exactly one of srv, template or file',
      'bad.yaml:9:13: scenarios[0].steps[2].sr: "target" is missing; expected the device the SR is for, with srv',
      'bad.yaml:10:25: scenarios[0].steps[3].sr.template: no RTDS template is named "CCS99_8.11_NOTHING"; expected a template name of @smartdcc/duis-templates, like CCS01_8.11_SUCCESS (smets1 templates lists them)',
      `bad.yaml:11:21: scenarios[0].steps[4].sr.file: no such file: ${join(process.cwd(), 'no-such.xml')}; expected a DUIS request file in the pack's directory or below it, relative to the pack file`,
      'bad.yaml:11:34: scenarios[0].steps[4].sr.target: target with a request file; expected the request file as it is (no target, user, params or certificate)',
    ]);
  });

  it('an srv with no RTDS template is refused at load with its line and column, not when the step runs', () => {
    const text = `${BENCH}      - sr: { srv: "8.99", target: CHF }
`;
    expect(problems(text)).toEqual([
      'bad.yaml:7:20: scenarios[0].steps[0].sr.srv: no RTDS template for SRV "8.99"; expected an SRV of a DCC RTDS request template, e.g. "8.11" (smets1 templates lists them)',
    ]);
  });

  it('stimuli: two kinds, none, a prompt alone on emulated devices (a link fault on a TCP link is no problem: the run decides)', () => {
    const text = `name: p
bench:
  vendor: itron
  link: tcp:127.0.0.1:7000
scenarios:
  - name: s
    steps:
      - stimulus: { mainsVoltage: 250, supply: cut }
      - stimulus: { device: ESME }
      - stimulus: { prompt: Open the meter cover }
      - stimulus: { linkFault: { disconnect: 30s } }
      - stimulus: { hanFailureRate: 0.5 }
`;
    expect(problems(text)).toEqual([
      'bad.yaml:8:19: scenarios[0].steps[0].stimulus: got mainsVoltage and supply; expected one stimulus kind per step: one of mainsVoltage, power, ppmid, supply, hanFailureRate, linkFault, polarity, recover, replay, hanLogRemove',
      'bad.yaml:9:19: scenarios[0].steps[1].stimulus: no stimulus; expected one of mainsVoltage, power, ppmid, supply, hanFailureRate, linkFault, polarity, recover, replay, hanLogRemove, or a prompt for the operator',
      'bad.yaml:10:21: scenarios[0].steps[2].stimulus.prompt: a prompt alone on emulated devices, which have nothing to do for it; expected a stimulus kind with it, or bench.devices: real',
      'bad.yaml:12:19: scenarios[0].steps[4].stimulus: "device" is missing; expected the device hanFailureRate applies to',
    ]);
  });

  it('seed stimuli and migration certificate faults: polarity at a GSME, a replay before anything signed, certificate faults misplaced', () => {
    const text = `name: p
bench:
  vendor: itron
scenarios:
  - name: s
    steps:
      - stimulus: { polarity: reversed, device: GSME }
      - stimulus: { replay: true }
      - stimulus: { recover: false }
      - migrate:
          fail:
            - { step: hanPreCheck, device: ESME, certificate: untrusted }
            - { step: credentialSwap, device: CHF, certificate: untrusted }
            - { step: credentialSwap, certificate: untrusted }
            - { step: credentialSwap, device: GSME, slot: supplier }
`;
    expect(problems(text)).toEqual([
      'bad.yaml:9:30: scenarios[0].steps[2].stimulus.recover: got false; expected one of true',
    ]);
    const fixed = text.replace('{ recover: false }', '{ recover: true }');
    expect(problems(fixed)).toEqual([
      'bad.yaml:7:49: scenarios[0].steps[0].stimulus.device: GSME is a GSME; expected an ESME',
      'bad.yaml:8:21: scenarios[0].steps[1].stimulus.replay: a replay before any sr or migrate step; expected an sr or migrate step earlier in the scenario that sends the device a signed command (6.11, 6.15.1, 6.23)',
      'bad.yaml:12:50: scenarios[0].steps[3].migrate.fail[0].certificate: a certificate fault at the hanPreCheck step, which sends no certificate; expected step credentialSwap',
      'bad.yaml:13:47: scenarios[0].steps[3].migrate.fail[1].device: CHF is a CH, whose slots no migration swaps; expected an ESME or a GSME',
      'bad.yaml:14:15: scenarios[0].steps[3].migrate.fail[2]: a certificate fault without a device; expected the meter whose swap carries it: device ESME or GSME',
      'bad.yaml:15:53: scenarios[0].steps[3].migrate.fail[3].slot: a slot without a certificate fault; expected certificate: untrusted with it',
    ]);
  });

  it('real devices need a prompt on every stimulus', () => {
    const text =
      'name: p\nbench: { vendor: elster, devices: real, link: "serial:/dev/ttyUSB0" }\nscenarios:\n  - name: s\n    steps:\n      - stimulus: { ppmid: on }\n      - stimulus: { ppmid: on, prompt: Plug the PPMID in }\n';
    expect(problems(text)).toEqual([
      'bad.yaml:6:19: scenarios[0].steps[0].stimulus: a stimulus without a prompt on real devices; expected a prompt telling the operator what to do',
    ]);
  });

  it('starting slots of no device of the bench or given twice; a certificate on a request without one; gas retries misplaced', () => {
    const text = `name: p
bench:
  vendor: itron
  slots:
    - { device: ESME@1, networkOperator: 90-B3-D5-1F-30-02-00-09 }
    - { device: ESME, networkOperator: 90-B3-D5-1F-30-02-00-09 }
    - { device: 00-DB-12-34-56-78-90-A0, supplier: 90-B3-D5-1F-30-01-00-01 }
scenarios:
  - name: s
    bench: { slots: [ { device: PPMID@2, supplier: 90-B3-D5-1F-30-01-00-01 } ] }
    steps:
      - sr: { template: CCS01_8.11_SUCCESS, certificate: { role: supplier, party: 90-B3-D5-1F-30-01-00-01 } }
      - migrate: { gasRetry: true }
      - migrate: { fail: [ { step: hanPreCheck, device: GSME } ] }
      - migrate: { gasRetry: true, gasSupplier: 90-B3-D5-1F-30-01-00-01 }
`;
    const devices =
      'ESME, GSME, CHF or PPMID, or an EUI of the bench (set 0: ESME 00-DB-12-34-56-78-90-A0, GSME 00-DB-12-34-56-78-90-A1, CHF 00-DB-12-34-56-78-90-A2, PPMID 00-DB-12-34-56-78-90-A3)';
    expect(problems(text)).toEqual([
      `bad.yaml:5:17: bench.slots[0].device: names device set 1, but the bench has one set (0); expected ${devices}`,
      'bad.yaml:7:17: bench.slots[2].device: the slots of 00-DB-12-34-56-78-90-A0 are already given at line 6; expected each device at most once, with all its slots',
      `bad.yaml:10:33: scenarios[0].bench.slots[0].device: names device set 2, but the bench has one set (0); expected ${devices}`,
      'bad.yaml:12:45: scenarios[0].steps[0].sr.certificate: the RTDS template CCS01_8.11_SUCCESS (SRV 8.11) carries no DigitalSigningCertificate; expected a request that replaces a certificate: SRV 6.15.1 or 6.23 (e.g. CS02bNOByNO_6.15.1_SUCCESS)',
      'bad.yaml:13:20: scenarios[0].steps[1].migrate.gasRetry: a gas retry before any migrate step; expected a migrate step earlier in the scenario (the one that migrated electricity only)',
      'bad.yaml:15:36: scenarios[0].steps[3].migrate.gasSupplier: gasSupplier with gasRetry: the retry is of the installation the first migrate step set up; expected gasRetry with fail only',
    ]);
  });

  it("a bench's own EUIs and install codes: members of the bench, each EUI once, the CH without a code", () => {
    const text =
      'name: p\nbench:\n  vendor: itron\n' +
      '  euis: { ESME: 00-DB-12-34-56-78-90-A1, "GSME@1": 00-0D-6F-00-0A-1B-2C-02, CHX: 00-0D-6F-00-0A-1B-2C-03, PPMID: 00-0D-6F-00-0A-1B-2C-04 }\n' +
      '  installCodes: { CHF: 8C1F64A2B37D4E5F, "PPMID@2": 8C1F64A2B37D4E5F, ESME: "001122334455" }\n' +
      'scenarios:\n  - { name: s, steps: [ { wait: 1s } ] }\n';
    const member = 'a member of the bench: ESME, GSME, CHF or PPMID, optionally @SET';
    const joining = 'a joining device of the bench: ESME, GSME or PPMID, optionally @SET';
    expect(problems(text)).toEqual([
      "bad.yaml:4:17: bench.euis.ESME: 00-DB-12-34-56-78-90-A1 is the EUI of both ESME@0 and GSME@0; expected each device of the bench its own EUI (a device left out has the README's scheme)",
      `bad.yaml:4:42: bench.euis["GSME@1"]: GSME@1 names device set 1, but the bench has one set (0); expected ${member}`,
      `bad.yaml:4:77: bench.euis.CHX: CHX is no member of a set; expected ${member}`,
      `bad.yaml:5:19: bench.installCodes.CHF: CHF is the CH, which joins no HAN; expected ${joining}`,
      `bad.yaml:5:42: bench.installCodes["PPMID@2"]: PPMID@2 names device set 2, but the bench has one set (0); expected ${joining}`,
    ]);
  });

  it("a bench's own EUI in lower case, an install code too short", () => {
    const text =
      'name: p\nbench:\n  vendor: itron\n  euis: { PPMID: 00-0d-6f-00-0a-1b-2c-04 }\n  installCodes: { ESME: "0011" }\nscenarios:\n  - { name: s, steps: [ { wait: 1s } ] }\n';
    expect(problems(text)).toEqual([
      'bad.yaml:4:18: bench.euis.PPMID: got the string "00-0d-6f-00-0a-1b-2c-04"; expected an EUI-64 like 00-11-22-33-44-55-66-77 (upper-case hex)',
      'bad.yaml:5:25: bench.installCodes.ESME: got the string "0011"; expected an install code of 6–16 bytes of hex',
    ]);
  });

  it('starting slots on real devices', () => {
    const text =
      'name: p\nbench:\n  vendor: itron\n  devices: real\n  link: "tcp:localhost:7000"\n  slots: [ { device: ESME, networkOperator: 90-B3-D5-1F-30-02-00-09 } ]\nscenarios:\n  - { name: s, steps: [ { wait: 1s } ] }\n';
    expect(problems(text)).toEqual([
      'bad.yaml:6:3: bench.slots: starting slots on real devices, whose slots no bench control message sets; expected devices: emulated (in this process, or `smets1 emulate` at the far end)',
    ]);
  });

  it('a certificate with a request file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'packs-'));
    writeFileSync(join(dir, 'request.xml'), REQUEST);
    const file = join(dir, 'p.yaml');
    writeFileSync(
      file,
      `${BENCH}      - sr: { file: request.xml, certificate: { role: supplier, party: 90-B3-D5-1F-30-01-00-01 } }\n`,
    );
    expect(() => loadPack(file)).toThrow(
      `${file}:7:34: scenarios[0].steps[0].sr.certificate: certificate with a request file; expected the request file as it is (no target, user, params or certificate)`,
    );
  });

  it('expectations of a response or a migration before the step that gives them, and inverted duration bounds', () => {
    const text = `${BENCH}      - expect: { response: I0, messageSuccess: true }
      - expect: { migration: { outcome: migrated }, duration: { of: credentialSwap, atLeast: 3h, atMost: 2h } }
`;
    expect(problems(text)).toEqual([
      'bad.yaml:7:19: scenarios[0].steps[0].expect.response: a response expected before any sr step; expected an sr step earlier in the scenario',
      'bad.yaml:7:33: scenarios[0].steps[0].expect.messageSuccess: a SMETS1 response expected before any sr step; expected an sr step earlier in the scenario',
      'bad.yaml:8:19: scenarios[0].steps[1].expect.migration: a migration outcome expected before any migrate step; expected a migrate step earlier in the scenario',
      'bad.yaml:8:53: scenarios[0].steps[1].expect.duration: the duration of credentialSwap before any migrate step; expected a migrate step earlier in the scenario',
      'bad.yaml:8:106: scenarios[0].steps[1].expect.duration.atMost: atMost 2h is shorter than atLeast 3h; expected atLeast no longer than atMost',
    ]);
  });
});

describe('files', () => {
  it('a missing file, and a file over the size limit unread', () => {
    const dir = mkdtempSync(join(tmpdir(), 'packs-'));
    expect(() => loadPack(join(dir, 'none.yaml'))).toThrow(
      `${join(dir, 'none.yaml')}:1:1: cannot be read (ENOENT); expected a readable pack file`,
    );
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(1 << 20)}\n`);
    expect(() => loadPack(big)).toThrow(
      `${big}:1:1: the file is 1048579 bytes; expected a pack file of at most 1048576 bytes`,
    );
  });

  it('an sr file is found relative to the pack file, and its text is read once, at load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'packs-'));
    writeFileSync(join(dir, 'request.xml'), REQUEST);
    writeFileSync(join(dir, 'p.yaml'), `${BENCH}      - sr: { file: request.xml }\n`);
    const step = loadPack(join(dir, 'p.yaml')).scenarios[0].steps[0];
    expect(step).toEqual({
      kind: 'sr',
      position: { file: join(dir, 'p.yaml'), line: 7, column: 9 },
      request: { source: 'file', path: join(dir, 'request.xml'), xml: REQUEST },
    });
    // The file changed after loading is not what the step sends (nor what the reports copy).
    writeFileSync(join(dir, 'request.xml'), 'root:x:0:0:root:/root:/bin/bash\n');
    expect(requestXml((step as { request: Parameters<typeof requestXml>[0] }).request, 1, 1)).toEqual({
      xml: REQUEST,
      label: join(dir, 'request.xml'),
    });
  });

  describe("an sr file is confined to the pack's tree, the gateway's size limit and DUIS requests", () => {
    // realpath: the expected messages name the real directories (tmpdir may itself be reached through a link)
    const root = () => mkdtempSync(join(realpathSync(tmpdir()), 'packs-'));
    /** The problems of a pack at DIR/pack/p.yaml whose one step is `sr: { file: WRITTEN }`. */
    function fileProblems(dir: string, written: string): string[] {
      mkdirSync(join(dir, 'pack'), { recursive: true });
      const pack = join(dir, 'pack', 'p.yaml');
      writeFileSync(pack, `${BENCH}      - sr: { file: ${written} }\n`);
      try {
        loadPack(pack);
      } catch (error) {
        expect(error).toBeInstanceOf(PackError);
        return (error as Error).message.split('\n');
      }
      throw new Error('the pack was accepted');
    }
    const WHERE = "expected a DUIS request file in the pack's directory or below it, relative to the pack file";

    it('a path that leaves the directory, relative or absolute, is refused at the file: value', () => {
      const dir = root();
      writeFileSync(join(dir, 'outside.xml'), REQUEST);
      expect(fileProblems(dir, '../outside.xml')).toEqual([
        `${dir}/pack/p.yaml:7:21: scenarios[0].steps[0].sr.file: ${dir}/outside.xml is outside the pack's directory ${dir}/pack; ${WHERE}`,
      ]);
      expect(fileProblems(dir, '../../../../../../../../etc/passwd')).toEqual([
        `${dir}/pack/p.yaml:7:21: scenarios[0].steps[0].sr.file: /etc/passwd is outside the pack's directory ${dir}/pack; ${WHERE}`,
      ]);
      expect(fileProblems(dir, '/etc/passwd')).toEqual([
        `${dir}/pack/p.yaml:7:21: scenarios[0].steps[0].sr.file: /etc/passwd is outside the pack's directory ${dir}/pack; ${WHERE}`,
      ]);
    });

    it('a symbolic link in the tree to a file outside it is refused; one to a file inside is followed', () => {
      const dir = root();
      writeFileSync(join(dir, 'outside.xml'), REQUEST);
      mkdirSync(join(dir, 'pack', 'requests'), { recursive: true });
      symlinkSync(join(dir, 'outside.xml'), join(dir, 'pack', 'out.xml'));
      symlinkSync('/etc', join(dir, 'pack', 'requests', 'etc'));
      expect(fileProblems(dir, 'out.xml')).toEqual([
        `${dir}/pack/p.yaml:7:21: scenarios[0].steps[0].sr.file: ${dir}/pack/out.xml is a symbolic link to ${dir}/outside.xml, outside the pack's directory ${dir}/pack; ${WHERE}`,
      ]);
      expect(fileProblems(dir, 'requests/etc/passwd')).toEqual([
        `${dir}/pack/p.yaml:7:21: scenarios[0].steps[0].sr.file: ${dir}/pack/requests/etc/passwd is a symbolic link to /etc/passwd, outside the pack's directory ${dir}/pack; ${WHERE}`,
      ]);
      writeFileSync(join(dir, 'pack', 'requests', 'add.xml'), REQUEST);
      symlinkSync('requests/add.xml', join(dir, 'pack', 'in.xml'));
      writeFileSync(join(dir, 'pack', 'p.yaml'), `${BENCH}      - sr: { file: in.xml }\n`);
      expect(loadPack(join(dir, 'pack', 'p.yaml')).scenarios[0].steps[0]).toMatchObject({
        request: { source: 'file', xml: REQUEST },
      });
    });

    it('a file over the gateway’s 8 MiB document limit is refused unread', () => {
      const dir = root();
      mkdirSync(join(dir, 'pack'));
      writeFileSync(join(dir, 'pack', 'big.xml'), Buffer.alloc(8 * 1024 * 1024 + 1, 0x20));
      expect(fileProblems(dir, 'big.xml')).toEqual([
        `${dir}/pack/p.yaml:7:21: scenarios[0].steps[0].sr.file: ${dir}/pack/big.xml is 8388609 bytes; expected a DUIS request of at most 8388608 bytes (the gateway's document limit)`,
      ]);
    });

    it('a file that is not a DUIS request document is refused before anything uses it', () => {
      const dir = root();
      mkdirSync(join(dir, 'pack'));
      const files: Record<string, string | Buffer> = {
        'passwd.xml': 'root:x:0:0:root:/root:/bin/bash\n',
        'response.xml': '<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"/>',
        'other-ns.xml': '<sr:Request xmlns:sr="http://example.com/not-duis"/>',
        'no-ns.xml': '<sr:Request/>',
        'doctype.xml': `<!DOCTYPE sr:Request [<!ENTITY x "y">]>${REQUEST}`,
        'two.xml': `${REQUEST}<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"/>`,
        'latin1.xml': Buffer.from(
          '<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway">\xe9</sr:Request>',
          'latin1',
        ),
      };
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'pack', name), content);
      mkdirSync(join(dir, 'pack', 'requests'));
      const at = `${dir}/pack/p.yaml:7:21: scenarios[0].steps[0].sr.file: ${dir}/pack`;
      const document = 'expected a DUIS request document (sr:Request in UTF-8 XML)';
      expect(fileProblems(dir, 'passwd.xml')).toEqual([
        `${at}/passwd.xml is not a DUIS request: not well-formed XML: no document element, at line 1, column 1; ${document}`,
      ]);
      expect(fileProblems(dir, 'response.xml')).toEqual([
        `${at}/response.xml is not a DUIS request: its document element is sr:Response in the namespace http://www.dccinterface.co.uk/ServiceUserGateway, not Request in the DUIS namespace http://www.dccinterface.co.uk/ServiceUserGateway; ${document}`,
      ]);
      expect(fileProblems(dir, 'other-ns.xml')).toEqual([
        `${at}/other-ns.xml is not a DUIS request: its document element is sr:Request in the namespace http://example.com/not-duis, not Request in the DUIS namespace http://www.dccinterface.co.uk/ServiceUserGateway; ${document}`,
      ]);
      // a prefix nothing declares is not namespace-well-formed: refused by the parser, not read as no namespace
      expect(fileProblems(dir, 'no-ns.xml')).toEqual([
        `${at}/no-ns.xml is not a DUIS request: not well-formed XML: the prefix sr of sr:Request is not declared, at line 1, column 1; ${document}`,
      ]);
      expect(fileProblems(dir, 'two.xml')).toEqual([
        expect.stringMatching(
          /\/two\.xml is not a DUIS request: not well-formed XML: a second document element <sr:Request>, at line 3, column 1;/,
        ),
      ]);
      // the gateway's screen, before any parser: a request file with a DOCTYPE is refused at load, not at send
      expect(fileProblems(dir, 'doctype.xml')).toEqual([
        `${at}/doctype.xml is not a DUIS request: a DOCTYPE is not allowed in a DUIS document (DUIS has none), found at line 1, column 1; ${document}`,
      ]);
      expect(fileProblems(dir, 'latin1.xml')).toEqual([
        `${at}/latin1.xml is not a DUIS request: it is not UTF-8 text; ${document}`,
      ]);
      expect(fileProblems(dir, 'requests')).toEqual([`${at}/requests is not a file; ${WHERE}`]);
    });
  });
});
