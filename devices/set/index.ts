export { deviceSetMachine, type DeviceSetContext, type DeviceSetEvent, type DeviceSetEmitted, type DeviceSetCommand } from './deviceSetMachine';
export { RTDS_EUIS, resolveMembers, defaultInstallCode, type DeviceSetInput, type DeviceSetMembers } from './deviceSetInput';
export { routeHan } from './hanRouting';
