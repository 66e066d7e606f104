/**
 * Writing values into a DCC request template (an RTDS template, a pack's SR): the template is parsed once as a tree
 * (parseXmlDocument), each named DUIS element's text is set on that tree and the tree is serialised, so a value is
 * always text: a pack value holding `<`, `&` or `]]>` is escaped, never read as markup. Editing the text with regular
 * expressions would paste such a value into the document as elements. The tree is walked and written once per template
 * and set of names (a cut, below); each request after that is the cut's pieces with its values, escaped as text by the
 * serialiser, between them: the same bytes.
 */
import { boundedMemo } from '../../common/boundedMemo';
import type { Document, Element, Node } from './dom/nodes';
import { escapedText, serialise } from './dom/serialiser';
import { NS } from './namespaces';
import { parseXmlDocument } from './xmlDocument';

/**
 * Each template, parsed once, and its cuts: a migration writes a dozen requests from the same few templates, and the
 * parse was most of the cost. A cut is the template's text with the elements one caller sets taken out (Cut below),
 * kept per set of names: a caller sets the same names on every request it makes (the migration's seven builders, a
 * pack step's params), so in a fleet a few dozen cuts serve every installation, whatever its seed. Bounded on both
 * levels: 64 templates, 16 sets of names each.
 */
const templates = boundedMemo(64, (xml: string) => ({
  document: parseXmlDocument(xml).document,
  cuts: new Map<string, Cut | undefined>(),
}));
const MAX_CUTS_PER_TEMPLATE = 16;

/** One DUIS (`sr:`) element's new text; the first element of that local name in document order gets it. */
export type ElementValue = readonly [name: string, value: string];

/**
 * A template serialised with a marker in place of each element to set, split at the markers: a request is the pieces
 * with its values between them, each escaped by the serialiser itself, the bytes serialising the edited tree gives
 * without walking a tree of up to 26 KB per request. The marker holds NUL, which no XML text can (a template that
 * somehow does is simply not cut).
 */
interface Cut {
  /** The text between the set elements' values, one more than `slotOrder`. */
  readonly pieces: readonly string[];
  /** For each gap between pieces, in document order: the index in `names` of the element whose value goes there. */
  readonly slotOrder: readonly number[];
  /** The names set, each once, in the order they were first given. */
  readonly names: readonly string[];
}

const MARKER = '\u0000';

/** `where` names the template in an error (e.g. `RTDS template CCS01_8.11_SUCCESS`). */
export function setRequestElements(xml: string, values: readonly ElementValue[], where: string): string {
  const template = templates(xml);
  // an empty value leaves the element empty, which the serialiser writes as <a/>: that one request takes the tree
  if (values.some(([, value]) => value === '')) return writeOnTree(template.document, xml, values, where);
  const names = [...new Set(values.map(([name]) => name))];
  const key = names.join(MARKER);
  let cut = template.cuts.get(key);
  if (cut === undefined && !template.cuts.has(key)) {
    // the tree refuses a missing element or one holding elements, naming it, before anything is remembered
    cut = cutTemplate(template.document, xml, names, where);
    template.cuts.set(key, cut);
    if (template.cuts.size > MAX_CUTS_PER_TEMPLATE) template.cuts.delete(template.cuts.keys().next().value!);
  }
  if (cut === undefined || !sameNames(cut.names, names)) return writeOnTree(template.document, xml, values, where);
  const text = new Map<string, string>();
  for (const [name, value] of values) text.set(name, value);
  let out = cut.pieces[0];
  for (let gap = 0; gap < cut.slotOrder.length; gap++)
    out += escapedText(text.get(cut.names[cut.slotOrder[gap]])!) + cut.pieces[gap + 1];
  return out;
}

function cutTemplate(document: Document, xml: string, names: readonly string[], where: string): Cut | undefined {
  const marked = writeOnTree(
    document,
    xml,
    names.map((name, i) => [name, `${MARKER}${i}${MARKER}`]),
    where,
  );
  const parts = marked.split(MARKER);
  if (parts.length !== 2 * names.length + 1) return undefined;
  const pieces: string[] = [];
  const slotOrder: number[] = [];
  parts.forEach((part, i) => (i % 2 === 0 ? pieces.push(part) : slotOrder.push(Number(part))));
  return { pieces, slotOrder, names };
}

/** A key joins names with NUL: a name holding NUL could give another list the same key, so the names are compared. */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/**
 * The values set on the template's tree, the tree serialised, then the template's own text put back before it returns
 * (it never yields, so no other request can see the tree meanwhile).
 */
function writeOnTree(document: Document, xml: string, values: readonly ElementValue[], where: string): string {
  const templateText: [Element, Node[]][] = [];
  try {
    for (const [name, value] of values) {
      const element = document.getElementsByTagNameNS(NS.sr, name)[0];
      if (element === undefined) throw new Error(`${where} has no element ${name} to set`);
      // a value replaces text only: setting it on an element with children would silently delete them
      const children: Node[] = [];
      for (let child = element.firstChild; child !== null; child = child.nextSibling) {
        if (child.nodeType === child.ELEMENT_NODE)
          throw new Error(`${where}: ${name} holds elements, not a value to set`);
        children.push(child);
      }
      templateText.push([element, children]);
      element.textContent = value;
    }
    // the serialiser drops what follows the document element (the templates' final newline): keep the text's own
    return serialise(document) + xml.slice(xml.trimEnd().length);
  } finally {
    // latest first, so an element set twice gets the template's text back, not the first value
    for (const [element, children] of templateText.reverse()) {
      while (element.firstChild !== null) element.removeChild(element.firstChild);
      for (const child of children) element.appendChild(child);
    }
  }
}
