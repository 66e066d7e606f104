/**
 * reports/report.html: one self-contained page (no network: vis-timeline, styles, script and data are inline, and
 * a Content-Security-Policy forbids fetching anything). A summary of the run, then per scenario its verdict, the
 * failing expectations highlighted, a timeline of stimuli, DUIS traffic, device frames, alerts, migration steps and
 * expectations on the virtual time axis (UTC), the same events as a table, and every DUIS document in an expandable
 * block (packed in the page, shown as text when opened, and saved from the page). Failed and errored scenarios are
 * open on load; the others open on a click.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateRawSync } from 'node:zlib';
import { duisFiles } from './duisFiles';
import { formatVirtualDuration, formatVirtualInstant, formatWallMs } from './durations';
import { esc } from './htmlEscape';
import { TIMELINE_LANES, type RunResult, type ScenarioResult, type TimelineEvent, type TimelineLane } from './runResult';
import { failureLocation, interruptionText, tally } from './tally';
import { displayXml } from './xmlDisplay';

const LANE_TITLES: Record<TimelineLane, string> = {
  stimulus: 'Stimulus',
  duis: 'DUIS',
  frames: 'Device frames',
  alerts: 'Alerts',
  migration: 'Migration',
  expect: 'Expectations',
};

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export function reportHtml(run: RunResult): string {
  const paths = new Map(duisFiles(run).map((f) => [`${f.scenarioIndex}/${f.duisIndex}`, f.path]));
  const fileOf = (scenarioIndex: number, duisIndex: number): string | undefined => paths.get(`${scenarioIndex}/${duisIndex}`);
  const data = {
    lanes: TIMELINE_LANES.map((id) => ({ id, title: LANE_TITLES[id] })),
    scenarios: run.scenarios.map((s) => ({
      start: s.virtualStartMs,
      end: Math.max(s.virtualEndMs, ...s.timeline.map((e) => e.end ?? e.at)),
      events: inTimeOrder(s.timeline).map((e) => ({ ...e, cls: eventClass(e) })),
      duis: packedDuis(s),
    })),
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>smets1 run ${esc(run.startedAt)}</title>
<link rel="icon" href="data:,">
<style>
${pageStyle()}
</style>
</head>
<body>
${summarySection(run)}
<h2 class="scenarios-heading">Scenarios</h2>
${run.scenarios.map((s, i) => scenarioSection(s, i, s.seed ?? run.seed, fileOf)).join('\n')}
${assumptionsSection(run)}
<script type="application/json" id="run-data">${jsonForScript(data)}</script>
<script>
${timelineLibrary()}
</script>
<script>
${pageScript()}
</script>
</body>
</html>
`;
}

/** A run Ctrl-C stopped is not a pass, whatever the scenarios that finished gave (issue 17 item 7). */
function runVerdict(run: RunResult, allHeld: boolean): string {
  if (run.interrupted !== undefined) return 'interrupted';
  return allHeld ? 'passed' : 'failed';
}

function interruptionNote(run: RunResult): string {
  const text = interruptionText(run);
  return text === undefined ? '' : `<p class="interrupted">This report holds only the scenarios that finished: the run was ${esc(text)}.</p>
`;
}

