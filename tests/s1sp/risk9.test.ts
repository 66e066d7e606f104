/**
 * Risk 9 through DUIS: a wrong DNO's certificate sits in the ESME's network-operator slot, and the DSP records that
 * wrong DNO (W) as the slot's holder, while Registration Data names the right DNO (D) for the meter point.
 *  - DSP `slot-certificate` mode (today): D is refused (not the holder) and W is refused (not the registered DNO):
 *    E4 both ways, nothing reaches the device, the slot keeps W's certificate for ever.
 *  - DSP `registered-network-operator` mode (the fix): D's 6.15.1 is admitted; the slot holds W, whose key the S1SP does not
 *    hold, so it replaces the slot by NObyACB signed with the DCC's access-control-broker key (docs/credentials.md)
 *    and the device takes D's certificate.
 *  - In both, the meter's import supplier, for whom 6.15.1 is an SRV of its own, is refused for the network-operator
 *    slot: E4, nothing reaches the device.
 */
import { describe, expect, it } from 'vitest';
import { DuisBench } from '../../harness/bench/duisBench';
import { findTemplate } from '../../harness/bench/rtdsTemplates';
import { RegistrationData, RTDS_DEVICES, RTDS_USERS } from '../../harness/dsp/registrationData';
import type { SlotCheckMode } from '../../harness/dsp/slotCheck';
import { benchPki } from '../../emulator/host/benchPki';
import { issueTestCertificate, signReplacement } from '../../common/credentials/testPki';

const D = RTDS_USERS.networkOperator; // 90-B3-D5-1F-30-02-00-00, the registered DNO
const W = '90-B3-D5-1F-30-02-00-09'; // a wrong DNO, a SEC party with the ED role
const pki = benchPki('smso-1');
const wrongDno = issueTestCertificate(pki, { role: 3, entityId: W, keyLabel: 'risk9/wrong' });
const rightDno = issueTestCertificate(pki, { role: 3, entityId: D, keyLabel: 'risk9/right' });

function registration(): RegistrationData {
  const installation = 'RTDS-1';
  return new RegistrationData({
    users: [
      { userId: RTDS_USERS.supplier, roles: ['IS', 'GS'] },
      { userId: D, roles: ['ED', 'GT'] },
      { userId: W, roles: ['ED'] },
    ],
    meterPoints: [
      { mpxn: '1312345678111', fuel: 'electricity', installation, supplier: RTDS_USERS.supplier, networkOperator: D },
    ],
    devices: [{ deviceId: RTDS_DEVICES.esme, deviceType: 'ESME', installation, smiStatus: 'Commissioned' }],
    networkOperatorSlots: { [RTDS_DEVICES.esme]: W },
  });
}

/** CS02bNOByNO from `user` (counter n) carrying `certificate` as the new network-operator certificate. */
function noByNo(user: string, certificate: string, n: number): string {
  return findTemplate('CS02bNOByNO_6.15.1_SUCCESS')!
    .xml.replace(/<sr:RequestID>[^<]*</, `<sr:RequestID>${user}:${RTDS_DEVICES.esme}:${n}<`)
    .replace(
      /<sr:DigitalSigningCertificate>[^<]*</,
      `<sr:DigitalSigningCertificate>${Buffer.from(certificate, 'hex').toString('base64')}<`,
    );
}

async function benchWithWrongDno(slotCheck: SlotCheckMode) {
  const bench = await DuisBench.start({ vendor: 'itron', slotCheck, registration: registration() });
  // how the wrong certificate got there: an NObyNO signed by the network operator the SMSO provisioned
  const unsigned = { role: 3 as const, mode: 'NObyNO' as const, certificate: wrongDno.certificate, counter: 1 };
  const signature = signReplacement(unsigned, RTDS_DEVICES.esme, pki.parties[3].privateKey);
  const installed = await bench.command(RTDS_DEVICES.esme, { type: 'replaceCredentials', ...unsigned, signature });
  expect(installed.status).toBe('ok');
  return bench;
}

const slot3 = async (bench: DuisBench) =>
  String((await bench.command(RTDS_DEVICES.esme, { type: 'readCredentials', role: 3 })).body?.certificate);
const codeOf = (xml: string) => /<sr:ResponseCode>([^<]+)</.exec(xml)?.[1];

