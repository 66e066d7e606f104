/**
 * `AlertDescription` texts for the GBCS alert codes the emulated SMETS1 devices raise: the GBCS alert code table's
 * wording, as transcribed by the DCC in SmartDCCInnovation/gbcs-parser (`src/util.ts`, `alertCodes`), trailing spaces
 * trimmed. A SMETS1 device alert carries code and description in `ra:DeviceAlertContent` (see responses.ts).
 */
const DESCRIPTIONS: Readonly<Record<number, string>> = {
  0x8002:
    'Average RMS Voltage above Average RMS Over Voltage Threshold (current value above threshold; previous value below threshold)',
  0x8006:
    'Average RMS Voltage below Average RMS Under Voltage Threshold (current value below threshold; previous value above threshold)',
  0x8014: 'Power Factor Threshold Below',
  0x8015: 'Power Factor Threshold Ok',
  0x8020:
    'RMS Voltage above Extreme Over Voltage Threshold (voltage rises above for longer than the configurable period)',
  0x8024: 'RMS Voltage above Voltage Swell Threshold (voltage rises above for longer than the configurable period)',
  0x8028:
    'RMS Voltage below Extreme Under Voltage Threshold (voltage falls below for longer than the configurable period)',
  0x802c: 'RMS Voltage below Voltage Sag Threshold (voltage falls below for longer than the configurable period)',
  0x8085:
    'Average RMS Voltage below Average RMS Over Voltage Threshold (current value below threshold; previous value above threshold)',
  0x8089:
    'Average RMS Voltage above Average RMS Under Voltage Threshold (current value above threshold; previous value below threshold)',
  0x808d:
    'RMS Voltage above Extreme Over Voltage Threshold (voltage returns below for longer than the configurable period)',
  0x8091: 'RMS Voltage above Voltage Swell Threshold (voltage returns below for longer than the configurable period)',
  0x8095:
    'RMS Voltage below Extreme Under Voltage Threshold (voltage returns above for longer than the configurable period)',
  0x8099: 'RMS Voltage below Voltage Sag Threshold (voltage returns above for longer than the configurable period)',
  0x8183: 'Device joined SMHAN',
  0x81b8: 'Incorrect Polarity',
  0x8f01: 'Active Power Import above Load Limit Threshold',
  0x8f12: 'CHF Device Log Changed',
  0x8f30: 'Source Does not have Authority for Command',
  0x8f35: 'Supply Outage Restored',
  0x8f36: 'Supply Outage Restored - Outage >= 3 minutes',
  0x8f3d: 'Trusted Source Authentication Failure',
  0x8f3e: 'Unauthorised Communication Access attempted',
  0x8f48: 'Device joining failed',
  0x8f49: 'Device joining succeeded',
  0x8f4a: 'Device Unjoining failed',
  0x8f4b: 'Device Unjoining succeeded',
  0x8f69: 'Device commissioned',
  0x8f70: 'Update Security Credentials',
};

export function alertDescription(code: number): string | undefined {
  return DESCRIPTIONS[code];
}

/**
 * DCC alert codes the S1SP raises, with the name DUIS gives the alert (its `DCCAlert` content): N24 reports the
 * outcome of an 8.11 (UpdateHANDeviceLog), sent with every 8.11 response.
 */
const DCC_DESCRIPTIONS: Readonly<Record<string, string>> = {
  N24: 'Update HAN Device Log Result',
};

export function dccAlertDescription(code: string): string | undefined {
  return DCC_DESCRIPTIONS[code];
}

/** `8F48`: the hexBinary form `GBCSHexAlertCode` takes. */
export function alertHex(code: number): string {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff) throw new RangeError(`alert code ${code} is not 16-bit`);
  return code.toString(16).toUpperCase().padStart(4, '0');
}
