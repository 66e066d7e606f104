/**
 * devices/: the SMETS1 device machines (pure behaviour: no I/O, no timers but XState's on the injected clock).
 * Start with common/deviceCore.ts (how a device machine is composed) and set/deviceSetMachine.ts (one home).
 */
export * from './common';
export { chMachine, type ChEvent, type ChContext, type ChInput } from './ch';
export { gsmeMachine, type GsmeEvent, type GsmeContext, type GsmeInput } from './gsme';
export { ppmidMachine, type PpmidEvent, type PpmidContext, type PpmidInput } from './ppmid';
export { esmeMachine } from './esme/esmeMachine';
export * from './set';
export * from './profiles';
export * from './quirks';