describe('risk 9: a wrong DNO certificate in the network-operator slot', () => {
  it('slot-certificate mode: neither the registered DNO nor the holder can replace it (E4 both), the device is never asked', async () => {
    const bench = await benchWithWrongDno('slot-certificate');
    const [byRegistered, byHolder] = await bench.sendAll([
      noByNo(D, rightDno.certificate, 1),
      noByNo(W, rightDno.certificate, 1),
    ]);
    expect(byRegistered.responses.map((r) => codeOf(r.xml))).toEqual(['E4']);
    expect(byRegistered.responses[0].xml).toContain(
      `slot-certificate check: device ${RTDS_DEVICES.esme}'s network-operator slot holds the certificate of ${W}, not of ${D}`,
    );
    expect(byHolder.responses.map((r) => codeOf(r.xml))).toEqual(['E4']);
    expect(byHolder.responses[0].xml).toContain(
      `user ${W} (ED) is not the registered party for device ${RTDS_DEVICES.esme}`,
    );
    expect(await slot3(bench)).toBe(wrongDno.certificate);
    expect(bench.registration.networkOperatorSlotHolder(RTDS_DEVICES.esme)).toBe(W);
    await bench.close();
  });

  it('registered-network-operator mode: the registered DNO replaces it (I0, W → D) and the DSP records D as the holder', async () => {
    const bench = await benchWithWrongDno('registered-network-operator');
    const { responses, alerts } = await bench.send(noByNo(D, rightDno.certificate, 1));
    expect(responses.map((r) => codeOf(r.xml))).toEqual(['I99', 'I0']);
    expect(responses[1].xml).toContain(
      '<ra:UpdateSecurityCredentialsKRPRsp MessageSuccess="true"><ra:ExecutionOutcome><ra:CredentialsReplacementMode>NetworkOperatorByNetworkOperator</ra:CredentialsReplacementMode>',
    );
    expect(responses[1].xml).toContain(
      `<ra:ExistingRemotePartyID>${W}</ra:ExistingRemotePartyID><ra:NewRemotePartyID>${D}</ra:NewRemotePartyID>`,
    );
    expect(alerts.map((a) => /<ra:GBCSHexAlertCode>([0-9A-F]+)</.exec(a.xml)?.[1])).toEqual(['8F70']);
    expect(await slot3(bench)).toBe(rightDno.certificate);
    expect(bench.registration.networkOperatorSlotHolder(RTDS_DEVICES.esme)).toBe(D);
    await bench.close();
  });

  it.each(['slot-certificate', 'registered-network-operator'] as const)(
    "%s mode: the import supplier's 6.15.1 NetworkOperator is refused E4, the device is never asked",
    async (slotCheck) => {
      const bench = await benchWithWrongDno(slotCheck);
      const { responses, alerts } = await bench.send(noByNo(RTDS_USERS.supplier, rightDno.certificate, 1));
      expect(responses.map((r) => codeOf(r.xml))).toEqual(['E4']);
      expect(responses[0].xml).toContain(
        `user ${RTDS_USERS.supplier} is not the network operator registered for device ${RTDS_DEVICES.esme}`,
      );
      expect(alerts).toEqual([]);
      expect(await slot3(bench)).toBe(wrongDno.certificate);
      expect(bench.registration.networkOperatorSlotHolder(RTDS_DEVICES.esme)).toBe(W);
      await bench.close();
    },
  );

  it('a bench can start with the wrong DNO in the slot (startingSlots: the bench PKI issues it, default key label), in-process only', async () => {
    const bench = await DuisBench.start({
      vendor: 'itron',
      startingSlots: [{ set: 0, member: 'ESME', networkOperator: W }],
    });
    expect(await slot3(bench)).toBe(issueTestCertificate(pki, { role: 3, entityId: W }).certificate);
    const gsme = await bench.command(RTDS_DEVICES.gsme, { type: 'readCredentials', role: 3 });
    expect(gsme.body?.certificate).toBe(pki.parties[3].certificate);
    await bench.close();
    await expect(
      DuisBench.start({
        vendor: 'itron',
        link: 'tcp:127.0.0.1:9',
        startingSlots: [{ set: 0, member: 'ESME', networkOperator: W }],
      }),
    ).rejects.toThrow(
      '--link tcp:127.0.0.1:9: starting slots (bench.slots) need in-process devices (mock or loopback)',
    );
  });
});
