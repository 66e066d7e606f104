/**
 * Renders the message tables of docs/protocol.md from the command table, so the document cannot drift from the
 * codec: `npm run docs:protocol` rewrites the section between the markers, and a test fails if it is stale.
 */
import { commandTable, type MessageSpec } from '../protocols/commandTable';
import { describeType, type FieldSpec } from '../protocols/fieldTypes';

const BEGIN = '<!-- BEGIN GENERATED MESSAGE TABLES (npm run docs:protocol) -->';
const END = '<!-- END GENERATED MESSAGE TABLES -->';

const hex4 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;
const escape = (text: string) => text.replace(/\|/g, '\\|');

function fieldRows(fields: readonly FieldSpec[]): string[] {
  if (fields.length === 0) return ['| — | | | (no fields) |'];
  return fields.map((f) => {
    const unit = [f.unit, f.range ? `valid ${f.range}` : undefined].filter(Boolean).join('; ');
    return `| \`${f.name}\` | ${escape(describeType(f.type))} | ${escape(unit)} | ${escape(f.doc)} |`;
  });
}

function renderMessage(spec: MessageSpec): string[] {
  const head = `### ${hex4(spec.id)} \`${spec.name}\` (${spec.kind}${spec.sr ? `, SR ${spec.sr}` : ''}; to ${spec.to})`;
  const lines = [head, '', spec.doc, ''];
  const prefix = spec.kind === 'alert' ? [] : ['| `requestId` | u16 | | echoed in the response |'];
  lines.push(
    '| field | wire type | unit / valid range | meaning |',
    '|---|---|---|---|',
    ...prefix,
    ...fieldRows(spec.fields),
    '',
  );
  if (spec.kind !== 'alert') {
    lines.push(
      spec.response
        ? 'Response body (status ok; after `requestId` u16 and `status` u8):'
        : 'Response: `requestId` u16, `status` u8, no body.',
      '',
    );
    if (spec.response)
      lines.push('| field | wire type | unit | meaning |', '|---|---|---|---|', ...fieldRows(spec.response), '');
  }
  return lines;
}

function renderMessageTables(): string {
  const lines = [BEGIN, ''];
  lines.push('| id | message | kind | to |', '|---|---|---|---|');
  for (const spec of commandTable) lines.push(`| ${hex4(spec.id)} | \`${spec.name}\` | ${spec.kind} | ${spec.to} |`);
  lines.push('');
  for (const spec of commandTable) lines.push(...renderMessage(spec));
  lines.push(END);
  return lines.join('\n');
}

/** Replaces the generated section of a document's text. */
export function withMessageTables(document: string): string {
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/protocol.md has no "${BEGIN}" … "${END}" section`);
  return document.slice(0, start) + renderMessageTables() + document.slice(end + END.length);
}
