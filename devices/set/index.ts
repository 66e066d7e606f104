export { deviceSetMachine, type DeviceSetEmitted } from './deviceSetMachine';
export { RTDS_EUIS, type DeviceSetInput } from './deviceSetInput';
