/**
 * Requests the harness built itself from the DCC's RTDS templates (harness/migration/requests.ts), remembered by the
 * SHA-256 of their exact text until the gateway's validator takes them: every shape those builders can produce is
 * proven schema-valid by tests/migration/requestShapes.test.ts, so such a request need not pay a libxml2 run at the
 * gateway. Anything else (a user's file, a pack's literal XML, anything over a link) is not in here and is always
 * validated; a document equal to a built one byte for byte is that built shape. Bounded: the oldest is forgotten
 * (and then simply validated) past MAX_REMEMBERED.
 */
import { createHash } from 'node:crypto';

const MAX_REMEMBERED = 4096;
const built = new Set<string>();

const digest = (xml: string) => createHash('sha256').update(xml).digest('base64');

/** Records `xml` as built by the harness; returns it unchanged. */
export function markBuilt(xml: string): string {
  built.add(digest(xml));
  if (built.size > MAX_REMEMBERED) built.delete(built.values().next().value!);
  return xml;
}

/** Whether `xml` was built by the harness and not yet taken; taking it forgets it (a second copy is validated). */
export function takeBuilt(xml: string): boolean {
  return built.delete(digest(xml));
}
