/** The one HTML escaping of the report pages (report.html, the `smets1 diff` page). */

/** HTML-escapes text for element content and quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
