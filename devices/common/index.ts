/**
 * The shared device core. Start with deviceCore.ts: its header says how to compose a device machine from it.
 */
export * from './types';
export * from './alertCodes';
export * from './random';
export * from './clockTime';
export * from './eventLog';
export * from './alertBehaviour';
export * from './hanDelivery';
export * from './hanMessages';
export * from './outcome';
export * from './coreContext';
export * from './coreCommands';
export * from './deviceCore';
export * from './meterBinding';
export * from './timersResumption';
