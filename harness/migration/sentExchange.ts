/**
 * One DUIS exchange of a migration as the log keeps it (log.ts DuisExchange). A class rather than an object literal
 * with a `codes` getter: the literal cost a closure, a context and a hidden class of its own for every request a
 * fleet sends (a quarter of a million a fleet day), where the class shares one shape and one getter.
 */
import type { DuisOutput } from '../s1sp/adapter';
import { readDuisResponse, type DuisResponseReading } from '../duis/responseReader';
import type { DuisExchange } from './log';
import type { MigrationRequest } from './requests';

export class SentExchange implements DuisExchange {
  readonly label: string;
  readonly srv: MigrationRequest['srv'];
  readonly target: string;
  readonly originator: string;
  readonly request: string;
  readonly responses: readonly DuisOutput[];
  readonly alerts: readonly DuisOutput[];
  readonly success: boolean;
  // declared, not a field: an exchange that succeeded has no `error` at all, as the log has always written it
  declare readonly error?: string;
  /** The reading of the last response, made by whoever judged the exchange: the codes reuse it. */
  readonly #lastReading: DuisResponseReading;
  #codes: readonly string[] | undefined;

  /** `lastReading`: the reading of the last of `responses`; the exchange succeeded if that is a successful response. */
  constructor(
    request: MigrationRequest,
    originator: string,
    target: string,
    responses: readonly DuisOutput[],
    alerts: readonly DuisOutput[],
    lastReading: DuisResponseReading,
  ) {
    this.label = request.label;
    this.srv = request.srv;
    this.target = target;
    this.originator = originator;
    this.request = request.xml;
    this.responses = responses;
    this.alerts = alerts;
    this.#lastReading = lastReading;
    this.success = responses.at(-1)!.kind === 'response' && lastReading.smets1?.rsp?.messageSuccess === true;
    if (!this.success) {
      const error = lastReading.smets1?.debug?.error ?? lastReading.fault ?? this.codes.join(' ');
      this.error = error.replaceAll('&apos;', "'");
    }
  }

  /**
   * The response codes in order; the responses before the last (the I99) are read only for whoever reads the log,
   * so they are read when first asked.
   */
  get codes(): readonly string[] {
    const last = this.responses.at(-1);
    return (this.#codes ??= this.responses.map(
      (o) => (o === last ? this.#lastReading : readDuisResponse(o)).responseCode ?? '-',
    ));
  }
}
