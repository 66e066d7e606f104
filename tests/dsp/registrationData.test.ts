import { describe, expect, it } from 'vitest';
import { RegistrationData } from '../../harness/dsp/registrationData';

const supplier = '90-B3-D5-1F-30-01-00-00';
const networkOperator = '90-B3-D5-1F-30-02-00-00';
const point = (mpxn: string, fuel: 'electricity' | 'gas', installation: string) => ({
  mpxn,
  fuel,
  installation,
  supplier,
  networkOperator,
});

// two homes whose meter points are given interleaved, one MPAN given twice (moved to the second home), and a device of
// each type: the meter points of a device are its own home's, of its fuel, in the order first given
const registration = new RegistrationData({
  users: [],
  meterPoints: [
    point('1100000000001', 'electricity', 'home-a'),
    point('2200000001', 'gas', 'home-b'),
    point('1100000000002', 'electricity', 'home-a'),
    point('1100000000003', 'electricity', 'home-b'),
    point('2200000002', 'gas', 'home-a'),
    point('1100000000001', 'electricity', 'home-b'),
  ],
  devices: [
    { deviceId: '00-db-00-00-00-00-00-01', deviceType: 'ESME', installation: 'home-a', smiStatus: 'Commissioned' },
    { deviceId: '00-DB-00-00-00-00-00-02', deviceType: 'GSME', installation: 'home-a', smiStatus: 'Commissioned' },
    { deviceId: '00-DB-00-00-00-00-00-03', deviceType: 'CHF', installation: 'home-b', smiStatus: 'Commissioned' },
    { deviceId: '00-DB-00-00-00-00-00-04', deviceType: 'PPMID', installation: 'home-c', smiStatus: 'Commissioned' },
  ],
});
const mpxns = (deviceId: string) => registration.meterPointsOf(deviceId).map((m) => `${m.mpxn} ${m.installation}`);

describe('RegistrationData.meterPointsOf', () => {
  it("gives an ESME its home's electricity meter points, a GSME its gas ones, a CHF both, in the order first given", () => {
    expect(mpxns('00-DB-00-00-00-00-00-01')).toEqual(['1100000000002 home-a']);
    expect(mpxns('00-db-00-00-00-00-00-02')).toEqual(['2200000002 home-a']);
    expect(mpxns('00-DB-00-00-00-00-00-03')).toEqual([
      '1100000000001 home-b',
      '2200000001 home-b',
      '1100000000003 home-b',
    ]);
  });

  it('gives a device of a home without meter points, and an unknown device, none', () => {
    expect(mpxns('00-DB-00-00-00-00-00-04')).toEqual([]);
    expect(mpxns('00-DB-00-00-00-00-00-09')).toEqual([]);
  });

  it('gives each caller a list of its own: changing one changes no later answer', () => {
    registration.meterPointsOf('00-DB-00-00-00-00-00-03').length = 0;
    expect(mpxns('00-DB-00-00-00-00-00-03')).toHaveLength(3);
  });
});
