/**
 * Which alert a supply restoration raises. GBCS distinguishes 0x8F35 "supply outage restored" from 0x8F36
 * "supply outage restored, outage >= 3 minutes": the boundary belongs to the long outage, so an outage of
 * exactly the long-outage limit (180 s by default) raises 0x8F36, and anything shorter, even by 1 ms, 0x8F35.
 */
import { EsmeAlert } from './esmeProfile';

export function outageRestoredAlert(outageMs: number, longOutageLimitSeconds: number): number {
  return outageMs >= longOutageLimitSeconds * 1000
    ? EsmeAlert.supplyOutageRestoredLong
    : EsmeAlert.supplyOutageRestored;
}
