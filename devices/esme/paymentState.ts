/**
 * The ESME's payment state as data: `payment` in the context, judged by one pure function after every handler that
 * can change what it watches (the payment mode, the credit balance and the exhaustion deadline), as the limit
 * detectors are (limitDetectors.ts). It was a parallel XState region with eventless transitions on every level,
 * which XState evaluated on every microstep of every event the meter received, in credit mode too (every meter of
 * the fleet); as data it costs nothing unless a handler changes the credit.
 *
 *   credit     --prepayment-->                   inCredit
 *   inCredit   --no credit-->                    exhausted (the contactor opens: exhaustCredit)
 *              --exhaustion deadline set-->      draining
 *   draining   --no exhaustion deadline-->       inCredit
 *              --the deadline (machine timer)--> exhausted (the contactor opens)
 *   exhausted  --credit above zero-->            inCredit
 *   any but credit --credit mode-->              credit
 *
 * A state's own way out is tried before the credit-mode one, as the region's child transitions were tried before
 * its parent's; one judgement takes steps until none applies, as XState's eventless loop did, and entering
 * `exhausted` runs exhaustCredit at that step, on the context as the steps before left it.
 *
 * The exhaustion timer is the machine's (esmeMachine.ts): armed or cancelled on `esme.creditRescheduled`, which every
 * change of the credit in prepayment raises (esmeCommands.ts measuredChange), after the handler's judgement.
 */
import type { Handler, Outcome } from '../common/outcome';
import type { EsmeContext } from './esmeContext';

/** Where the meter's payment stands: credit mode, or prepayment in credit, draining it, or out of it. */
export type PaymentState = 'credit' | 'inCredit' | 'draining' | 'exhausted';

export const paymentStates: readonly PaymentState[] = ['credit', 'inCredit', 'draining', 'exhausted'];

/** What the payment state watches. */
interface PaymentView {
  paymentMode: EsmeContext['paymentMode'];
  creditBalance: number;
  creditExhaustion: number | null;
}

/** What the payment state watches, in `context` (a state file's, checked on load). */
export function paymentViewOf(context: Pick<EsmeContext, 'paymentMode' | 'creditBalance' | 'deadlines'>): PaymentView {
  return {
    paymentMode: context.paymentMode,
    creditBalance: context.creditBalance,
    creditExhaustion: context.deadlines.creditExhaustion,
  };
}

/** The state one step takes the payment to from `state`, or undefined when none applies. Pure. */
export function nextPaymentState(state: PaymentState, view: PaymentView): PaymentState | undefined {
  if (state === 'credit') return view.paymentMode === 'prepayment' ? 'inCredit' : undefined;
  if (state === 'inCredit') {
    if (view.creditBalance <= 0) return 'exhausted';
    if (view.creditExhaustion !== null) return 'draining';
  } else if (state === 'draining') {
    if (view.creditExhaustion === null) return 'inCredit';
  } else if (view.creditBalance > 0) return 'inCredit';
  return view.paymentMode === 'credit' ? 'credit' : undefined;
}

/** `outcome` with `more` after it: the context patches merged, the alerts and internal events in order. */
function followedBy(outcome: Outcome<EsmeContext>, more: Outcome<EsmeContext>): Outcome<EsmeContext> {
  const next: Outcome<EsmeContext> = Object.assign({}, outcome, {
    context: Object.assign({}, outcome.context, more.context),
  });
  if (more.alerts !== undefined && more.alerts.length > 0) next.alerts = (outcome.alerts ?? []).concat(more.alerts);
  if (more.raise !== undefined && more.raise.length > 0) next.raise = (outcome.raise ?? []).concat(more.raise);
  return next;
}

/**
 * The payment judged from `from` on the context as `outcome` leaves it, every entry into `exhausted` running
 * `exhaust` there; `outcome` with the steps' effects after its own (the same object when no step applies).
 */
function judged<TEvent>(
  args: { context: EsmeContext; event: TEvent; now: number },
  outcome: Outcome<EsmeContext>,
  from: PaymentState,
  exhaust: Handler<EsmeContext, TEvent>,
): Outcome<EsmeContext> {
  let state = from;
  let result = outcome;
  for (;;) {
    const patch = result.context;
    // paymentViewOf's, read through the patch (one object a step: this runs after every paid command)
    const view: PaymentView = {
      paymentMode: patch?.paymentMode ?? args.context.paymentMode,
      creditBalance: patch?.creditBalance ?? args.context.creditBalance,
      creditExhaustion: (patch?.deadlines ?? args.context.deadlines).creditExhaustion,
    };
    const step = nextPaymentState(state, view);
    if (step === undefined) break;
    state = step;
    result = followedBy(result, { context: { payment: state } });
    if (state === 'exhausted') {
      const context = Object.assign({}, args.context, result.context) as EsmeContext;
      result = followedBy(result, exhaust({ context, event: args.event, now: args.now }));
    }
  }
  return result;
}

/**
 * `handler` followed by the payment's judgement on the context it leaves: what the region's eventless transitions
 * did after the action. `exhaust` is what entering `exhausted` does (exhaustCredit with its detectors).
 */
export function withPayment<TEvent>(
  handler: Handler<EsmeContext, TEvent>,
  exhaust: Handler<EsmeContext, TEvent>,
): Handler<EsmeContext, TEvent> {
  return (args) => judged(args, handler(args), args.context.payment, exhaust);
}

/** The exhaustion deadline reached while draining: `exhausted` entered (exhaust run), then judged on from there. */
export function creditRunOut<TEvent>(exhaust: Handler<EsmeContext, TEvent>): Handler<EsmeContext, TEvent> {
  return (args) => {
    const entered: Outcome<EsmeContext> = { context: { payment: 'exhausted' } };
    const context = Object.assign({}, args.context, entered.context) as EsmeContext;
    return judged(
      args,
      followedBy(entered, exhaust({ context, event: args.event, now: args.now })),
      'exhausted',
      exhaust,
    );
  };
}
