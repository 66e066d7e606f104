/**
 * The DCC's RTDS request templates, as @smartdcc/duis-templates ships them (`templates/*.XML`), read straight from
 * the package's folder: name, SRV, command variant, RequestID and the SR's name from the DCC's request matrix.
 * (The package's own loader keys templates by use case and SRV, so templates sharing both hide each other: 264 of
 * 293. Every file is listed here.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { requestMatrixEntry } from '../dsp/roleMatrix';
import { asTree, optText } from '../duis/requestBodies';
import { elementTree, parseXmlDocument } from '../duis/xmlDocument';

export interface RtdsTemplate {
  /** File name without `_REQUEST_DUIS.XML`, e.g. `CCS01_8.11_SUCCESS`. */
  readonly name: string;
  readonly fileName: string;
  readonly srv: string;
  readonly srName: string;
  readonly commandVariant: string;
  readonly requestId: string;
  readonly xml: string;
}

const SUFFIX = /_REQUEST_DUIS\.XML$/i;
let cache: RtdsTemplate[] | undefined;

function templateDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@smartdcc/duis-templates/package.json')), 'templates');
}

export function rtdsTemplates(): readonly RtdsTemplate[] {
  if (cache !== undefined) return cache;
  const dir = templateDirectory();
  cache = readdirSync(dir)
    .filter((f) => f.toUpperCase().endsWith('.XML'))
    .sort()
    .map((fileName) => {
      const xml = readFileSync(join(dir, fileName), 'utf8');
      // read as XML, by path (sr:Request/sr:Header/…), as every DUIS document here is
      const header = asTree(asTree(elementTree(parseXmlDocument(xml).document.documentElement)).Header);
      const pick = (tag: string) => optText(header, tag)?.trim() ?? '';
      const srv = pick('ServiceReferenceVariant');
      return {
        name: fileName.replace(SUFFIX, ''),
        fileName,
        srv,
        srName: requestMatrixEntry(srv)?.['Service Request Name'] ?? '',
        commandVariant: pick('CommandVariant'),
        requestId: pick('RequestID'),
        xml,
      };
    });
  return cache;
}

let byName: Map<string, RtdsTemplate> | undefined;

/** The template with this name or file name (case-insensitive), if any. */
export function findTemplate(name: string): RtdsTemplate | undefined {
  // a migration looks up a dozen templates: indexed once, not 293 names upper-cased at each look-up; the first
  // template in file order holding a name keeps it, as a search in that order would find it
  if (byName === undefined) {
    byName = new Map();
    for (const template of rtdsTemplates()) {
      for (const key of [template.name.toUpperCase(), template.fileName.toUpperCase()])
        if (!byName.has(key)) byName.set(key, template);
    }
  }
  return byName.get(name.toUpperCase());
}

/** The request template of an SR by number, as a pack's `sr: { srv }` sends it: a SUCCESS one of that SRV first. */
export function srvTemplate(srv: string): RtdsTemplate | undefined {
  return (
    rtdsTemplates().find((t) => t.srv === srv && /SUCCESS/i.test(t.name)) ?? rtdsTemplates().find((t) => t.srv === srv)
  );
}

/** Templates whose name, SRV or SR name contains every word of `filter` (case-insensitive). */
export function searchTemplates(filter = ''): RtdsTemplate[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return rtdsTemplates().filter((t) => {
    const haystack = `${t.name} ${t.srv} ${t.srName}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}
