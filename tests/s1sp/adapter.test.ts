/**
 * The S1SP's answers beyond the RTDS run: its signature checked by a verifier that shares no code with it, and the
 * SRVs this SMETS1 bench does not carry, which the gateway answers with an E-code before any device is asked.
 */
import { normaliseDuis } from '../support/duisNormalise';
import { describe, expect, it } from 'vitest';
import { DuisBench, duisValidator } from '../../harness/bench/duisBench';
import { findTemplate, rtdsTemplates } from '../../harness/bench/rtdsTemplates';
import { benchS1spParty } from '../../harness/duis/s1spSigner';
import { supportedService } from '../../harness/duis/serviceCatalogue';
import { getterOf } from '../duis/getterOf';
import { cutElement, independentlyVerify } from '../duis/independentVerifier';

describe('S1SP signature', () => {
  it('the SMETS1SignedResponse of a response and of a device alert verify with the bench S1SP key, independently', async () => {
    const bench = await DuisBench.start({ vendor: 'elster', s1sp: { fixes: new Set(['response-code-always']) } });
    const { responses, alerts } = await bench.send(findTemplate('CCS01_8.11_SUCCESS')!.xml);
    await bench.close();
    const key = benchS1spParty('s1sp-1').publicKey;
    for (const xml of [responses[1].xml, alerts[0].xml]) {
      const signed = cutElement(xml, 'sr:SMETS1SignedResponse');
      expect(await independentlyVerify(signed, key)).toEqual({ digestOk: true, signatureOk: true });
      // one changed character of the device's answer breaks it
      const forged = signed.replace('MessageSuccess="true"', 'MessageSuccess="false"').replace('>8F12<', '>8F13<');
      expect((await independentlyVerify(forged, key)).digestOk).toBe(false);
    }
  });
});

describe('device alerts written when first read', () => {
  it('an alert read an hour after it was sent says what it said then: its time, counter and signature', async () => {
    const bench = await DuisBench.start({ vendor: 'elster', s1sp: { fixes: new Set(['response-code-always']) } });
    const { alerts } = await bench.send(findTemplate('CCS01_8.11_SUCCESS')!.xml);
    const sentAt = alerts[0].at;
    await bench.advance(3_600_000);
    expect(bench.clock.now()).toBeGreaterThanOrEqual(sentAt + 3_600_000);
    const xml = alerts[0].xml;
    await bench.close();
    // the S1SP's counters and ResponseDateTime are its clock at sending (ms since the epoch, as DCC Boxed)
    expect(xml).toContain(`<sr:ResponseDateTime>${new Date(sentAt).toISOString()}</sr:ResponseDateTime>`);
    expect(xml).toMatch(new RegExp(`<sr:ResponseID>[^<]*:${sentAt}</sr:ResponseID>`));
    const signed = cutElement(xml, 'sr:SMETS1SignedResponse');
    expect(signed).toContain(`<ra:OriginatorCounter>${sentAt}</ra:OriginatorCounter>`);
    const key = benchS1spParty('s1sp-1').publicKey;
    expect(await independentlyVerify(signed, key)).toEqual({ digestOk: true, signatureOk: true });
    expect(alerts[0].xml).toBe(xml);
  });
});

describe("the bench's outputs", () => {
  it('the I99, the error response, the S1SP response and the alerts all read their text through one getter (getterOf)', async () => {
    const bench = await DuisBench.start({ vendor: 'elster', s1sp: { fixes: new Set(['response-code-always']) } });
    const ccs01 = findTemplate('CCS01_8.11_SUCCESS')!.xml;
    const [admitted, refused] = await bench.sendAll([ccs01, ccs01]);
    await bench.close();
    const outputs = [...admitted.responses, ...admitted.alerts, ...refused.responses];
    expect(outputs.map((o) => o.kind)).toEqual(['response', 'response', 'dcc-alert', 'device-alert', 'error']);
    const getter = getterOf(outputs[0], 'xml');
    expect(typeof getter).toBe('function');
    for (const output of outputs) expect(getterOf(output, 'xml'), output.kind).toBe(getter);
    expect(Object.keys(admitted.responses[0])).toEqual(['kind', 'xml', 'document', 'at', 'note']);
    expect(admitted.responses[0].note).toBe('acknowledgement (I99)');
    expect(refused.responses[0].xml).toContain('<sr:ResponseCode>E42</sr:ResponseCode>');
    expect(refused.responses[0].document?.().documentElement.localName).toBe('Response');
  });
});

