/**
 * The strict parser of DUIS documents into the project's DOM (nodes.ts). It reads XML 1.0 with namespaces as far
 * as a document without a DTD can use it, and refuses everything else rather than recovering: elements, attributes
 * (duplicates refused, values normalised as XML 1.0 3.3.3 says for CDATA attributes), namespace declarations and
 * prefixes (an undeclared prefix is an error), the five predefined entities and character references (only to
 * characters XML allows), CDATA sections, comments, and the XML declaration. No DOCTYPE and no processing
 * instruction: DUIS has neither, and the gateway's screen (xmlDocument.ts) refuses them before this parser is
 * reached; the parser refuses them again so it is safe on its own. Line ends are normalised first (CR LF and CR to
 * LF, XML 1.0 2.11). Every error names what is wrong and its line and column.
 *
 * One pass, no recursion: open elements are an explicit stack, and an element deeper than `maxDepth` is refused the
 * moment its start tag is read, so no depth of nesting costs more than the limit.
 */
import { XML_NAMESPACE, XMLNS_NAMESPACE } from '../namespaces';
import { Attr, CDATASection, Comment, Document, Element, ProcessingInstruction, Text } from './nodes';

/** Not well-formed (or nested deeper than the reader's limit): what, and where (`line L, column C`). */
export class XmlSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly position: string,
    readonly tooDeep = false,
  ) {
    super(`${problem}, at ${position}`);
  }
}

/** Parses `text` (a whole document) or throws XmlSyntaxError. */
export function parseDom(text: string, maxDepth: number): Document {
  return new DomParser(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text, maxDepth).parse();
}

/** `line L, column C` (both from 1) of `offset` in `text`. */
export function positionOf(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

// XML 1.0 fifth edition, 2.3 [4], [4a]
const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F' +
  '\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
const WHOLE_NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');
/** NAME_START and NAME_CHAR as far as ASCII goes, taken from them, by code: bits NAME_STARTS and NAME_CONTINUES. */
const NAME_STARTS = 1;
const NAME_CONTINUES = 2;
const ASCII_NAME = new Uint8Array(0x80);
for (let code = 0; code < 0x80; code++) {
  const c = String.fromCharCode(code);
  if (new RegExp(`[${NAME_START}]`, 'u').test(c)) ASCII_NAME[code] |= NAME_STARTS;
  if (new RegExp(`[${NAME_CHAR}]`, 'u').test(c)) ASCII_NAME[code] |= NAME_CONTINUES;
}
/** XML 1.0 2.2 [2]: anything else (C0 controls, lone surrogates, U+FFFE, U+FFFF) may not appear at all. */
const NOT_A_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** A text of XML 1.0 2.2 [2]'s characters in the BMP alone (no surrogate, paired or not): NOT_A_CHAR finds nothing in it. */
const ONLY_BMP_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;
const DECLARATION =
  /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\n]*\?>/y;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
/** Above this many attributes on one element, duplicates are found with a set rather than by scanning. */
const FEW_ATTRIBUTES = 16;

/** What an element without attributes declares (most elements of a request): one array for all of them. */
const NOTHING_DECLARED: readonly string[] = [];

interface OpenElement {
  readonly element: Element;
  /** The prefixes it declared ('' for the default), undeclared again when it closes. */
  readonly declared: readonly string[];
  readonly start: number;
}

interface RawAttribute {
  readonly name: string;
  readonly value: string;
  readonly start: number;
}

