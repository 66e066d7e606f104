import { describe, expect, it } from 'vitest';
import { AccessControl } from '../../harness/dsp/accessControl';
import type { SlotCheckMode } from '../../harness/dsp/slotCheck';
import { RegistrationData, RTDS_DEVICES, RTDS_USERS, rtdsRegistrationData } from '../../harness/dsp/registrationData';
import { allMatrixVariants, eligibleRoles, isCritical, requestMatrixEntry } from '../../harness/dsp/roleMatrix';

const { supplier, networkOperator } = RTDS_USERS;
const { esme, gsme, chf } = RTDS_DEVICES;

describe('role matrix, read from @smartdcc/duis-parser', () => {
  it('has the DCC matrix rows (values written from the DUIS request matrix, not read back from the code)', () => {
    expect(allMatrixVariants()).toHaveLength(129);
    expect(eligibleRoles('6.5')).toEqual(['ED']);
    expect(eligibleRoles('8.11')).toEqual(['IS', 'GS', 'OU']);
    expect(eligibleRoles('6.15.1')).toEqual(['IS', 'GS', 'ED', 'GT']);
    expect(eligibleRoles('6.7')).toEqual(['GS']);
    expect(eligibleRoles('7.1')).toEqual(['IS']);
    expect(eligibleRoles('99.9')).toEqual([]);
    expect(isCritical('6.15.1')).toBe(true);
    expect(isCritical('8.7.1')).toBe(true);
    expect(isCritical('8.11')).toBe(false);
    expect(requestMatrixEntry('4.10')?.['Service Request Name']).toBe('Read Network Data');
  });
});

describe('AccessControl: role eligibility and authorisation per SR variant', () => {
  const access = new AccessControl(rtdsRegistrationData(), { slotCheck: 'registered-network-operator' });
  const check = (userId: string, deviceId: string, srv: string) => {
    const d = access.check({ userId, deviceId, serviceReferenceVariant: srv });
    return d.ok ? d.userRole : d.code;
  };

  it.each([
    // user, device, SRV, expected role or code
    [supplier, chf, '8.11', 'IS'],
    [networkOperator, chf, '8.11', 'E2'],
    [supplier, esme, '6.5', 'E2'],
    [networkOperator, esme, '6.5', 'ED'],
    [supplier, esme, '6.12', 'IS'],
    [networkOperator, esme, '6.12', 'E2'],
    [supplier, gsme, '6.7', 'GS'],
    [networkOperator, gsme, '6.7', 'E2'],
    [supplier, esme, '7.1', 'IS'],
    [supplier, gsme, '7.1', 'E11'],
    [networkOperator, gsme, '4.10', 'GT'],
    [networkOperator, esme, '4.10', 'ED'],
    [supplier, esme, '6.22', 'IS'],
    [networkOperator, esme, '6.22', 'ED'],
    [supplier, gsme, '6.23', 'GS'],
    [networkOperator, esme, '6.15.1', 'ED'],
    [supplier, esme, '11.2', 'E11'],
    [supplier, '00-DB-12-34-56-78-90-FF', '8.11', 'E19'],
    ['90-B3-D5-1F-30-09-00-00', chf, '8.11', 'E1'],
  ])('%s → %s SRV %s: %s', (userId, deviceId, srv, expected) => {
    expect(check(userId, deviceId, srv)).toBe(expected);
  });

  it('lets an OU user send its SRVs to any device, and no others', () => {
    const withOu = new RegistrationData({
      users: [{ userId: '90-B3-D5-1F-30-07-00-00', roles: ['OU'] }],
      meterPoints: [],
      devices: [{ deviceId: chf, deviceType: 'CHF', installation: 'x', smiStatus: 'Commissioned' }],
    });
    const ou = new AccessControl(withOu, { slotCheck: 'registered-network-operator' });
    expect(ou.check({ userId: '90-B3-D5-1F-30-07-00-00', deviceId: chf, serviceReferenceVariant: '8.11' })).toEqual({
      ok: true,
      userRole: 'OU',
      deviceType: 'CHF',
    });
    expect(
      ou.check({ userId: '90-B3-D5-1F-30-07-00-00', deviceId: chf, serviceReferenceVariant: '6.13' }),
    ).toMatchObject({ ok: false, code: 'E2' });
  });

  it('uses the configured code for SRVs the SMETS1 gateway does not carry', () => {
    const custom = new AccessControl(rtdsRegistrationData(), {
      slotCheck: 'registered-network-operator',
      unsupportedCode: 'E12',
    });
    expect(custom.check({ userId: supplier, deviceId: esme, serviceReferenceVariant: '11.2' })).toEqual({
      ok: false,
      fault: 'unsupported-by-smets1',
      code: 'E12',
      message: 'SRV 11.2 is not supported by this SMETS1 device (ESME)',
    });
  });
});

