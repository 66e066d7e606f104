export { ppmidMachine } from './ppmidMachine';