describe('SRVs the bench does not carry', () => {
  it('every other RTDS template gets an E-code response (E11 unless the DSP refuses first), schema-valid, no device asked', async () => {
    const others = rtdsTemplates().filter((t) => t.srv !== '' && supportedService(t.srv) === undefined);
    expect(others.length).toBeGreaterThan(200);
    const bench = await DuisBench.start({ vendor: 'itron' });
    const results = await bench.sendAll(
      others.map((t, i) => t.xml.replace(/(<sr:RequestID>[^<]*:)\d+</, `$1${i + 1}<`)),
    );
    const deviceAlerts = bench.deviceAlerts.length;
    await bench.close();
    const codes = results.map((r) => {
      expect(r.responses).toHaveLength(1);
      expect(r.responses[0].kind).toBe('error');
      return /<sr:ResponseCode>([^<]+)</.exec(r.responses[0].xml)![1];
    });
    // E11 "not supported by this SMETS1 device", except where the DSP refuses first: E1 for senders that are no
    // user in the RTDS Registration Data (the DCC ACB …-00-00-02, …-01-00-08, …-03-00-00), E2 for SRVs the
    // supplier's roles (IS, GS) may not send (the DCC request matrix gives 8.5/8.6 service opt-out/in no user role,
    // 4.6.2 and 6.20.2 to the export supplier ES, 9.1 to other users OU)
    const refusedFirst = Object.fromEntries(others.flatMap((t, i) => (codes[i] === 'E11' ? [] : [[t.name, codes[i]]])));
    expect(refusedFirst).toEqual({
      '8.6_SERVICE_OPTIN': 'E2',
      'CS02bACBByACB_8.5_SUCCESS': 'E2',
      'CS02fMAC_6.24.1_SUCCESS': 'E1',
      'CS08_11.2_SUCCESS': 'E1',
      'ECS21c_4.6.2_SUCCESS': 'E2',
      'ECS39b_6.20.2_SUCCESS': 'E2',
      'ECS47e_7.16_APC_INPUT_SUCCESS': 'E1',
      'ECS47e_7.16_APC_OUTPUT_SUCCESS': 'E1',
      'ECS50_9.1_SUCCESS': 'E2',
      'GCS16b_4.14_URP_SUCCESS': 'E1',
      'GCS36_9.1_SUCCESS': 'E2',
      'GCS59_8.12.2_SUCCESS': 'E1',
    });
    expect(codes.filter((c) => c === 'E11')).toHaveLength(others.length - 12);
    expect(deviceAlerts).toBe(0);
    const invalid = (
      await duisValidator().validate(results.map((r, i) => ({ name: others[i].name, xml: r.responses[0].xml })))
    ).filter((v) => !v.valid);
    expect(invalid).toEqual([]);
  }, 30_000);
});

describe('the same DUIS answers over every link', () => {
  const requests = ['CCS01_8.11_SUCCESS', 'CCS06_8.9_SUCCESS', 'ECS45_7.4_SUCCESS'].map((name, i) =>
    findTemplate(name)!.xml.replace(/(<sr:RequestID>[^<]*:)\d+</, `$1${i + 1}<`),
  );
  const answers = async (link: string) => {
    const bench = await DuisBench.start({ vendor: 'elster', link, s1sp: { fixes: new Set(['response-code-always']) } });
    try {
      const results = await bench.sendAll(requests);
      await bench.advance(bench.virtual === undefined ? 300 : 0); // a real link: let alerts sent with a response land
      return [...results.flatMap((r) => r.responses), ...bench.alerts].map((o) => normaliseDuis(o.xml));
    } finally {
      await bench.close();
    }
  };

  it("the mock serial line (115,200 baud, wire time on the virtual clock) gives the loopback link's documents", async () => {
    const loopback = await answers('loopback');
    // I99, response, N24 (8.11 Add of the ESME, already logged); I99, response (8.9: the meters the CH starts with);
    // I99, response (7.4);
    // the CH's 0x8F12
    expect(loopback.map((xml) => /<sr:ResponseCode>([^<]+)</.exec(xml)![1])).toEqual([
      'I99',
      'I0',
      'I0',
      'I99',
      'I0',
      'I99',
      'I0',
      'I0',
    ]);
    expect(loopback[4]).toContain(
      '<ra:ReadDeviceLogRsp MessageSuccess="true"><ra:DeviceLogEntries><ra:LogEntry><ra:DeviceID>00-DB-12-34-56-78-90-A0</ra:DeviceID><ra:DeviceType>ESME</ra:DeviceType></ra:LogEntry>' +
        '<ra:LogEntry><ra:DeviceID>00-DB-12-34-56-78-90-A1</ra:DeviceID><ra:DeviceType>GSME</ra:DeviceType></ra:LogEntry></ra:DeviceLogEntries></ra:ReadDeviceLogRsp>',
    );
    expect(await answers('mock@115200')).toEqual(loopback);
  });

  it('TCP to `smets1 emulate` in another process gives them too', async () => {
    const { startEmulator } = await import('../emulator/childEmulator');
    const child = await startEmulator(['--vendor', 'elster']);
    try {
      expect(await answers(`tcp:127.0.0.1:${child.port}`)).toEqual(await answers('loopback'));
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
    }
  }, 60_000);
});

describe('request signatures (--verify-signatures)', () => {
  it('all: a request signed by the supplier bench key is carried; the same request altered after signing is E44', async () => {
    const { signDocument } = await import('../../harness/duis/xmlSignature');
    const { benchPki } = await import('../../emulator/host/benchPki');
    const unsigned = findTemplate('CCS01_8.11_SUCCESS')!.xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    const signed = signDocument(unsigned, benchPki('smso-1').parties[2]);
    const forged = signed.replace('<sr:JoinTimePeriod>90<', '<sr:JoinTimePeriod>91<').replace(':1002<', ':1003<');
    expect(forged).not.toBe(signed);
    const bench = await DuisBench.start({
      vendor: 'itron',
      verifySignatures: 'all',
      s1sp: { fixes: new Set(['response-code-always']) },
    });
    const [good, bad] = await bench.sendAll([signed, forged]);
    await bench.close();
    expect(good.responses.map((r) => /<sr:ResponseCode>([^<]+)</.exec(r.xml)![1])).toEqual(['I99', 'I0', 'I0']);
    expect(bad.responses.map((r) => /<sr:ResponseCode>([^<]+)</.exec(r.xml)![1])).toEqual(['E44']);
  });
});
