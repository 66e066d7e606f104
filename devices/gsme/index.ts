export { gsmeMachine } from './gsmeMachine';
export type { GsmeInput } from './gsmeContext';
