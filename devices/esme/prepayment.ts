/**
 * The ESME's payment mode (credit or prepayment) and its prepayment credit: what lets the seeds' "grave" case be
 * shown, a meter in prepayment that turns dumb (OPSG: "Had this occurred with an 'active' meter migration in PP
 * mode the impact would have been grave").
 *
 * In prepayment the meter draws its credit balance down at the measured import times the unit rate, and opens
 * its contactor (supply `disabled`) the instant the balance reaches zero; a top-up that brings the balance above
 * zero arms the supply (`armed`: the consumer closes it). In credit mode the balance is kept but not drawn down.
 *
 * Assumed (not public, labelled in the profile and docs): one flat unit rate per meter (no standing charge,
 * emergency or friendly credit, debt recovery or time-of-use); no alert on credit exhaustion (the primer lists
 * none); a dumb meter keeps its local prepayment function running (the balance keeps falling and the contactor
 * still opens at zero) but refuses remote top-ups and payment-mode changes with `dumbMode` (local UTRN entry on
 * the meter's keypad is not modelled), so a consumer on a dumb prepayment meter runs out of credit and stays off
 * supply until the meter is recovered.
 *
 * The balance is settled (drawn down up to `now`) whenever the measured power or the mode changes, and the
 * instant of exhaustion is recomputed from it, so the drawdown is exact between steps, like the time-weighted
 * average voltage.
 */
import { isCurrentFlowing, withDeadline, type EsmeContext } from './esmeContext';
import { measuredActivePower } from './loadMonitor';

type CreditView = Pick<
  EsmeContext,
  'paymentMode' | 'creditBalance' | 'creditSettledAt' | 'demand' | 'supply' | 'outageStartedAt' | 'settings'
>;

const MS_PER_HOUR = 3_600_000;

/** Pence per millisecond the meter draws at its measured import, 0 in credit mode. */
function drawRate(view: CreditView): number {
  if (view.paymentMode !== 'prepayment') return 0;
  const watts = measuredActivePower(view.demand, isCurrentFlowing(view));
  return ((watts / 1000) * view.settings.prepaymentUnitRate) / MS_PER_HOUR;
}

/** The balance at `now`: the settled balance less what the import drew since, never below zero. */
export function balanceAt(view: CreditView, now: number): number {
  return Math.max(0, view.creditBalance - drawRate(view) * (now - view.creditSettledAt));
}

/** When the balance reaches zero at the current import, or null if it does not fall (credit mode, no import, none left). */
function exhaustionAt(view: CreditView, now: number): number | null {
  const rate = drawRate(view);
  const balance = balanceAt(view, now);
  if (rate <= 0 || balance <= 0) return null;
  return now + Math.ceil(balance / rate);
}

/**
 * The context patch that settles the credit at `now` under the context as it was, then applies `patch` (a change
 * of supply, power, demand or mode) and reschedules the exhaustion under the new state.
 */
export function settledWith(context: EsmeContext, patch: Partial<EsmeContext>, now: number): Partial<EsmeContext> {
  const settled = { creditBalance: balanceAt(context, now), creditSettledAt: now };
  // The credit view as the patch leaves it, field by field (a copy of the whole context would cost more).
  const next: CreditView = {
    paymentMode: patch.paymentMode ?? context.paymentMode,
    creditBalance: patch.creditBalance ?? settled.creditBalance,
    creditSettledAt: patch.creditSettledAt ?? settled.creditSettledAt,
    demand: patch.demand ?? context.demand,
    supply: patch.supply ?? context.supply,
    outageStartedAt: 'outageStartedAt' in patch ? patch.outageStartedAt! : context.outageStartedAt,
    settings: patch.settings ?? context.settings,
  };
  const deadlines = withDeadline(patch.deadlines ?? context.deadlines, 'creditExhaustion', exhaustionAt(next, now));
  // Object.assign, not `{ ...settled, ...patch, deadlines }` (a literal that adds a field after a spread is V8's slow
  // path): the same keys in the same order, on every change of supply, power, demand or mode.
  return Object.assign(settled, patch, { deadlines });
}

/** Largest single top-up accepted, pence (assumed bound: £500, a typo guard rather than a scheme limit). */
const maxTopUpPence = 50_000;

/** A top-up amount: pence, positive, at most three decimals (the wire carries thousandths), at most maxTopUpPence. */
export function isTopUpAmount(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value > 0 &&
    value <= maxTopUpPence &&
    Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6
  );
}