describe('6.15.1 network-operator slot check (risk 9)', () => {
  const WRONG_DNO = '90-B3-D5-1F-30-02-00-99';
  /** The registered DNO is RTDS's; the ESME's network-operator slot holds another DNO's certificate. */
  function risk9(mode: SlotCheckMode) {
    const registration = new RegistrationData({
      users: [
        { userId: networkOperator, roles: ['ED'] },
        { userId: WRONG_DNO, roles: ['ED'] },
        { userId: supplier, roles: ['IS', 'GS'] },
      ],
      meterPoints: [{ mpxn: '1312345678111', fuel: 'electricity', installation: 'h', supplier, networkOperator }],
      devices: [{ deviceId: esme, deviceType: 'ESME', installation: 'h', smiStatus: 'Commissioned' }],
      networkOperatorSlots: { [esme]: WRONG_DNO },
    });
    const access = new AccessControl(registration, { slotCheck: mode });
    const replace = (userId: string) =>
      access.check({ userId, deviceId: esme, serviceReferenceVariant: '6.15.1', remotePartyRole: 'NetworkOperator' });
    return { registration, access, replace };
  }

  it('slot-certificate (production): neither the registered DNO nor the slot holder can replace the wrong certificate: permanent', () => {
    const { replace } = risk9('slot-certificate');
    expect(replace(networkOperator)).toEqual({
      ok: false,
      fault: 'not-authorised-for-device',
      code: 'E4',
      message: `slot-certificate check: device ${esme}'s network-operator slot holds the certificate of ${WRONG_DNO}, not of ${networkOperator}`,
    });
    expect(replace(WRONG_DNO)).toMatchObject({ ok: false, code: 'E4' });
    expect((replace(WRONG_DNO) as { message: string }).message).toBe(
      `user ${WRONG_DNO} (ED) is not the registered party for device ${esme} (meter points 1312345678111)`,
    );
  });

  it('registered-network-operator (the fix): the registered DNO is admitted, the slot holder still refused', () => {
    const { replace } = risk9('registered-network-operator');
    expect(replace(networkOperator)).toEqual({ ok: true, userRole: 'ED', deviceType: 'ESME' });
    expect(replace(WRONG_DNO)).toMatchObject({ ok: false, code: 'E4' });
  });

  it('once the replacement is recorded, the slot-certificate check admits the registered DNO again', () => {
    const { registration, replace } = risk9('slot-certificate');
    registration.recordNetworkOperatorSlot(esme, networkOperator);
    expect(replace(networkOperator)).toEqual({ ok: true, userRole: 'ED', deviceType: 'ESME' });
  });

  it.each(['slot-certificate', 'registered-network-operator'] as const)(
    "%s: the meter's import supplier may not replace the network-operator certificate (E4), though 6.15.1 is one of its SRVs",
    (mode) => {
      const { replace, access } = risk9(mode);
      expect(replace(supplier)).toEqual({
        ok: false,
        fault: 'not-authorised-for-device',
        code: 'E4',
        message: `6.15.1 NetworkOperator: user ${supplier} is not the network operator registered for device ${esme} (meter points 1312345678111); only that network operator may replace the network-operator certificate`,
      });
      // its own slot is still its to replace
      expect(
        access.check({
          userId: supplier,
          deviceId: esme,
          serviceReferenceVariant: '6.15.1',
          remotePartyRole: 'Supplier',
        }),
      ).toEqual({ ok: true, userRole: 'IS', deviceType: 'ESME' });
    },
  );

  it('registered-network-operator: a supplier that is a network operator elsewhere is refused; one registered as both is admitted as ED', () => {
    const party = '90-B3-D5-1F-30-03-00-00';
    const access = (meterNetworkOperator: string) =>
      new AccessControl(
        new RegistrationData({
          users: [
            { userId: party, roles: ['IS', 'ED'] },
            { userId: networkOperator, roles: ['ED'] },
          ],
          meterPoints: [
            {
              mpxn: '1312345678111',
              fuel: 'electricity',
              installation: 'h',
              supplier: party,
              networkOperator: meterNetworkOperator,
            },
          ],
          devices: [{ deviceId: esme, deviceType: 'ESME', installation: 'h', smiStatus: 'Commissioned' }],
        }),
        { slotCheck: 'registered-network-operator' },
      ).check({ userId: party, deviceId: esme, serviceReferenceVariant: '6.15.1', remotePartyRole: 'NetworkOperator' });
    // the ED role alone does not make it this meter's network operator
    expect(access(networkOperator)).toMatchObject({ ok: false, code: 'E4' });
    expect(access(party)).toEqual({ ok: true, userRole: 'ED', deviceType: 'ESME' });
  });

  it('applies only when the network-operator certificate is replaced', () => {
    const { access } = risk9('slot-certificate');
    // a RemotePartyRole on another SRV is no certificate replacement: no slot check
    expect(
      access.check({
        userId: networkOperator,
        deviceId: esme,
        serviceReferenceVariant: '6.5',
        remotePartyRole: 'NetworkOperator',
      }),
    ).toEqual({
      ok: true,
      userRole: 'ED',
      deviceType: 'ESME',
    });
    expect(
      access.check({
        userId: networkOperator,
        deviceId: esme,
        serviceReferenceVariant: '6.15.1',
        remotePartyRole: 'Supplier',
      }),
    ).toEqual({
      ok: true,
      userRole: 'ED',
      deviceType: 'ESME',
    });
  });
});

