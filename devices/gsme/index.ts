export { gsmeMachine, type GsmeEvent } from './gsmeMachine';
export { createGsmeContext, type GsmeContext, type GsmeInput, type GasFlowConfig, type Installation } from './gsmeContext';
export { gasFlowConfig, overLossyHan } from './gsmeHandlers';
