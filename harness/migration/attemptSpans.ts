/**
 * When each attempt of a migrate() call ran: its steps (its rollback included) and its paced phases, the retry wait
 * before it left out. One definition for the fleet's records and a pack run's timeline, so a simulated migration and
 * the same migration run from a pack are measured alike (docs/fleet.md).
 */
import type { MigrationResult } from './orchestrator';

interface AttemptSpan {
  readonly attempt: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** The call's attempts (1 first) in order, on the bench's clock. */
export function attemptSpans(result: Pick<MigrationResult, 'steps' | 'phases'>): AttemptSpan[] {
  const spans = new Map<number, { startMs: number; endMs: number }>();
  const widen = (attempt: number, startMs: number, endMs: number) => {
    const span = spans.get(attempt);
    spans.set(
      attempt,
      span === undefined
        ? { startMs, endMs }
        : { startMs: Math.min(span.startMs, startMs), endMs: Math.max(span.endMs, endMs) },
    );
  };
  for (const step of result.steps)
    if (step.attempt >= 1 && step.name !== 'retryWait') widen(step.attempt, step.startMs, step.endMs);
  for (const phase of result.phases) widen(phase.attempt, phase.startMs, phase.endMs);
  return [...spans.entries()].sort(([a], [b]) => a - b).map(([attempt, span]) => ({ attempt, ...span }));
}