describe('AccessControl: a party is authorised only for the meter points Registration Data names it for (E4)', () => {
  // Two homes. Home A: RTDS supplier and network operator for both fuels. Home B: another supplier (IS and GS) and
  // another network operator (ED and GT). Each party must be refused at the other home's devices, though its roles
  // let it send the SRV.
  const OTHER_SUPPLIER = '90-B3-D5-1F-30-01-00-07';
  const OTHER_NETWORK = '90-B3-D5-1F-30-02-00-07';
  /** Supplies electricity at home A but holds only the GS role: GS must not be read as "any supplier". */
  const GS_ONLY_ELECTRICITY_SUPPLIER = '90-B3-D5-1F-30-01-00-08';
  const B = { esme: '00-DB-12-34-56-78-90-B0', gsme: '00-DB-12-34-56-78-90-B1', chf: '00-DB-12-34-56-78-90-B2' };
  const registration = new RegistrationData({
    users: [
      { userId: supplier, roles: ['IS', 'GS'] },
      { userId: networkOperator, roles: ['ED', 'GT'] },
      { userId: OTHER_SUPPLIER, roles: ['IS', 'GS'] },
      { userId: OTHER_NETWORK, roles: ['ED', 'GT'] },
      { userId: GS_ONLY_ELECTRICITY_SUPPLIER, roles: ['GS'] },
    ],
    meterPoints: [
      { mpxn: '1312345678111', fuel: 'electricity', installation: 'A', supplier, networkOperator },
      { mpxn: '1234567890', fuel: 'gas', installation: 'A', supplier, networkOperator },
      {
        mpxn: '1312345678222',
        fuel: 'electricity',
        installation: 'B',
        supplier: OTHER_SUPPLIER,
        networkOperator: OTHER_NETWORK,
      },
      { mpxn: '2234567890', fuel: 'gas', installation: 'B', supplier: OTHER_SUPPLIER, networkOperator: OTHER_NETWORK },
      {
        mpxn: '1312345678333',
        fuel: 'electricity',
        installation: 'C',
        supplier: GS_ONLY_ELECTRICITY_SUPPLIER,
        networkOperator,
      },
    ],
    devices: [
      { deviceId: esme, deviceType: 'ESME', installation: 'A', smiStatus: 'Commissioned' },
      { deviceId: gsme, deviceType: 'GSME', installation: 'A', smiStatus: 'Commissioned' },
      { deviceId: chf, deviceType: 'CHF', installation: 'A', smiStatus: 'Commissioned' },
      { deviceId: B.esme, deviceType: 'ESME', installation: 'B', smiStatus: 'Commissioned' },
      { deviceId: B.gsme, deviceType: 'GSME', installation: 'B', smiStatus: 'Commissioned' },
      { deviceId: B.chf, deviceType: 'CHF', installation: 'B', smiStatus: 'Commissioned' },
      { deviceId: '00-DB-12-34-56-78-90-C2', deviceType: 'CHF', installation: 'C', smiStatus: 'Commissioned' },
    ],
  });
  const access = new AccessControl(registration, { slotCheck: 'registered-network-operator' });
  const check = (userId: string, deviceId: string, srv: string) => {
    const d = access.check({ userId, deviceId, serviceReferenceVariant: srv });
    return d.ok ? d.userRole : d.code;
  };

  it.each([
    // user, device, SRV (its eligible roles), expected role or code
    [OTHER_SUPPLIER, esme, '7.1 (IS)', 'E4'],
    [OTHER_SUPPLIER, B.esme, '7.1 (IS)', 'IS'],
    [OTHER_SUPPLIER, gsme, '6.7 (GS)', 'E4'],
    [OTHER_SUPPLIER, B.gsme, '6.7 (GS)', 'GS'],
    [OTHER_SUPPLIER, chf, '8.11 (IS, GS, OU)', 'E4'],
    [supplier, B.esme, '7.1 (IS)', 'E4'],
    [supplier, B.gsme, '6.7 (GS)', 'E4'],
    [OTHER_NETWORK, esme, '6.5 (ED)', 'E4'],
    [OTHER_NETWORK, B.esme, '6.5 (ED)', 'ED'],
    [OTHER_NETWORK, gsme, '4.10 (ED, GT)', 'E4'],
    [OTHER_NETWORK, B.gsme, '4.10 (ED, GT)', 'GT'],
    [networkOperator, B.esme, '6.5 (ED)', 'E4'],
    [networkOperator, B.gsme, '4.10 (ED, GT)', 'E4'],
    // GS authorises gas meter points only: the electricity supplier of home C holding only GS is refused its CH
    [GS_ONLY_ELECTRICITY_SUPPLIER, '00-DB-12-34-56-78-90-C2', '8.11 (IS, GS, OU)', 'E4'],
  ])('%s → %s SRV %s: %s', (userId, deviceId, srv, expected) => {
    expect(check(userId, deviceId, srv.split(' ')[0]!)).toBe(expected);
  });

  it('names the user, its roles, the device and its meter points in the E4 message', () => {
    expect(access.check({ userId: OTHER_SUPPLIER, deviceId: esme, serviceReferenceVariant: '7.1' })).toEqual({
      ok: false,
      fault: 'not-authorised-for-device',
      code: 'E4',
      message: `user ${OTHER_SUPPLIER} (IS) is not the registered party for device ${esme} (meter points 1312345678111)`,
    });
  });
});

