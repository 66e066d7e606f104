export { deviceSetMachine, type DeviceSetContext, type DeviceSetEvent, type DeviceSetEmitted, type DeviceSetCommand } from './deviceSetMachine';
export {
  RTDS_EUIS,
  RTDS_INSTALL_CODE,
  checkInstallCodes,
  resolveMembers,
  type DeviceSetInput,
  type DeviceSetMembers,
  type InstallCodes,
} from './deviceSetInput';
export { routeHan } from './hanRouting';