function summarySection(run: RunResult): string {
  const t = tally(run.scenarios);
  const count = (label: string, value: number, cls: string): string => `<div class="count ${cls}"><b>${value}</b>${label}</div>`;
  const rows = run.scenarios
    .map(
      (s, i) => `<tr class="${s.verdict}" data-scenario="${i}">
<td><span class="verdict ${s.verdict}">${s.verdict}</span></td>
<td>${esc(s.pack)}</td>
<td><a href="#scenario-${i}">${esc(s.name)}</a></td>
<td class="num">${formatVirtualDuration(s.virtualEndMs - s.virtualStartMs)}</td>
<td class="num">${formatWallMs(s.wallMs)}</td>
<td class="num">${s.seed ?? run.seed}</td>
<td>${s.failures[0] ? esc(s.failures[0].message) : ''}</td>
</tr>`,
    )
    .join('\n');
  return `<header>
<h1>smets1 regression run: <span class="run-verdict">${runVerdict(run, t.failed + t.error === 0)}</span></h1>
${interruptionNote(run)}<p class="meta">Started ${esc(run.startedAt)} · ${seedsText(run)} · packs: ${run.packs.map(esc).join(', ') || '(none)'}${run.preflight === undefined ? '' : ` · far end: ${esc(run.preflight)}`}${assumptionsLink(run)}</p>
<div class="counts">
${count('scenarios', t.scenarios, 'total')}
${count('passed', t.passed, 'passed')}
${count('failed', t.failed, 'failed')}
${count('errors', t.error, 'error')}
${count('skipped', t.skipped, 'skipped')}
<div class="count time"><b>${formatVirtualDuration(t.virtualMs)}</b>virtual time</div>
<div class="count time"><b>${formatWallMs(t.wallMs)}</b>wall time</div>
</div>
</header>
<section id="summary">
<div class="filters">
<label>Find <input type="search" id="filter" placeholder="scenario, pack, failure text" autocomplete="off"></label>
<label><input type="checkbox" id="failed-only"> failed and errored only</label>
<span id="filter-count" class="where"></span>
</div>
<table class="summary">
<thead><tr><th>verdict</th><th>pack</th><th>scenario</th><th>virtual</th><th>wall</th><th>seed</th><th>first failure</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}

/** From the header to the assumed values, so a reader of a result sees at once that some of it rests on guesses. */
function assumptionsLink(run: RunResult): string {
  const count = run.assumptions?.length ?? 0;
  return count === 0 ? '' : ` · <a href="#assumptions">${count} assumed value${count === 1 ? '' : 's'}</a>`;
}

/** Every assumed value the run's benches used: name, value and where it came from. */
function assumptionsSection(run: RunResult): string {
  const assumptions = run.assumptions ?? [];
  if (assumptions.length === 0) return '';
  const rows = assumptions.map((a) => `<tr><td class="where">${esc(a.name)}</td><td class="where">${esc(a.value)}</td><td>${esc(a.source)}</td></tr>`).join('\n');
  return `<section id="assumptions">
<h2>Assumed values</h2>
<p class="meta">Values no public source fixes that this run's benches used (their devices, S1SP, gateway and migration): a result that rests on one rests on a guess.</p>
<table class="assumptions">
<thead><tr><th>name</th><th>value</th><th>source</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}

/** The run's seed once when every scenario ran with it; otherwise each scenario's is in its row and section. */
function seedsText(run: RunResult): string {
  const seeds = new Set(run.scenarios.map((s) => s.seed ?? run.seed));
  return seeds.size <= 1 ? `seed ${[...seeds][0] ?? run.seed}` : `seeds ${[...seeds].join(', ')} (each scenario's in its row)`;
}

/** Events by virtual time; those at the same instant keep the order they happened in. */
function inTimeOrder(events: readonly TimelineEvent[]): TimelineEvent[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map(({ e }) => e);
}

/** Red is a failed expectation only; any other event that did not go as asked is amber (it may fail on purpose). */
function eventClass(e: TimelineEvent): string {
  if (e.failed !== true) return '';
  return e.lane === 'expect' ? 'failed' : 'refused';
}

