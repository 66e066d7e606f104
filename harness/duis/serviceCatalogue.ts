/**
 * The service requests this SMETS1 gateway carries to devices, by Service Reference Variant: the request body element
 * (DUIS Request/Body choice) and the `…Rsp` element of the MMC schema that answers it. Every other SRV the schema
 * knows is recognised and answered "not supported by this SMETS1 device" (see responseCodes.ts).
 * The SRV's name, criticality and eligible roles come from @smartdcc/duis-parser's request matrix (harness/dsp).
 */
export type DeviceType = 'ESME' | 'GSME' | 'CHF' | 'PPMID';

export interface SupportedService {
  readonly srv: string;
  readonly requestElement: string;
  readonly responseElement: string;
  /**
   * The device types the SR may target (inferred from the RTDS templates' targets and the SR names; a request to
   * another type is E11).
   */
  readonly deviceTypes: readonly DeviceType[];
}

const SERVICES: readonly SupportedService[] = [
  { srv: '8.11', requestElement: 'UpdateHANDeviceLog', responseElement: 'UpdateHANDeviceLogRsp', deviceTypes: ['CHF'] },
  {
    srv: '8.7.1',
    requestElement: 'JoinServiceCritical',
    responseElement: 'JoinServiceCriticalRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  {
    srv: '8.7.2',
    requestElement: 'JoinServiceNonCritical',
    responseElement: 'JoinServiceNonCriticalRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  {
    srv: '8.8.1',
    requestElement: 'UnjoinServiceCritical',
    responseElement: 'UnjoinServiceCriticalRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  {
    srv: '8.8.2',
    requestElement: 'UnjoinServiceNonCritical',
    responseElement: 'UnjoinServiceNonCriticalRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  {
    srv: '8.9',
    requestElement: 'ReadDeviceLog',
    responseElement: 'ReadDeviceLogRsp',
    deviceTypes: ['CHF', 'ESME', 'GSME'],
  },
  {
    srv: '8.1.1',
    requestElement: 'CommissionDeviceSynchroniseClock',
    responseElement: 'CommissionDeviceSynchroniseClockRsp',
    deviceTypes: ['ESME', 'GSME', 'PPMID'],
  },
  {
    srv: '6.15.1',
    requestElement: 'UpdateSecurityCredentialsKRP',
    responseElement: 'UpdateSecurityCredentialsKRPRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  {
    srv: '6.23',
    requestElement: 'UpdateSecurityCredentialsCoS',
    responseElement: 'UpdateSecurityCredentialsCoSRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  {
    srv: '6.5',
    requestElement: 'UpdateDeviceConfigurationVoltage',
    responseElement: 'UpdateDeviceConfigurationVoltageRsp',
    deviceTypes: ['ESME'],
  },
  {
    srv: '6.12',
    requestElement: 'UpdateDeviceConfigurationInstantaneousPowerThreshold',
    responseElement: 'UpdateDeviceConfigurationInstantaneousPowerThresholdRsp',
    deviceTypes: ['ESME'],
  },
  {
    srv: '6.22',
    requestElement: 'ConfigureAlertBehaviour',
    responseElement: 'ConfigureAlertBehaviourRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  {
    srv: '6.7',
    requestElement: 'UpdateDeviceConfigurationGasFlow',
    responseElement: 'UpdateDeviceConfigurationGasFlowRsp',
    deviceTypes: ['GSME'],
  },
  {
    srv: '6.13',
    requestElement: 'ReadEventOrSecurityLog',
    responseElement: 'ReadEventOrSecurityLogRsp',
    deviceTypes: ['ESME', 'GSME', 'CHF'],
  },
  {
    srv: '4.10',
    requestElement: 'ReadNetworkData',
    responseElement: 'ReadNetworkDataRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  {
    srv: '4.1.1',
    requestElement: 'ReadInstantaneousImportRegisters',
    responseElement: 'ReadInstantaneousImportRegistersRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  { srv: '7.1', requestElement: 'EnableSupply', responseElement: 'EnableSupplyRsp', deviceTypes: ['ESME'] },
  { srv: '7.2', requestElement: 'DisableSupply', responseElement: 'DisableSupplyRsp', deviceTypes: ['ESME', 'GSME'] },
  { srv: '7.3', requestElement: 'ArmSupply', responseElement: 'ArmSupplyRsp', deviceTypes: ['ESME', 'GSME'] },
  {
    srv: '7.4',
    requestElement: 'ReadSupplyStatus',
    responseElement: 'ReadSupplyStatusRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
  { srv: '1.6', requestElement: 'UpdatePaymentMode', responseElement: 'UpdatePaymentModeRsp', deviceTypes: ['ESME'] },
  { srv: '2.2', requestElement: 'TopUpDevice', responseElement: 'TopUpDeviceRsp', deviceTypes: ['ESME'] },
  {
    srv: '6.11',
    requestElement: 'SynchroniseClock',
    responseElement: 'SynchroniseClockRsp',
    deviceTypes: ['ESME', 'GSME'],
  },
];

const BY_SRV = new Map(SERVICES.map((s) => [s.srv, s]));

export function supportedService(srv: string): SupportedService | undefined {
  return BY_SRV.get(srv);
}

export function supportedServiceVariants(): readonly string[] {
  return SERVICES.map((s) => s.srv);
}
