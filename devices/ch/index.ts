export { chMachine, type ChEvent } from './chMachine';
export { createChContext, type ChContext, type ChInput, type InitialLogEntry } from './chContext';
export * from './hanDeviceLog';