function scenarioSection(s: ScenarioResult, index: number, seed: number, fileOf: (scenario: number, duis: number) => string | undefined): string {
  const open = s.verdict === 'failed' || s.verdict === 'error' ? ' open' : '';
  const failures = s.failures
    .map(
      (f) => `<div class="${s.verdict === 'failed' ? 'failing-expectation' : 'failure-note'}">
<b>${esc(f.step)}</b> <span class="where">${esc(failureLocation(s.file, f.line, f.column))}</span>
<div class="message">${esc(f.message)}</div>
<dl><dt>expected</dt><dd class="expected">${esc(f.expected)}</dd><dt>actual</dt><dd class="actual">${esc(f.actual)}</dd></dl>
</div>`,
    )
    .join('\n');
  const events = inTimeOrder(s.timeline)
    .map(
      (e) => `<tr class="${eventClass(e)}">
<td class="time">+${formatVirtualDuration(e.at - s.virtualStartMs)}</td>
<td class="time">${formatVirtualInstant(e.at)}${e.end !== undefined ? ` → ${formatVirtualInstant(e.end)}` : ''}</td>
<td>${LANE_TITLES[e.lane] ?? esc(String(e.lane))}</td>
<td>${esc(e.label)}</td>
<td>${e.detail !== undefined ? esc(e.detail) : ''}${e.frames !== undefined ? frameBytes(e.frames) : ''}</td>
<td>${e.duisRef !== undefined ? `<a href="#s${index}-duis-${e.duisRef}">#${e.duisRef + 1}</a>` : ''}</td>
</tr>`,
    )
    .join('\n');
  const duis = s.duis
    .map((d, j) => {
      const file = fileOf(index, j);
      const saveAs = (file ?? `${d.name}.xml`).split('/').pop() ?? 'document.xml';
      return `<details class="duis-doc ${d.direction}" id="s${index}-duis-${j}" data-duis="${j}" data-save="${esc(saveAs)}">
<summary>#${j + 1} ${d.direction} · ${esc(d.name)}${file ? ` · <a class="duis-file" href="${esc(file)}">${esc(file)}</a>` : ''}</summary>
<pre class="xml"></pre>
</details>`;
    })
    .join('\n');
  return `<details class="scenario ${s.verdict}" id="scenario-${index}" data-scenario="${index}" data-verdict="${s.verdict}"${open}>
<summary><span class="verdict ${s.verdict}">${s.verdict}</span> <h2>${esc(s.name)}</h2> <span class="where">${esc(s.pack)} · ${esc(s.file)} · virtual ${formatVirtualDuration(s.virtualEndMs - s.virtualStartMs)} from ${formatVirtualInstant(s.virtualStartMs)} UTC · wall ${formatWallMs(s.wallMs)} · seed ${seed}</span></summary>
${failures}
<h3>Timeline (virtual time, UTC)</h3>
<div class="timeline"></div>
<table class="events">
<thead><tr><th>T+</th><th>virtual time (UTC)</th><th>lane</th><th>event</th><th>detail</th><th>DUIS</th></tr></thead>
<tbody>
${events || '<tr><td colspan="6" class="none">no events</td></tr>'}
</tbody>
</table>
<h3>DUIS documents (${s.duis.length})</h3>
${duis || '<p class="none">none</p>'}
</details>`;
}

/**
 * A scenario's DUIS documents, packed for the page: deflated (node:zlib, raw) and base64, inflated in the browser
 * (DecompressionStream) only when a document is opened. Signed DUIS documents are most of a report; packed, a page
 * of the built-in packs is a fraction of its size, and carries every document, so it needs no duis/ beside it.
 * Each entry is [display] or [display, exact] (the exact bytes when the reading layout changed them).
 */
function packedDuis(s: ScenarioResult): string {
  const docs = s.duis.map((d) => {
    const display = displayXml(d.xml);
    return display === d.xml ? [display] : [display, d.xml];
  });
  return deflateRawSync(Buffer.from(JSON.stringify(docs), 'utf8'), { level: 9 }).toString('base64');
}

/** JSON inside <script>: no `<` may end the element early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** A device command's frames, shown on a click: `→` what the harness sent, `←` what it received, hex a byte apart. */
function frameBytes(frames: NonNullable<TimelineEvent['frames']>): string {
  const lines = [...frames.sent.map((hex) => `→ ${spaced(hex)}`), ...frames.received.map((hex) => `← ${spaced(hex)}`)];
  if (lines.length === 0) return '';
  return `<details class="frame-bytes"><summary>bytes</summary><pre>${esc(lines.join('\n'))}</pre></details>`;
}

function spaced(hex: string): string {
  return hex.replace(/(..)(?=.)/g, '$1 ');
}

let library: string | undefined;
/**
 * vis-timeline's standalone UMD bundle (its CSS injected by the bundle itself), without its source-map comment. It
 * holds Graph2d too, which the fleet report draws its charts with (harness/fleet/reportPage.ts).
 */
export function timelineLibrary(): string {
  if (library === undefined) {
    const path = createRequire(import.meta.url).resolve('vis-timeline/standalone/umd/vis-timeline-graph2d.min.js');
    const source = readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    if (/<\/script/i.test(source)) throw new Error(`${path} contains "</script", which would end the inline script early`);
    library = source;
  }
  return library;
}

function pageStyle(): string {
  return readFileSync(new URL('./reportPage.css', import.meta.url), 'utf8');
}

function pageScript(): string {
  return readFileSync(new URL('./reportPage.client.js', import.meta.url), 'utf8');
}
