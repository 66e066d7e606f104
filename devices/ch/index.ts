export { chMachine } from './chMachine';
