/**
 * The project's own DOM for DUIS documents: exactly the part of the W3C DOM interface the harness reads and writes
 * (node types, siblings, namespaced elements and attributes, text content, the few mutations the signer, the tree
 * builder and the template writer make), as plain classes. @xmldom/xmldom did this job and was about a fifth of a
 * migration's CPU in the profile, mostly in building and collecting its general-purpose nodes; this one has nothing
 * the harness does not use. Names follow the W3C DOM so a reader reads like one. Every walk is iterative, so no
 * tree, however deep, exhausts the call stack.
 *
 * Why no class here extends another: the project runs under tsx, whose esbuild transform keeps names
 * (`static { __name(this, 'Text') }`), and redefining `name` on a derived class makes V8 give up optimising every
 * `new` of it (the super constructor can no longer be assumed; measured: about 115 ns instead of 3 per node, and
 * the parser never reaching optimised code). So each node kind is a class of its own, `Node` and `ParentNode` are
 * unions (a switch on `nodeType` narrows them), and the child-list operations Element and Document share are
 * functions both delegate to. Fields are set in the constructors (`declare`): as ES2022 class fields every node
 * paid a define per field.
 */

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;
export const PROCESSING_INSTRUCTION_NODE = 7;
export const COMMENT_NODE = 8;
export const DOCUMENT_NODE = 9;

/** The W3C constants every node also carries (`child.nodeType === child.ELEMENT_NODE`), shared on the prototypes. */
interface NodeTypeConstants {
  readonly ELEMENT_NODE: typeof ELEMENT_NODE;
  readonly TEXT_NODE: typeof TEXT_NODE;
  readonly CDATA_SECTION_NODE: typeof CDATA_SECTION_NODE;
  readonly PROCESSING_INSTRUCTION_NODE: typeof PROCESSING_INSTRUCTION_NODE;
  readonly COMMENT_NODE: typeof COMMENT_NODE;
  readonly DOCUMENT_NODE: typeof DOCUMENT_NODE;
}

const CONSTANTS: NodeTypeConstants = {
  ELEMENT_NODE,
  TEXT_NODE,
  CDATA_SECTION_NODE,
  PROCESSING_INSTRUCTION_NODE,
  COMMENT_NODE,
  DOCUMENT_NODE,
};

export type Node = Element | Text | CDATASection | Comment | ProcessingInstruction | Document;
/** A node that holds children. */
export type ParentNode = Element | Document;

/** Text, CDATA, comment: character data, and the links every node has (a leaf's children are always null). */
interface Leaf {
  parentNode: ParentNode | null;
  previousSibling: Node | null;
  nextSibling: Node | null;
  readonly firstChild: null;
  readonly lastChild: null;
  data: string;
}

function initLeaf(node: Leaf, data: string): void {
  const fields = node as { -readonly [K in keyof Leaf]: Leaf[K] };
  fields.parentNode = null;
  fields.previousSibling = null;
  fields.nextSibling = null;
  fields.firstChild = null;
  fields.lastChild = null;
  fields.data = data;
}

export class Text {
  constructor(data: string) {
    initLeaf(this as Leaf, data);
  }
  get nodeType(): typeof TEXT_NODE {
    return TEXT_NODE;
  }
  get nodeName(): '#text' {
    return '#text';
  }
  get nodeValue(): string {
    return this.data;
  }
}

export class CDATASection {
  constructor(data: string) {
    initLeaf(this as Leaf, data);
  }
  get nodeType(): typeof CDATA_SECTION_NODE {
    return CDATA_SECTION_NODE;
  }
  get nodeName(): '#cdata-section' {
    return '#cdata-section';
  }
  get nodeValue(): string {
    return this.data;
  }
}

export class Comment {
  constructor(data: string) {
    initLeaf(this as Leaf, data);
  }
  get nodeType(): typeof COMMENT_NODE {
    return COMMENT_NODE;
  }
  get nodeName(): '#comment' {
    return '#comment';
  }
  get nodeValue(): string {
    return this.data;
  }
}

export class ProcessingInstruction {
  declare readonly target: string;

  constructor(target: string, data: string) {
    initLeaf(this as Leaf, data);
    this.target = target;
  }
  get nodeType(): typeof PROCESSING_INSTRUCTION_NODE {
    return PROCESSING_INSTRUCTION_NODE;
  }
  get nodeName(): string {
    return this.target;
  }
  get nodeValue(): string {
    return this.data;
  }
}

