/**
 * Requests the harness built itself from the DCC's RTDS templates (harness/migration/requests.ts), remembered by
 * their exact text until the gateway's validator takes them: every shape those builders can produce is proven
 * schema-valid by tests/migration/requestShapes.test.ts, so such a request need not pay a libxml2 run at the gateway.
 * Anything else (a user's file, a pack's literal XML, anything over a link) is not in here and is always validated; a
 * document equal to a built one byte for byte is that built shape.
 *
 * Keyed by the text itself, not a digest of it: a Set compares strings by their whole content, so only a text equal
 * to a built one character for character is taken for it (the engine's string hash only picks the bucket, it decides
 * nothing), and nothing is hashed twice (SHA-256 at marking and again at taking cost more than the look-up: the text
 * that reaches the validator is usually the very string that was marked, whose hash the engine keeps). Bounded: the
 * oldest is forgotten (and then simply validated) past MAX_REMEMBERED, so what is held is at most that many request
 * texts (a few KB each; the largest RTDS template is 26 KB) even when nothing takes them (validation of every request).
 */
const MAX_REMEMBERED = 1024;
const built = new Set<string>();

/** Records `xml` as built by the harness; returns it unchanged. */
export function markBuilt(xml: string): string {
  built.add(xml);
  if (built.size > MAX_REMEMBERED) built.delete(built.values().next().value!);
  return xml;
}

/** Whether `xml` was built by the harness and not yet taken; taking it forgets it (a second copy is validated). */
export function takeBuilt(xml: string): boolean {
  return built.delete(xml);
}