describe('AccessControl: SMI statuses that refuse a device SR (E5)', () => {
  const withStatus = (smiStatus: Parameters<RegistrationData['setSmiStatus']>[1]) => {
    const registration = rtdsRegistrationData();
    registration.setSmiStatus(esme, smiStatus);
    return new AccessControl(registration, { slotCheck: 'registered-network-operator' }).check({
      userId: supplier,
      deviceId: esme,
      serviceReferenceVariant: '7.1',
    });
  };

  it.each(['Decommissioned', 'Withdrawn', 'Suspended', 'Recovery'] as const)(
    '%s: E5, naming the device and its status',
    (status) => {
      expect(withStatus(status)).toEqual({
        ok: false,
        fault: 'smi-status',
        code: 'E5',
        message: `device ${esme} is ${status}; SRV 7.1 needs another SMI status`,
      });
    },
  );

  it.each(['Pending', 'Whitelisted', 'InstalledNotCommissioned', 'Commissioned', 'Recovered'] as const)(
    '%s: admitted',
    (status) => {
      expect(withStatus(status)).toEqual({ ok: true, userRole: 'IS', deviceType: 'ESME' });
    },
  );

  it('checks authorisation first: a supplier not registered for a suspended device gets E4, not E5', () => {
    const stranger = '90-B3-D5-1F-30-01-00-07';
    const registration = new RegistrationData({
      users: [{ userId: stranger, roles: ['IS'] }],
      meterPoints: [{ mpxn: '1312345678111', fuel: 'electricity', installation: 'A', supplier, networkOperator }],
      devices: [{ deviceId: esme, deviceType: 'ESME', installation: 'A', smiStatus: 'Suspended' }],
    });
    const access = new AccessControl(registration, { slotCheck: 'registered-network-operator' });
    expect(access.check({ userId: stranger, deviceId: esme, serviceReferenceVariant: '7.1' })).toMatchObject({
      code: 'E4',
    });
  });

  it('uses the configured refused statuses instead of the default list', () => {
    const registration = rtdsRegistrationData();
    registration.setSmiStatus(esme, 'Suspended');
    const access = new AccessControl(registration, {
      slotCheck: 'registered-network-operator',
      refusedStatuses: ['Decommissioned'],
    });
    expect(access.check({ userId: supplier, deviceId: esme, serviceReferenceVariant: '7.1' })).toEqual({
      ok: true,
      userRole: 'IS',
      deviceType: 'ESME',
    });
  });
});

