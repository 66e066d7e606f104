/**
 * fleet.html: one self-contained page (no network) of a simulation's figures: the parameters, the totals against
 * the seeds' figures, a chart per measure drawn by vis-timeline's Graph2d (the same inline bundle as the pack
 * report), and the table of days. The figures are in the page as JSON; the charts are drawn from them in the browser.
 */
import { esc } from '../reports/htmlEscape';
import { jsonForScript, timelineLibrary } from '../reports/htmlReport';
import type { FleetSummary } from './fleetOutputs';

const STYLE = `
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th { background: #f3f3f3; } .chart { margin: 0.5em 0 1.5em; } .note { color: #555; }
`;

/** The charts: id, title, and the series each draws (a day field, or a function of the day in the client). */
const CLIENT = `
const data = JSON.parse(document.getElementById('fleet-data').textContent);
const DAY = 86400000;
const x = (day) => new Date(day.day * DAY);
const charts = {
  'chart-outcomes': { style: 'bar', series: {
    migrated: (d) => d.migrated, 'electricity only': (d) => d.migratedElectricityOnly,
    rejected: (d) => Object.values(d.rejected).reduce((a, b) => a + b, 0),
    'failed, rolled back': (d) => d.failedRolledBack, excluded: (d) => d.excluded } },
  'chart-rft': { style: 'line', series: { 'right first time %': (d) => d.rightFirstTimePercent } },
  'chart-durations': { style: 'line', series: {
    'itron mean min': (d) => d.duration.itron.meanMinutes, 'itron p95 min': (d) => d.duration.itron.p95Minutes,
    'elster mean min': (d) => d.duration.elster.meanMinutes, 'elster p95 min': (d) => d.duration.elster.p95Minutes } },
  'chart-alerts': { style: 'bar', series: Object.fromEntries(Object.keys(data.totals.alerts).map((code) => [code, (d) => d.alerts[code] ?? 0])) },
  'chart-backlog': { style: 'line', series: { backlog: (d) => d.backlog, cap: (d) => d.cap } },
};
const last = data.days.length === 0 ? 1 : data.days.length;
for (const [id, chart] of Object.entries(charts)) {
  const groups = new vis.DataSet(Object.keys(chart.series).map((name) => ({ id: name, content: name })));
  const items = [];
  for (const [name, value] of Object.entries(chart.series)) {
    for (const day of data.days) {
      const y = value(day);
      if (y !== null && y !== undefined) items.push({ x: x(day), y, group: name });
    }
  }
  new vis.Graph2d(document.getElementById(id), new vis.DataSet(items), groups, {
    style: chart.style, stack: chart.style === 'bar', barChart: { width: 40, align: 'center', sideBySide: chart.style !== 'bar' },
    drawPoints: chart.style === 'line', interpolation: false, legend: true, height: '260px',
    start: new Date(-DAY), end: new Date(last * DAY), showMajorLabels: false,
    format: { minorLabels: (date) => 'day ' + (Math.round(date.valueOf() / DAY) + 1) },
  });
  document.getElementById(id).dataset.points = String(items.length);
}
document.body.dataset.ready = 'true';
`;

function cell(value: unknown): string {
  return `<td>${esc(
    value === null || value === undefined
      ? '–'
      : typeof value === 'object'
        ? Object.entries(value)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')
        : String(value),
  )}</td>`;
}

export function fleetReportPage(summary: FleetSummary): string {
  const t = summary.totals;
  const days = summary.days
    .map(
      (d) =>
        `<tr>${[d.day + 1, d.cap, d.capHeld ? 'held' : '', d.started, d.attempted, d.migrated, d.migratedElectricityOnly, d.rejected, d.failedRolledBack, d.excluded, d.rightFirstTimePercent, d.duration.itron.meanMinutes, d.duration.itron.p95Minutes, d.duration.elster.meanMinutes, d.duration.elster.p95Minutes, d.backlog, d.alerts].map(cell).join('')}</tr>`,
    )
    .join('\n');
  const chart = (id: string, title: string) => `<h2>${esc(title)}</h2><div class="chart" id="${id}"></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>smets1 simulate: seed ${summary.seed}, rules ${summary.rules}</title>
<style>${STYLE}</style></head><body>
<h1>Fleet migration simulation</h1>
<p>Seed ${summary.seed}, rules ${esc(summary.rules)}, ${summary.dayCount} day(s). Every migration ran on emulated devices through the DUIS gateway, DSP and S1SP, all of them on the run's one SMSO test PKI and S1SP signing party (from the seed; each installation has its own devices and draws); the parameters marked assumed in fleet.json are guesses (docs/fleet.md).</p>
<table id="totals"><tr><th>started</th><th>attempted</th><th>migrated</th><th>electricity only</th><th>rejected</th><th>failed, rolled back</th><th>excluded</th><th>gas retries migrated</th><th>GT01/GTA8 of dormant rejections</th></tr>
<tr>${[t.started, t.attempted, t.migrated, t.migratedElectricityOnly, t.rejected, t.failedRolledBack, t.excluded, t.gasRetrySuccessPercent === null ? null : `${t.gasRetrySuccessPercent} % (OPSG_34: 77 %)`, t.rejectedGt01Gta8Percent === null ? null : `${t.rejectedGt01Gta8Percent} % (OPSG_34: 55 %)`].map(cell).join('')}</tr></table>
${chart('chart-outcomes', 'Outcomes per day')}
${chart('chart-rft', 'Right first time (migrated, or correctly rejected at the start)')}
${chart('chart-durations', 'Migration duration per vendor (minutes)')}
${chart('chart-alerts', 'Alerts per day by code')}
${chart('chart-backlog', 'Backlog and daily cap')}
<h2>Days</h2>
<table id="days"><tr><th>day</th><th>cap</th><th>review</th><th>started</th><th>attempted</th><th>migrated</th><th>electricity only</th><th>rejected</th><th>failed</th><th>excluded</th><th>RFT %</th><th>itron mean</th><th>itron p95</th><th>elster mean</th><th>elster p95</th><th>backlog</th><th>alerts</th></tr>
${days}</table>
<script type="application/json" id="fleet-data">${jsonForScript(summary)}</script>
<script>${timelineLibrary()}</script>
<script>${CLIENT}</script>
</body></html>
`;
}
