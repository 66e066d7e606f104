export { ppmidMachine, type PpmidEvent } from './ppmidMachine';
export { createPpmidContext, type PpmidContext, type PpmidInput } from './ppmidContext';
