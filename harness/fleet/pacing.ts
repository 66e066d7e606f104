/**
 * The pacing plan (seed 000, OPSG Feb 2020): a daily cap per stage, and at the end of a stage a review point that
 * moves to the next stage's cap only when the day's right-first-time share reaches the threshold; otherwise the cap
 * holds and the review is made again the next day.
 */
import type { PacingStage } from './config';

export class Pacing {
  private stage = 0;
  private daysInStage = 0;

  constructor(
    private readonly stages: readonly PacingStage[],
    private readonly threshold: number,
  ) {}

  /** Today's cap on migrations started. */
  cap(): number {
    return this.stages[this.stage].cap;
  }

  /**
   * Ends a day with its right-first-time share (undefined when nothing started). Returns true when the day was a
   * review point that held the cap.
   */
  endDay(rightFirstTime: number | undefined): boolean {
    this.daysInStage += 1;
    const last = this.stage === this.stages.length - 1;
    if (last || this.daysInStage < this.stages[this.stage].days) return false;
    if (rightFirstTime !== undefined && rightFirstTime < this.threshold) return true;
    this.stage += 1;
    this.daysInStage = 0;
    return false;
  }
}
