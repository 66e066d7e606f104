export { VirtualClock } from './virtualClock';
export { WallClock } from './wallClock';
