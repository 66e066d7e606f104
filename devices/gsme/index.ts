export { gsmeMachine, type GsmeEvent } from './gsmeMachine';
export { createGsmeContext, type GsmeContext, type GsmeInput, type GasFlowConfig } from './gsmeContext';
export { gasFlowConfig, overLossyHan } from './gsmeHandlers';
