export { deviceSetMachine, type DeviceSetEmitted } from './deviceSetMachine';
export {
  RTDS_EUIS,
  RTDS_INSTALL_CODE,
  checkInstallCodes,
  joiningInstallCodes,
  type DeviceSetInput,
  type InstallCodes,
} from './deviceSetInput';
export { DeviceSetActor, createDeviceSetActor, sendToMember } from './deviceSetActor';