/**
 * A text node whose data is computed the first time it is read, `compute(from)`, and is then that string for good:
 * a signature's digest and value, which most signed responses never need (xmlSignature.ts signTree). `compute` must
 * depend only on what is fixed when the node is made. The data cannot be written (a getter without a setter: strict
 * code throws), and the node is a Text in every other respect, so every reader of text reads it unawares. A class of
 * its own (the getter on its prototype) rather than a Text given an own getter: that turned each such node into a
 * dictionary-mode object, some 3 µs apiece. The memo sits in an object of its own, so freezing the node (a signed
 * tree is frozen) leaves it writable.
 */
export function textOnDemand<T>(compute: (from: T) => string, from: T): Text {
  return new TextOnDemand(compute, from) as unknown as Text;
}

class TextOnDemand<T> {
  declare parentNode: ParentNode | null;
  declare previousSibling: Node | null;
  declare nextSibling: Node | null;
  declare readonly firstChild: null;
  declare readonly lastChild: null;
  declare private readonly compute: (from: T) => string;
  declare private readonly from: T;
  declare private readonly memo: { data: string | undefined };

  constructor(compute: (from: T) => string, from: T) {
    this.parentNode = null;
    this.previousSibling = null;
    this.nextSibling = null;
    (this as { firstChild: null }).firstChild = null;
    (this as { lastChild: null }).lastChild = null;
    this.compute = compute;
    this.from = from;
    this.memo = { data: undefined };
  }
  get data(): string {
    return (this.memo.data ??= this.compute(this.from));
  }
  get nodeType(): typeof TEXT_NODE {
    return TEXT_NODE;
  }
  get nodeName(): '#text' {
    return '#text';
  }
  get nodeValue(): string {
    return this.data;
  }
}

export interface Text extends Leaf, NodeTypeConstants {}
export interface CDATASection extends Leaf, NodeTypeConstants {}
export interface Comment extends Leaf, NodeTypeConstants {}
export interface ProcessingInstruction extends Leaf, NodeTypeConstants {}

/** An attribute: its qualified name split at the colon, the namespace its prefix is bound to, its value. */
export class Attr {
  declare readonly namespaceURI: string | null;
  declare readonly name: string;
  declare readonly prefix: string | null;
  declare readonly localName: string;
  declare value: string;

  constructor(namespaceURI: string | null, name: string, prefix: string | null, localName: string, value: string) {
    this.namespaceURI = namespaceURI;
    this.name = name;
    this.prefix = prefix;
    this.localName = localName;
    this.value = value;
  }
}

/** A namespace declaration (`xmlns` or `xmlns:p`): not data, so readers of attributes pass over it. */
export function isNamespaceDeclaration(attribute: Attr): boolean {
  return attribute.name === 'xmlns' || attribute.prefix === 'xmlns';
}

export class Element {
  declare parentNode: ParentNode | null;
  declare previousSibling: Node | null;
  declare nextSibling: Node | null;
  declare firstChild: Node | null;
  declare lastChild: Node | null;
  declare readonly namespaceURI: string | null;
  /** The qualified name, as written: `sr:Request`. */
  declare readonly nodeName: string;
  declare readonly prefix: string | null;
  declare readonly localName: string;
  /** In the order written (or set), as a serialiser writes them back. */
  declare readonly attributes: Attr[];

  constructor(namespaceURI: string | null, nodeName: string, prefix: string | null, localName: string) {
    this.parentNode = null;
    this.previousSibling = null;
    this.nextSibling = null;
    this.firstChild = null;
    this.lastChild = null;
    this.namespaceURI = namespaceURI;
    this.nodeName = nodeName;
    this.prefix = prefix;
    this.localName = localName;
    this.attributes = [];
  }

  get nodeType(): typeof ELEMENT_NODE {
    return ELEMENT_NODE;
  }
  get nodeValue(): null {
    return null;
  }

  getAttribute(name: string): string | null {
    return this.attributeNode(name)?.value ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.attributeNode(name) !== undefined;
  }

  /** An attribute without a namespace (`Algorithm`); replaces one of that name. */
  setAttribute(name: string, value: string): void {
    const existing = this.attributeNode(name);
    if (existing !== undefined) existing.value = value;
    else this.attributes.push(new Attr(null, name, null, name, value));
  }

