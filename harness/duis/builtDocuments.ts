/**
 * Requests the harness built itself from the DCC's RTDS templates (harness/migration/requests.ts), remembered by
 * their exact text until the gateway's validator takes them: every shape those builders can produce is proven
 * schema-valid by tests/migration/requestShapes.test.ts, so such a request need not pay a libxml2 run at the gateway.
 * Anything else (a user's file, a pack's literal XML, anything over a link) is not in here and is always validated; a
 * document equal to a built one byte for byte is that built shape.
 *
 * Keyed by the text itself and nothing derived from it: a text is taken only if it is `===` to a held one, which
 * is the same string (the usual case: the text that reaches the validator is the very string marked, answered
 * without reading it) or one of the same length equal character for character. Nothing is hashed: a Set of texts
 * made the engine hash every request's whole text when it was marked (~6 µs for a 2-4 KB request, ~0.6 % of a
 * migration), to find it among the few dozen a run holds at once (46 at most in bench:migration, 12 in flight),
 * where comparing lengths, newest first, finds it sooner. A text built twice (two requests byte for byte the same:
 * the RequestID counter refuses the second anyway) is taken twice, each copy its own built shape. Bounded: the
 * oldest is forgotten (and then simply validated) past MAX_REMEMBERED, so what is held is at most that many request
 * texts (a few KB each; the largest RTDS template is 26 KB) even when nothing takes them (validation of every
 * request), and a look-up compares at most that many lengths.
 */
const MAX_REMEMBERED = 1024;
/** Oldest first. A text built twice is held twice, and taken at most twice: once for each time it was built. */
const built: string[] = [];

/** Records `xml` as built by the harness; returns it unchanged. */
export function markBuilt(xml: string): string {
  built.push(xml);
  if (built.length > MAX_REMEMBERED) built.shift();
  return xml;
}

/** Whether `xml` was built by the harness and not yet taken; taking it forgets it (a second copy is validated). */
export function takeBuilt(xml: string): boolean {
  // newest first: a request is taken soon after it is built, past any that nothing took (every-request benches)
  for (let i = built.length - 1; i >= 0; i--) {
    const held = built[i];
    if (held.length !== xml.length || held !== xml) continue;
    built.splice(i, 1);
    return true;
  }
  return false;
}
