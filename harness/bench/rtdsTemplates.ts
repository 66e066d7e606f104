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
import { optText } from '../duis/requestBodies';
import { childNamed, parseXmlDocument } from '../duis/xmlDocument';

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

let files: { readonly dir: string; readonly names: readonly string[] } | undefined;

/** The package's template files, in file-name order (listed once). */
function templateFiles(): { readonly dir: string; readonly names: readonly string[] } {
  if (files !== undefined) return files;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@smartdcc/duis-templates/package.json')), 'templates');
  files = {
    dir,
    names: readdirSync(dir)
      .filter((f) => f.toUpperCase().endsWith('.XML'))
      .sort(),
  };
  return files;
}

/** Each file read and parsed once, whichever of rtdsTemplates and findTemplate asks first: one object per file. */
const read = new Map<string, RtdsTemplate>();

function readTemplate(fileName: string): RtdsTemplate {
  const known = read.get(fileName);
  if (known !== undefined) return known;
  const xml = readFileSync(join(templateFiles().dir, fileName), 'utf8');
  // read as XML, by path (sr:Request/sr:Header/…), as every DUIS document here is
  const header = childNamed(parseXmlDocument(xml).document.documentElement, 'Header');
  const pick = (tag: string) => optText(header, tag) ?? '';
  const srv = pick('ServiceReferenceVariant');
  const template: RtdsTemplate = {
    name: fileName.replace(SUFFIX, ''),
    fileName,
    srv,
    srName: requestMatrixEntry(srv)?.['Service Request Name'] ?? '',
    commandVariant: pick('CommandVariant'),
    requestId: pick('RequestID'),
    xml,
  };
  read.set(fileName, template);
  return template;
}

let cache: RtdsTemplate[] | undefined;

export function rtdsTemplates(): readonly RtdsTemplate[] {
  return (cache ??= templateFiles().names.map(readTemplate));
}

let byName: Map<string, string> | undefined;

/** The template with this name or file name (case-insensitive), if any. */
export function findTemplate(name: string): RtdsTemplate | undefined {
  // a migration looks up a dozen templates: indexed once by file name, not 293 names upper-cased at each look-up,
  // and only the templates asked for are read and parsed (a process that migrates needs seven of 293); the first
  // file in name order holding a name keeps it, as a search in that order would find it
  if (byName === undefined) {
    byName = new Map();
    for (const fileName of templateFiles().names) {
      for (const key of [fileName.replace(SUFFIX, '').toUpperCase(), fileName.toUpperCase()])
        if (!byName.has(key)) byName.set(key, fileName);
    }
  }
  const fileName = byName.get(name.toUpperCase());
  return fileName === undefined ? undefined : readTemplate(fileName);
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