  /** A namespaced attribute (`xmlns:ds` in the xmlns namespace); replaces one of that namespace and local name. */
  setAttributeNS(namespace: string | null, qualifiedName: string, value: string): void {
    const colon = qualifiedName.indexOf(':');
    const localName = qualifiedName.slice(colon + 1);
    const existing = this.attributes.find((a) => a.namespaceURI === namespace && a.localName === localName);
    if (existing !== undefined) existing.value = value;
    else
      this.attributes.push(
        new Attr(namespace, qualifiedName, colon < 0 ? null : qualifiedName.slice(0, colon), localName, value),
      );
  }

  /** The text of every text and CDATA node below, in document order (comments and instructions left out). */
  get textContent(): string {
    let text = '';
    let node: Node | null = this.firstChild;
    while (node !== null) {
      if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) text += node.data;
      else if (node.firstChild !== null) {
        node = node.firstChild;
        continue;
      }
      node = following(node, this);
    }
    return text;
  }

  /** Replaces every child with one text node (none for the empty string, as the DOM says). */
  set textContent(value: string) {
    while (this.firstChild !== null) this.removeChild(this.firstChild);
    if (value !== '') this.appendChild(new Text(value));
  }

  appendChild<T extends Node>(child: T): T {
    return appendChild(this, child);
  }
  removeChild<T extends Node>(child: T): T {
    return removeChild(this, child);
  }
  replaceChild<T extends Node>(replacement: Node, old: T): T {
    return replaceChild(this, replacement, old);
  }
  getElementsByTagNameNS(namespace: string | null, localName: string): Element[] {
    return elementsByNamespace(this, namespace, localName);
  }
  getElementsByTagName(qualifiedName: string): Element[] {
    return elementsByName(this, qualifiedName);
  }

  private attributeNode(name: string): Attr | undefined {
    for (const attribute of this.attributes) if (attribute.name === name) return attribute;
    return undefined;
  }
}

export class Document {
  declare parentNode: null;
  declare previousSibling: null;
  declare nextSibling: null;
  declare firstChild: Node | null;
  declare lastChild: Node | null;

  constructor() {
    this.parentNode = null;
    this.previousSibling = null;
    this.nextSibling = null;
    this.firstChild = null;
    this.lastChild = null;
  }

  get nodeType(): typeof DOCUMENT_NODE {
    return DOCUMENT_NODE;
  }
  get nodeName(): '#document' {
    return '#document';
  }
  get nodeValue(): null {
    return null;
  }

  /**
   * The document's one element child. A parsed document always has one (the parser refuses a text without), and a
   * built one gets it first thing; asking before then is a programming error, not a state to handle.
   */
  get documentElement(): Element {
    for (let child = this.firstChild; child !== null; child = child.nextSibling)
      if (child.nodeType === ELEMENT_NODE) return child;
    throw new Error('the document has no document element yet');
  }

  appendChild<T extends Node>(child: T): T {
    return appendChild(this, child);
  }
  removeChild<T extends Node>(child: T): T {
    return removeChild(this, child);
  }
  replaceChild<T extends Node>(replacement: Node, old: T): T {
    return replaceChild(this, replacement, old);
  }
  getElementsByTagNameNS(namespace: string | null, localName: string): Element[] {
    return elementsByNamespace(this, namespace, localName);
  }
  getElementsByTagName(qualifiedName: string): Element[] {
    return elementsByName(this, qualifiedName);
  }
}

export interface Element extends NodeTypeConstants {}
export interface Document extends NodeTypeConstants {}

for (const kind of [Text, TextOnDemand, CDATASection, Comment, ProcessingInstruction, Element, Document])
  Object.assign(kind.prototype, CONSTANTS);

/** A node's links as the child-list operations write them (a document is never a child, a leaf never a parent). */
interface Linked {
  parentNode: ParentNode | null;
  previousSibling: Node | null;
  nextSibling: Node | null;
}

/*
 * The child-list operations write the links of the node that leaves or joins a list, and of its siblings, before the
 * parent's own: a signed tree's content is frozen but its document element is not (freezeContent), and a change to
 * that element's child list then throws at a frozen child before anything has changed.
 */

/** Appends `child`, first taking it out of wherever it was; returns it. */
function appendChild<T extends Node>(parent: ParentNode, child: T): T {
  const linked = child as Linked;
  detach(child);
  const last = parent.lastChild;
  if (last !== null) (last as Linked).nextSibling = child;
  linked.parentNode = parent;
  linked.previousSibling = last;
  if (last === null) parent.firstChild = child;
  parent.lastChild = child;
  return child;
}