describe('AccessControl: each refusal names what and where (the whole text)', () => {
  const access = new AccessControl(rtdsRegistrationData(), { slotCheck: 'registered-network-operator' });
  const STRANGER = '90-B3-D5-1F-30-09-00-00';
  const NOWHERE = '00-DB-12-34-56-78-90-FF';

  it.each([
    // user, device, SRV, the refusal written out
    [
      STRANGER,
      chf,
      '8.11',
      { fault: 'unknown-user', code: 'E1', message: `user ${STRANGER} is not a SEC party in Registration Data` },
    ],
    [
      networkOperator,
      chf,
      '8.11',
      {
        fault: 'role-not-permitted',
        code: 'E2',
        message: `SRV 8.11 (Update HAN Device Log) is for IS, GS, OU; user ${networkOperator} holds ED, GT`,
      },
    ],
    // an SRV the DUIS matrix does not have: no name, no role
    [
      supplier,
      esme,
      '99.9',
      {
        fault: 'role-not-permitted',
        code: 'E2',
        message: `SRV 99.9 (unknown) is for no user role; user ${supplier} holds IS, GS`,
      },
    ],
    [
      supplier,
      NOWHERE,
      '8.11',
      { fault: 'unknown-device', code: 'E19', message: `device ${NOWHERE} is not in the DSP inventory` },
    ],
    [
      supplier,
      chf,
      '7.2',
      {
        fault: 'service-not-for-device-type',
        code: 'E11',
        message: 'SRV 7.2 does not apply to a CHF (only ESME, GSME)',
      },
    ],
    // not carried, to a device not in the inventory: the same answer, without a device type
    [
      supplier,
      NOWHERE,
      '11.2',
      { fault: 'unsupported-by-smets1', code: 'E11', message: 'SRV 11.2 is not supported by this SMETS1 device' },
    ],
  ] as const)('%s → %s SRV %s: %j', (userId, deviceId, srv, refusal) => {
    expect(access.check({ userId, deviceId, serviceReferenceVariant: srv })).toEqual({ ok: false, ...refusal });
  });

  it('E4 names every role the user could act in and every meter point of the device, or none', () => {
    const other = '90-B3-D5-1F-30-01-00-07';
    const registration = new RegistrationData({
      users: [{ userId: other, roles: ['IS', 'GS'] }],
      meterPoints: [
        { mpxn: '1312345678111', fuel: 'electricity', installation: 'A', supplier, networkOperator },
        { mpxn: '1234567890', fuel: 'gas', installation: 'A', supplier, networkOperator },
      ],
      devices: [
        { deviceId: chf, deviceType: 'CHF', installation: 'A', smiStatus: 'Commissioned' },
        // a meter whose installation Registration Data gives no meter point
        { deviceId: esme, deviceType: 'ESME', installation: 'Z', smiStatus: 'Commissioned' },
      ],
    });
    const access = new AccessControl(registration, { slotCheck: 'registered-network-operator' });
    expect(access.check({ userId: other, deviceId: chf, serviceReferenceVariant: '8.11' })).toEqual({
      ok: false,
      fault: 'not-authorised-for-device',
      code: 'E4',
      message: `user ${other} (IS, GS) is not the registered party for device ${chf} (meter points 1312345678111, 1234567890)`,
    });
    expect(access.check({ userId: other, deviceId: esme, serviceReferenceVariant: '7.1' })).toEqual({
      ok: false,
      fault: 'not-authorised-for-device',
      code: 'E4',
      message: `user ${other} (IS) is not the registered party for device ${esme} (meter points none)`,
    });
  });
});

