/**
 * The ESME's power supply as data: `power` in the context, judged by one pure function after every handler that
 * changes what it watches (a power cut or restore, the migration turning the meter dumb or smart again), as
 * the payment state is (paymentState.ts). It was a parallel XState region (powered.starting | powered.metering |
 * powered.suspended | outage) with eventless transitions that XState re-checked after every microstep of every
 * event the meter received, metering timer firings included (14.5 a migration in the fleet's alert watch).
 *
 *   metering   powered and smart: the power-quality monitor runs (metering.ts).
 *   suspended  powered and dumb: no voltage or power alerts, no network data.
 *   outage     the supply is cut (dumb or not).
 *
 * Metering (re)starts on entering `metering` (startMetering: new windows, every period and detector from its start),
 * so a power cut or a dumb spell restarts every period and detector; leaving it (stopMetering) drops the partial
 * period. Going straight from the state a cut or a dumb spell left to the one it comes back to, a dumb meter back
 * from a power cut never enters metering, as the region's transient `starting` chose before entering it. The outage
 * alert (0x8F35 / 0x8F36) is the powerRestore handler's.
 *
 * The one metering timer is the machine's (esmeMachine.ts): armed or cancelled on `esme.meteringRescheduled`, which
 * a change of the power state raises before the handler's own internal events, as the region entered or left
 * `metering` (arming or cancelling its timer) before those were taken.
 */
import type { Handler, Outcome } from '../common/outcome';
import type { EsmeContext } from './esmeContext';
import { meteringRescheduled, startMetering, stopMetering } from './metering';

/** Where the meter's supply stands: metering (powered, smart), suspended (powered, dumb), or cut. */
export type PowerState = 'metering' | 'suspended' | 'outage';

export const powerStates: readonly PowerState[] = ['metering', 'suspended', 'outage'];

/** What the power state watches. */
interface PowerView {
  outageStartedAt: number | null;
  migrationState: EsmeContext['migrationState'];
}

/** The power state `view` puts the meter in. Pure. */
export function powerStateOf(view: PowerView): PowerState {
  if (view.outageStartedAt !== null) return 'outage';
  return view.migrationState === 'dumb' ? 'suspended' : 'metering';
}

/**
 * `handler` followed by the power state's judgement on the context it leaves: entering `metering` starts it (its
 * alerts after the handler's), leaving it stops it, and either re-arms the metering timer. The same outcome when the
 * handler's patch touches neither the outage nor the migration state, or the state stays.
 */
export function withPower<TEvent>(handler: Handler<EsmeContext, TEvent>): Handler<EsmeContext, TEvent> {
  return (args) => {
    const outcome = handler(args);
    const patch = outcome.context;
    if (patch === undefined || !('outageStartedAt' in patch || 'migrationState' in patch)) return outcome;
    const { context, event, now } = args;
    const after = Object.assign({}, context, patch) as EsmeContext;
    const power = powerStateOf(after);
    if (power === context.power) return outcome;
    const next: Outcome<EsmeContext> = Object.assign({}, outcome, { context: Object.assign({}, patch, { power }) });
    if (power === 'metering') {
      const started = startMetering({ context: after, event, now });
      Object.assign(next.context!, started.context);
      if (started.alerts !== undefined && started.alerts.length > 0) {
        next.alerts = (outcome.alerts ?? []).concat(started.alerts);
      }
    } else if (context.power === 'metering') {
      Object.assign(next.context!, stopMetering({ context: after, event, now }).context);
    } else {
      return next;
    }
    const raised = outcome.raise ?? [];
    // Once is enough: a detector judgement on the way out may have raised it already (it then cancels the timer).
    if (raised[0] !== meteringRescheduled) next.raise = [meteringRescheduled, ...raised];
    return next;
  };
}