function removeChild<T extends Node>(parent: ParentNode, child: T): T {
  if (child.parentNode !== parent) throw new Error(`${child.nodeName} is not a child of ${parent.nodeName}`);
  detach(child);
  return child;
}

/** Puts `replacement` (taken out of wherever it was) where `old` is; returns `old`, now detached. */
function replaceChild<T extends Node>(parent: ParentNode, replacement: Node, old: T): T {
  if (old.parentNode !== parent) throw new Error(`${old.nodeName} is not a child of ${parent.nodeName}`);
  if ((replacement as Node) === old) return old;
  detach(replacement);
  const [linked, gone] = [replacement as Linked, old as Linked];
  const { previousSibling: previous, nextSibling: next } = gone;
  gone.parentNode = null;
  gone.previousSibling = null;
  gone.nextSibling = null;
  if (previous !== null) (previous as Linked).nextSibling = replacement;
  if (next !== null) (next as Linked).previousSibling = replacement;
  linked.parentNode = parent;
  linked.previousSibling = previous;
  linked.nextSibling = next;
  if (previous === null) parent.firstChild = replacement;
  if (next === null) parent.lastChild = replacement;
  return old;
}

function detach(node: Node): void {
  const linked = node as Linked;
  const { parentNode: parent, previousSibling: previous, nextSibling: next } = linked;
  if (parent === null) return;
  linked.parentNode = null;
  linked.previousSibling = null;
  linked.nextSibling = null;
  if (previous !== null) (previous as Linked).nextSibling = next;
  if (next !== null) (next as Linked).previousSibling = previous;
  if (previous === null) parent.firstChild = next;
  if (next === null) parent.lastChild = previous;
}

/** The descendant elements in document order whose namespace and local name match (`*` matches any). */
function elementsByNamespace(root: ParentNode, namespace: string | null, localName: string): Element[] {
  return descendants(
    root,
    (element) =>
      (namespace === '*' || element.namespaceURI === namespace) &&
      (localName === '*' || element.localName === localName),
  );
}

/** The descendant elements in document order with this qualified name (`*` matches any). */
function elementsByName(root: ParentNode, qualifiedName: string): Element[] {
  return descendants(root, (element) => qualifiedName === '*' || element.nodeName === qualifiedName);
}

function descendants(root: ParentNode, match: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  let node: Node | null = root.firstChild;
  while (node !== null) {
    if (node.nodeType === ELEMENT_NODE) {
      if (match(node)) found.push(node);
      if (node.firstChild !== null) {
        node = node.firstChild;
        continue;
      }
    }
    node = following(node, root);
  }
  return found;
}

/** The next node in document order after `node` and its subtree, staying inside `root`. */
function following(node: Node, root: ParentNode): Node | null {
  let at: Node | null = node;
  while (at !== null && at !== root) {
    if (at.nextSibling !== null) return at.nextSibling;
    at = at.parentNode;
  }
  return null;
}

/**
 * Makes everything inside `element` immutable: its attributes, and every node below it (their links, attributes and
 * text). `element` itself can still be moved as a whole (its own links stay writable), which is how a signed document
 * is grafted into a response envelope; its child list is its children's links, frozen: every operation on it throws
 * at a frozen child before anything has changed (the child-list operations above write the parent's links last).
 * Its own firstChild and lastChild were once made read-only as well, which cost more than freezing every other node
 * (a property made read-only on one object of a shared map: about 0.7 µs each). For a tree whose text is written
 * after it was signed: any change would make that text differ from what was signed, so a change throws (every module
 * here is strict) instead.
 */
export function freezeContent(element: Element): void {
  freezeAttributes(element);
  let node: Node | null = element.firstChild;
  while (node !== null) {
    if (node.nodeType === ELEMENT_NODE) freezeAttributes(node);
    Object.freeze(node);
    if (node.firstChild !== null) node = node.firstChild;
    else node = following(node, element);
  }
}

function freezeAttributes(element: Element): void {
  // most elements have none: one shared frozen list costs less than freezing an empty list each
  if (element.attributes.length === 0) (element as { attributes: Attr[] }).attributes = NO_ATTRIBUTES;
  else {
    for (const attribute of element.attributes) Object.freeze(attribute);
    Object.freeze(element.attributes);
  }
}

const NO_ATTRIBUTES = Object.freeze([]) as unknown as Attr[];
