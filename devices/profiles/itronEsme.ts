/**
 * The Itron ESME as it arrives in the DCC: the voltage and power-factor configuration it carries over from its
 * pre-migration (SMSO) life. Risk 11 (primer, known defects; SECAS OPSG/TAG EPCL review): "Migrated Itron meters
 * are generating Power and Voltage Alerts, and DNOs are unable to set the recommended voltage threshold or
 * configure power alerts". For those alerts to flow at all on a healthy supply, the thresholds the meter keeps
 * must lie inside the everyday UK voltage range (LV supplies commonly sit at 240–245 V, the pre-1995 240 V
 * nominal), and the power-factor threshold above an ordinary domestic load's.
 *
 * Every number here is ASSUMED: Itron's pre-migration configuration is not public. The shape of the assumption
 * is "a band set tightly around 230 V": ±3 % for the average, ±4 % for sag/swell, ±10 % for the extremes. With
 * it a migrated Itron at a steady 240 V raises 0x8024 (swell) after 30 s and 0x8002 (average over-voltage) at the
 * end of the first measurement period, and a 0.9 power-factor load raises 0x8014; the recommended limits the DNO
 * would set (253 V / 216.2 V) silence them, which risk 11's refusal of 6.5 / 6.22 prevents.
 */
import { defaultEsmeProfile, type EsmeProfile } from '../esme/esmeProfile';

const preMigration = (value: number, band: string) => ({
  value,
  source: 'assumed' as const,
  note: `Itron pre-migration threshold, not public: ${band} (risk 11: alerts at everyday voltages)`,
});

export const itronEsmeProfile: EsmeProfile = {
  ...defaultEsmeProfile,
  voltageDefaults: {
    ...defaultEsmeProfile.voltageDefaults,
    averageOverThreshold: preMigration(236.9, '230 V +3 %'),
    averageUnderThreshold: preMigration(223.1, '230 V -3 %'),
    swellThreshold: preMigration(239.2, '230 V +4 %'),
    swellPeriod: { value: 30, source: 'assumed', note: 'Itron pre-migration swell period, not public: 30 s' },
    sagThreshold: preMigration(220.8, '230 V -4 %'),
    sagPeriod: { value: 30, source: 'assumed', note: 'Itron pre-migration sag period, not public: 30 s' },
    extremeOverThreshold: preMigration(253, '230 V +10 %'),
    extremeUnderThreshold: preMigration(207, '230 V -10 %'),
  },
  powerFactorThreshold: {
    value: 0.95,
    source: 'assumed',
    note: 'Itron pre-migration power-factor threshold, not public: above a typical domestic load (0.9), so power alerts flow (risk 11)',
  },
};
