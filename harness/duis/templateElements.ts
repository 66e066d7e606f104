/**
 * Writing values into a DCC request template (an RTDS template, a pack's SR): the template is parsed once as a tree
 * (parseXmlDocument), each named DUIS element's text is set on that tree and the tree is serialised, so a value is
 * always text: a pack value holding `<`, `&` or `]]>` is escaped, never read as markup. Editing the text with regular
 * expressions would paste such a value into the document as elements.
 */
import { boundedMemo } from '../../common/boundedMemo';
import type { Element, Node } from './dom/nodes';
import { serialise } from './dom/serialiser';
import { NS } from './namespaces';
import { parseXmlDocument } from './xmlDocument';

/**
 * Each template's tree, parsed once: a migration writes a dozen requests from the same few templates, and the parse
 * was most of the cost. A request is written on the shared tree and the template's own text is put back before
 * setRequestElements returns (it never yields, so no other request can see the tree meanwhile).
 */
const templateTrees = boundedMemo(64, (xml: string) => parseXmlDocument(xml).document);

/** One DUIS (`sr:`) element's new text; the first element of that local name in document order gets it. */
export type ElementValue = readonly [name: string, value: string];

/** `where` names the template in an error (e.g. `RTDS template CCS01_8.11_SUCCESS`). */
export function setRequestElements(xml: string, values: readonly ElementValue[], where: string): string {
  const document = templateTrees(xml);
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