describe('AccessControl: each role is authorised by its own fuel at a CH that serves both', () => {
  // Home D: four parties, one role each: the electricity supplier and DNO, the gas supplier and transporter. Home E:
  // an electricity meter whose DNO user holds only GT. One ES (export supplier) user, which no meter point names.
  const IS_D = '90-B3-D5-1F-30-01-00-0D';
  const GS_D = '90-B3-D5-1F-30-01-00-1D';
  const ED_D = '90-B3-D5-1F-30-02-00-0D';
  const GT_D = '90-B3-D5-1F-30-02-00-1D';
  const GT_ONLY_ELECTRICITY_NETWORK = '90-B3-D5-1F-30-02-00-0E';
  const EXPORT_SUPPLIER = '90-B3-D5-1F-30-01-00-0F';
  const D = { esme: '00-DB-12-34-56-78-90-D0', gsme: '00-DB-12-34-56-78-90-D1', chf: '00-DB-12-34-56-78-90-D2' };
  const E_ESME = '00-DB-12-34-56-78-90-E0';
  const registration = new RegistrationData({
    users: [
      { userId: IS_D, roles: ['IS'] },
      { userId: GS_D, roles: ['GS'] },
      { userId: ED_D, roles: ['ED'] },
      { userId: GT_D, roles: ['GT'] },
      { userId: GT_ONLY_ELECTRICITY_NETWORK, roles: ['GT'] },
      { userId: EXPORT_SUPPLIER, roles: ['ES'] },
    ],
    meterPoints: [
      { mpxn: '1312345678444', fuel: 'electricity', installation: 'D', supplier: IS_D, networkOperator: ED_D },
      { mpxn: '4234567890', fuel: 'gas', installation: 'D', supplier: GS_D, networkOperator: GT_D },
      {
        mpxn: '1312345678555',
        fuel: 'electricity',
        installation: 'E',
        supplier: IS_D,
        networkOperator: GT_ONLY_ELECTRICITY_NETWORK,
      },
    ],
    devices: [
      { deviceId: D.esme, deviceType: 'ESME', installation: 'D', smiStatus: 'Commissioned' },
      { deviceId: D.gsme, deviceType: 'GSME', installation: 'D', smiStatus: 'Commissioned' },
      { deviceId: D.chf, deviceType: 'CHF', installation: 'D', smiStatus: 'Commissioned' },
      { deviceId: E_ESME, deviceType: 'ESME', installation: 'E', smiStatus: 'Commissioned' },
    ],
  });
  const access = new AccessControl(registration, { slotCheck: 'registered-network-operator' });
  const check = (userId: string, deviceId: string, srv: string, remotePartyRole?: string) => {
    const d = access.check({
      userId,
      deviceId,
      serviceReferenceVariant: srv,
      ...(remotePartyRole ? { remotePartyRole } : {}),
    });
    return d.ok ? d.userRole : d.code;
  };

  it.each([
    // user, device, SRV (its eligible roles), expected role or code
    [GS_D, D.chf, '8.11 (IS, GS, OU)', 'GS'],
    [IS_D, D.chf, '8.11 (IS, GS, OU)', 'IS'],
    [ED_D, D.chf, '6.13 (IS, GS, ED, GT, RSA)', 'ED'],
    [GT_D, D.chf, '6.13 (IS, GS, ED, GT, RSA)', 'GT'],
    // GT authorises gas meter points only, whoever the electricity meter point names as its network operator
    [GT_ONLY_ELECTRICITY_NETWORK, E_ESME, '4.10 (IS, GS, ED, GT)', 'E4'],
    // ES is eligible for 7.4 but no meter point names an export supplier: never authorised
    [EXPORT_SUPPLIER, D.esme, '7.4 (IS, ES, GS, RSA, ED, GT)', 'E4'],
  ])('%s → %s SRV %s: %s', (userId, deviceId, srv, expected) => {
    expect(check(userId, deviceId, srv.split(' ')[0]!)).toBe(expected);
  });

  it("the gas transporter replaces a gas meter's network-operator certificate (6.15.1, as GT)", () => {
    expect(
      access.check({
        userId: GT_D,
        deviceId: D.gsme,
        serviceReferenceVariant: '6.15.1',
        remotePartyRole: 'NetworkOperator',
      }),
    ).toEqual({
      ok: true,
      userRole: 'GT',
      deviceType: 'GSME',
    });
  });
});
