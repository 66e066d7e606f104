export { normaliseDelay, type EmulatorClock, type TimerId } from './clock';
export { drainPendingJobs } from './drainJobs';
export { TimerHeap } from './timerHeap';
export { DEFAULT_EPOCH_MS, VirtualClock } from './virtualClock';
export { MAX_HOST_DELAY_MS, WallClock, type TimerHost } from './wallClock';