class DomParser {
  private readonly document = new Document();
  private readonly open: OpenElement[] = [];
  /**
   * Each prefix's bindings, innermost last: declaring pushes, closing the declaring element pops, so resolving a
   * prefix costs the same however deep the document or however many declarations it has.
   */
  private readonly bindings = new Map<string, string[]>([['xml', [XML_NAMESPACE]]]);
  private root: Element | undefined;
  /**
   * The prefix ('' for the default) resolved last and what it was bound to then, until a declaration comes into or
   * goes out of scope: a document's elements mostly share one or two prefixes, each looked up in `bindings` once.
   */
  private lastPrefix: string | undefined = undefined;
  private lastNamespace: string | undefined = undefined;
  /**
   * Whether the document holds `]]>` or `&` anywhere: most hold neither, and then no run of text needs looking
   * through for them (one search of the document instead of two of every run between tags).
   */
  private readonly cdataEnds: boolean;
  private readonly ampersands: boolean;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.cdataEnds = text.includes(']]>');
    this.ampersands = text.includes('&');
  }

  parse(): Document {
    const { text } = this;
    // the usual document passes the first test, one greedy run over it, in about two thirds of the time of the search
    // for a character it may not hold; anything else (a character outside the BMP, or one not allowed) is searched
    const bad = ONLY_BMP_CHARS.test(text) ? null : NOT_A_CHAR.exec(text);
    if (bad !== null) {
      const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      this.fail(bad.index, `the character U+${code} is not allowed in XML`);
    }
    let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    at = this.declaration(at);
    for (;;) {
      const lt = text.indexOf('<', at);
      const end = lt < 0 ? text.length : lt;
      if (end > at) this.characters(at, end, lt < 0);
      if (lt < 0) break;
      at = this.markup(lt);
    }
    const unclosed = this.open.at(-1);
    if (unclosed !== undefined)
      this.fail(unclosed.start, `the element ${clip(unclosed.element.nodeName)} is not closed`);
    if (this.root === undefined) this.fail(text.length, 'no document element');
    return this.document;
  }

  /** The XML declaration, kept as the processing instruction `xml` (its data as written, as xmldom kept it). */
  private declaration(at: number): number {
    const { text } = this;
    if (!text.startsWith('<?xml', at) || !isWhitespace(text.charCodeAt(at + 5))) return at;
    DECLARATION.lastIndex = at;
    const match = DECLARATION.exec(text);
    if (match === null)
      this.fail(at, 'a malformed XML declaration (version, then optional encoding and standalone, expected)');
    let dataStart = at + 5;
    while (isWhitespace(text.charCodeAt(dataStart))) dataStart++;
    const end = at + match[0].length;
    this.document.appendChild(new ProcessingInstruction('xml', text.slice(dataStart, end - 2)));
    return end;
  }

  /** Character data from `start` to `end`; `last`: nothing follows it in the document. */
  private characters(start: number, end: number, last: boolean): void {
    const { text } = this;
    const parent = this.open.at(-1)?.element;
    if (parent === undefined) {
      for (let i = start; i < end; i++) {
        if (isWhitespace(text.charCodeAt(i))) continue;
        if (this.root === undefined && last) this.fail(i, 'no document element');
        this.fail(i, `text ${this.root === undefined ? 'before' : 'after'} the document element`);
      }
      // whitespace between the top-level nodes is kept as xmldom kept it (the serialiser writes it back), but not
      // the run that ends the text
      if (!last) this.document.appendChild(new Text(text.slice(start, end)));
      return;
    }
    const raw = text.slice(start, end);
    const cdataEnd = this.cdataEnds ? raw.indexOf(']]>') : -1;
    if (cdataEnd >= 0) this.fail(start + cdataEnd, "']]>' in text (it may only end a CDATA section)");
    const data = this.ampersands && raw.includes('&') ? this.references(raw, start, false) : raw;
    // one text node for one run of text, as xmldom's normalise left it: an empty CDATA section splits nothing
    const previous = parent.lastChild;
    if (previous instanceof Text) previous.data += data;
    else parent.appendChild(new Text(data));
  }

  /** The markup at `lt` (a `<`); returns the offset after it. */
  private markup(lt: number): number {
    const { text } = this;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) return this.endTag(lt);
    if (next === 0x3f /* ? */)
      this.fail(lt, 'a processing instruction is not allowed in a DUIS document (only the leading XML declaration)');
    if (next !== 0x21 /* ! */) return this.startTag(lt);
    if (text.startsWith('<!--', lt)) return this.comment(lt);
    if (text.startsWith('<![CDATA[', lt)) return this.cdata(lt);
    if (text.startsWith('<!DOCTYPE', lt)) this.fail(lt, 'a DOCTYPE is not allowed in a DUIS document');
    return this.fail(lt, "'<!' that starts neither a comment nor a CDATA section");
  }

  private comment(lt: number): number {
    const end = this.text.indexOf('-->', lt + 4);
    if (end < 0) this.fail(lt, 'a comment is not closed');
    const data = this.text.slice(lt + 4, end);
    const dashes = data.indexOf('--');
    if (dashes >= 0) this.fail(lt + 4 + dashes, "'--' inside a comment");
    if (data.endsWith('-')) this.fail(end - 1, "a comment may not end with '--->'");
    (this.open.at(-1)?.element ?? this.document).appendChild(new Comment(data));
    return end + 3;
  }

  private cdata(lt: number): number {
    const parent = this.open.at(-1)?.element;
    if (parent === undefined) this.fail(lt, 'a CDATA section outside the document element');
    const end = this.text.indexOf(']]>', lt + 9);
    if (end < 0) this.fail(lt, 'a CDATA section is not closed');
    // an empty section leaves no node, as xmldom left none (the serialised form stays the same)
    if (end > lt + 9) parent.appendChild(new CDATASection(this.text.slice(lt + 9, end)));
    return end + 3;
  }

  private endTag(lt: number): number {
    const { text } = this;
    // the usual case, the open element's own name then `>`: no name to read and compare
    const open = this.open.at(-1);
    if (open !== undefined) {
      const expected = open.element.nodeName;
      const after = lt + 2 + expected.length;
      if (text.charCodeAt(after) === 0x3e /* > */ && text.slice(lt + 2, after) === expected) {
        this.open.pop();
        this.undeclare(open.declared);
        return after + 1;
      }
    }
    const name = this.name(lt + 2, 'an element name after </');
    let at = this.skipWhitespace(lt + 2 + name.length);
    if (text.charCodeAt(at) !== 0x3e /* > */) this.fail(at, `'>' expected to end </${clip(name)}`);
    at++;
    const closed = this.open.pop();
    if (closed === undefined) this.fail(lt, `the end tag </${clip(name)}> closes no element`);
    if (closed.element.nodeName !== name)
      this.fail(
        lt,
        `the end tag </${clip(name)}> does not match <${clip(closed.element.nodeName)}> (${positionOf(text, closed.start)})`,
      );
    this.undeclare(closed.declared);
    return at;
  }

  private startTag(lt: number): number {
    const { text } = this;
    const name = this.name(lt + 1, "an element name after '<'");
    let at = lt + 1 + name.length;
    const attributes: RawAttribute[] = [];
    let names: Set<string> | undefined;
    let selfClosing = false;
    for (;;) {
      const before = at;
      at = this.skipWhitespace(at);
      const c = text.charCodeAt(at);
      if (c === 0x3e /* > */) {
        at++;
        break;
      }
      if (c === 0x2f /* / */ && text.charCodeAt(at + 1) === 0x3e) {
        at += 2;
        selfClosing = true;
        break;
      }
      if (at >= text.length) this.fail(lt, `the start tag <${clip(name)} is not closed`);
      if (at === before) this.fail(at, `whitespace, '>' or '/>' expected in the start tag <${clip(name)}`);
      const attribute = this.attribute(at, name);
      if (attributes.length === FEW_ATTRIBUTES) names = new Set(attributes.map((a) => a.name));
      const twice = names === undefined ? attributes.some((a) => a.name === attribute.name) : names.has(attribute.name);
      if (twice) this.fail(at, `the attribute ${clip(attribute.name)} appears twice in <${clip(name)}>`);
      names?.add(attribute.name);
      attributes.push(attribute);
      at = attribute.end;
    }
    const parent = this.open.at(-1);
    if (parent === undefined && this.root !== undefined) this.fail(lt, `a second document element <${clip(name)}>`);
    if (this.open.length + 1 > this.maxDepth)
      throw new XmlSyntaxError(`elements nested deeper than ${this.maxDepth}`, positionOf(text, lt), true);
    const declared = this.declare(attributes);
    const element = this.element(lt, name, attributes);
    if (parent === undefined) {
      this.root = element;
      this.document.appendChild(element);
    } else parent.element.appendChild(element);
    if (selfClosing) this.undeclare(declared);
    else this.open.push({ element, declared, start: lt });
    return at;
  }

  /** One `name="value"` at `at`. */
  private attribute(at: number, element: string): RawAttribute & { readonly end: number } {
    const { text } = this;
    const name = this.name(at, `an attribute name in <${clip(element)}`);
    let next = this.skipWhitespace(at + name.length);
    if (text.charCodeAt(next) !== 0x3d /* = */) this.fail(next, `'=' expected after the attribute ${clip(name)}`);
    next = this.skipWhitespace(next + 1);
    const quote = text[next];
    if (quote !== '"' && quote !== "'") this.fail(next, `the value of ${clip(name)} must be quoted`);
    const end = text.indexOf(quote, next + 1);
    if (end < 0) this.fail(next, `the value of ${clip(name)} is not closed`);
    const raw = text.slice(next + 1, end);
    const lessThan = raw.indexOf('<');
    if (lessThan >= 0) this.fail(next + 1 + lessThan, `'<' in the value of ${clip(name)}`);
    return { name, value: this.attributeValue(raw, next + 1), start: at, end: end + 1 };
  }

  /** XML 1.0 3.3.3 for a CDATA attribute: each literal TAB and LF (CR is LF by now) is a space; references are not. */
  private attributeValue(raw: string, start: number): string {
    if (this.ampersands && raw.includes('&')) return this.references(raw, start, true);
    return raw.includes('\t') || raw.includes('\n') ? raw.replace(/[\t\n]/g, ' ') : raw;
  }

  /** Binds an element's `xmlns` and `xmlns:p` declarations; returns the prefixes it declared. */
  private declare(attributes: readonly RawAttribute[]): readonly string[] {
    if (attributes.length === 0) return NOTHING_DECLARED;
    const declared: string[] = [];
    for (const { name, value, start } of attributes) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
      const prefix = name === 'xmlns' ? '' : name.slice(6);
      if (prefix !== '') {
        this.qualifiedName(name, start);
        if (prefix === 'xmlns') this.fail(start, 'the prefix xmlns may not be declared');
        if (value === '') this.fail(start, `${clip(name)} may not be empty (a prefix cannot be undeclared in XML 1.0)`);
      }
      if (prefix === 'xml' ? value !== XML_NAMESPACE : value === XML_NAMESPACE)
        this.fail(start, `the prefix xml and the namespace ${XML_NAMESPACE} belong only to each other`);
      if (value === XMLNS_NAMESPACE) this.fail(start, `the namespace ${XMLNS_NAMESPACE} may not be declared`);
      const stack = this.bindings.get(prefix);
      if (stack === undefined) this.bindings.set(prefix, [value]);
      else stack.push(value);
      declared.push(prefix);
      this.lastPrefix = undefined;
    }
    return declared;
  }

  private undeclare(declared: readonly string[]): void {
    if (declared.length === 0) return;
    for (const prefix of declared) this.bindings.get(prefix)!.pop();
    this.lastPrefix = undefined;
  }

  private element(lt: number, name: string, attributes: readonly RawAttribute[]): Element {
    const colon = this.qualifiedName(name, lt + 1);
    const prefix = colon < 0 ? null : name.slice(0, colon);
    if (prefix === 'xmlns') this.fail(lt, `the element ${clip(name)} uses the prefix xmlns`);
    const element = new Element(
      this.namespaceOf(prefix, lt, name),
      name,
      prefix,
      colon < 0 ? name : name.slice(colon + 1),
    );
    let keys: Set<string> | undefined;
    for (const { name: attribute, value, start } of attributes) {
      const at = this.qualifiedName(attribute, start);
      const attributePrefix = at < 0 ? null : attribute.slice(0, at);
      const localName = at < 0 ? attribute : attribute.slice(at + 1);
      const namespace =
        attribute === 'xmlns' || attributePrefix === 'xmlns'
          ? XMLNS_NAMESPACE
          : attributePrefix === null
            ? null
            : this.namespaceOf(attributePrefix, start, attribute);
      if (namespace !== null && namespace !== XMLNS_NAMESPACE) {
        // Namespaces in XML 1.0 6.3: two names for one namespace and local name are the same attribute
        const key = `${namespace} ${localName}`;
        if (keys === undefined && attributes.length > FEW_ATTRIBUTES) keys = new Set();
        const twice =
          keys === undefined
            ? element.attributes.some((a) => a.namespaceURI === namespace && a.localName === localName)
            : keys.has(key);
        if (twice) this.fail(start, `the attribute ${clip(attribute)} of <${clip(name)}> appears twice by namespace`);
        keys?.add(key);
      }
      element.attributes.push(new Attr(namespace, attribute, attributePrefix, localName, value));
    }
    return element;
  }

  private namespaceOf(prefix: string | null, at: number, name: string): string | null {
    const key = prefix ?? '';
    let namespace: string | undefined;
    if (key === this.lastPrefix) namespace = this.lastNamespace;
    else {
      namespace = this.bindings.get(key)?.at(-1);
      this.lastPrefix = key;
      this.lastNamespace = namespace;
    }
    if (prefix === null) return namespace === undefined || namespace === '' ? null : namespace;
    if (namespace === undefined) this.fail(at, `the prefix ${clip(prefix)} of ${clip(name)} is not declared`);
    return namespace;
  }

  /** Checks `name` is a QName (at most one colon, a name either side); returns the colon's index or -1. */
  private qualifiedName(name: string, at: number): number {
    const colon = name.indexOf(':');
    if (colon === 0 || colon === name.length - 1 || (colon > 0 && name.indexOf(':', colon + 1) >= 0))
      this.fail(at, `${clip(name)} is not a qualified name (prefix:local)`);
    if (colon > 0 && !localNameStarts(name.charCodeAt(colon + 1)) && !WHOLE_NAME.test(name.slice(colon + 1)))
      this.fail(at, `${clip(name)} is not a qualified name (prefix:local)`);
    return colon;
  }

  /** `raw` with its references replaced (in an attribute, literal TAB and LF become spaces first). */
  private references(raw: string, start: number, attribute: boolean): string {
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
      const literal = raw.slice(from, amp);
      out += attribute ? literal.replace(/[\t\n]/g, ' ') : literal;
      const semicolon = raw.indexOf(';', amp + 1);
      const reference = semicolon < 0 ? '' : raw.slice(amp + 1, semicolon);
      out += this.reference(reference, start + amp);
      from = semicolon + 1;
    }
    const rest = raw.slice(from);
    return out + (attribute ? rest.replace(/[\t\n]/g, ' ') : rest);
  }

  /** The character(s) `&reference;` stands for. */
  private reference(reference: string, at: number): string {
    if (reference.startsWith('#')) {
      const code = /^#[0-9]{1,7}$/.test(reference)
        ? Number(reference.slice(1))
        : /^#x[0-9A-Fa-f]{1,6}$/.test(reference)
          ? parseInt(reference.slice(2), 16)
          : -1;
      if (code < 0) this.fail(at, `'&${clip(reference)};' is not a character reference`);
      if (!isXmlChar(code))
        this.fail(at, `the character reference &${reference}; is to a character XML does not allow`);
      return String.fromCodePoint(code);
    }
    const predefined = PREDEFINED[reference];
    if (predefined !== undefined && Object.hasOwn(PREDEFINED, reference)) return predefined;
    if (WHOLE_NAME.test(reference))
      this.fail(at, `the entity &${clip(reference)}; is not declared (a DUIS document has no DTD)`);
    return this.fail(at, "'&' that starts no reference (write &amp;)");
  }

  private name(at: number, what: string): string {
    const { text } = this;
    // the usual name is ASCII to its end: read by the table, without the pattern's match (its array and its
    // Unicode classes); a name that starts with or reaches a character past ASCII is the pattern's to read
    const first = text.charCodeAt(at);
    if (first < 0x80 && (ASCII_NAME[first] & NAME_STARTS) !== 0) {
      let end = at + 1;
      while (text.charCodeAt(end) < 0x80 && (ASCII_NAME[text.charCodeAt(end)] & NAME_CONTINUES) !== 0) end++;
      if (!(text.charCodeAt(end) >= 0x80)) return text.slice(at, end);
    } else if (first < 0x80 || at >= text.length) this.fail(at, `${what} expected`);
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (match === null) this.fail(at, `${what} expected`);
    return match[0];
  }

  private skipWhitespace(at: number): number {
    while (isWhitespace(this.text.charCodeAt(at))) at++;
    return at;
  }

  private fail(offset: number, problem: string): never {
    throw new XmlSyntaxError(problem, positionOf(this.text, offset));
  }
}

/**
 * Whether a local name starting with `code` is a Name, decided without the pattern: an ASCII letter or `_` (the rest
 * of a name read by NAME are name characters, and a second colon is refused first). Anything else asks WHOLE_NAME.
 */
function localNameStarts(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

/** XML 1.0 2.3 [3] S: space, TAB, LF or CR. */
function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** A name from the document in a message: a hostile one must not make a message of megabytes. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
