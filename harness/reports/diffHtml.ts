/**
 * The `smets1 diff --html FILE` page: the same differences the console shows, one table per scenario that differs,
 * A's value beside B's. Self-contained and script-free (its Content-Security-Policy allows inline styles only).
 */
import { esc } from './htmlEscape';
import type { RunDiff } from './runDiff';

const CSP = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.a { background: #fff4e5; } td.b { background: #e8f1ff; }
.same { color: #2a7a2a; }`;

export function diffHtml(diff: RunDiff, fileA: string, fileB: string): string {
  const summary =
    diff.scenarios.length === 0
      ? `<p class="same">No differences: ${diff.compared} scenario(s) the same.</p>`
      : `<p>${diff.scenarios.length} scenario(s) differ; ${diff.compared} in both runs.</p>`;
  const sections = diff.scenarios
    .map(
      (s) => `<h2>${esc(s.id)}</h2>
<table>
<thead><tr><th>what</th><th>A: ${esc(fileA)}</th><th>B: ${esc(fileB)}</th></tr></thead>
<tbody>
${s.differences.map((d) => `<tr><td>${esc(d.what)}</td><td class="a">${esc(d.a)}</td><td class="b">${esc(d.b)}</td></tr>`).join('\n')}
</tbody>
</table>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>smets1 diff ${esc(fileA)} ${esc(fileB)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>smets1 diff</h1>
<p>A: ${esc(fileA)}<br>B: ${esc(fileB)}</p>
${summary}
${sections}
</body>
</html>
`;
}
