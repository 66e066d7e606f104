// readRequestHeader: the header fields an error response is addressed with, read from the Header element alone, and
// nothing when the document has not exactly one Header (as a read of the whole request's tree gives).
import { describe, expect, it } from 'vitest';
import { parseDuisRequest, readRequestHeader, readRequestTree, requestHeader } from '../../harness/duis/request';
import { parseXmlDocument } from '../../harness/duis/xmlDocument';

const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
const HEADER =
  '<sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000</sr:RequestID>' +
  '<sr:CommandVariant>1</sr:CommandVariant><sr:ServiceReference>7.4</sr:ServiceReference>' +
  '<sr:ServiceReferenceVariant>7.4</sr:ServiceReferenceVariant></sr:Header>';
const BODY = '<sr:Body><sr:ReadSupplyStatus/></sr:Body>';
const request = (inner: string, root = 'sr:Request') =>
  parseXmlDocument(`<${root} xmlns:sr="${SR}" xmlns:x="urn:other" schemaVersion="5.4">${inner}</${root}>`);

describe('readRequestHeader', () => {
  it('reads RequestID, ServiceReference and variant from the one Header', () => {
    expect(readRequestHeader(request(HEADER + BODY))).toEqual({
      requestIdText: '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000',
      serviceReference: '7.4',
      serviceReferenceVariant: '7.4',
    });
  });

  it('leaves out what the Header does not hold, and ignores a Header inside the Body', () => {
    const partial = '<sr:Header><sr:ServiceReference>8.9</sr:ServiceReference></sr:Header>';
    const nested = '<sr:Body><sr:Header><sr:RequestID>a:b:1</sr:RequestID></sr:Header></sr:Body>';
    expect(readRequestHeader(request(partial + nested))).toEqual({ serviceReference: '8.9' });
  });

  it('reads nothing when there is no Header, two of them, or a Header of text only', () => {
    expect(readRequestHeader(request(BODY))).toEqual({});
    expect(readRequestHeader(request(HEADER + HEADER + BODY))).toEqual({});
    expect(readRequestHeader(request(HEADER + '<x:Header>second</x:Header>' + BODY))).toEqual({});
    expect(readRequestHeader(request('<sr:Header>text</sr:Header>' + BODY))).toEqual({});
  });

  it('reads a Header of another namespace as the whole-tree read did (the schema has refused it already)', () => {
    const other = '<x:Header><x:ServiceReferenceVariant>6.15.1</x:ServiceReferenceVariant></x:Header>';
    expect(readRequestHeader(request(other + BODY))).toEqual({ serviceReferenceVariant: '6.15.1' });
  });

  it('reads nothing of a document that is not an sr:Request, or of no document', () => {
    expect(readRequestHeader(request(HEADER + BODY, 'sr:Response'))).toEqual({});
    expect(readRequestHeader(undefined)).toEqual({});
  });
});

// the gateway reads the header from the request's tree it then reads the request from (one walk): the same fields
describe('requestHeader, from the tree of the whole request', () => {
  const fromTree = (inner: string) => requestHeader(readRequestTree(request(inner)));

  it('reads the same fields as readRequestHeader, and nothing where it reads nothing', () => {
    expect(fromTree(HEADER + BODY)).toEqual({
      requestIdText: '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000',
      serviceReference: '7.4',
      serviceReferenceVariant: '7.4',
    });
    expect(
      fromTree(
        '<sr:Header><sr:ServiceReference>8.9</sr:ServiceReference></sr:Header>' +
          '<sr:Body><sr:Header><sr:RequestID>a:b:1</sr:RequestID></sr:Header></sr:Body>',
      ),
    ).toEqual({ serviceReference: '8.9' });
    expect(fromTree(BODY)).toEqual({});
    expect(fromTree(HEADER + HEADER + BODY)).toEqual({});
    expect(fromTree('<sr:Header>text</sr:Header>' + BODY)).toEqual({});
  });

  it('refuses a document that is not an sr:Request', () => {
    expect(() => readRequestTree(request(HEADER + BODY, 'sr:Response'))).toThrow(
      'the document element is not sr:Request',
    );
  });
});

// an admission reads the root's attribute, Signature and Body off the element, not from a plain tree of the whole
// request: the same values as that tree's `@schemaVersion`, `Signature` and `Body` keys (expected values by hand)
describe('requestFrom: schemaVersion, the signature and the body, read off the document element', () => {
  const root = (attributes: string, inner: string) =>
    parseXmlDocument(`<sr:Request xmlns:sr="${SR}" xmlns:x="urn:other" ${attributes}>${inner}</sr:Request>`);
  const read = (attributes: string, inner: string) => parseDuisRequest(root(attributes, inner));

  it('schemaVersion: the last attribute of that local name in any namespace, never a namespace declaration', () => {
    expect(read('schemaVersion="5.4"', HEADER + BODY).schemaVersion).toBe('5.4');
    expect(read('schemaVersion="5.4" x:schemaVersion="9"', HEADER + BODY).schemaVersion).toBe('9');
    expect(read('x:schemaVersion="9" schemaVersion="5.4"', HEADER + BODY).schemaVersion).toBe('5.4');
    expect(read('xmlns:schemaVersion="urn:v"', HEADER + BODY).schemaVersion).toBe('');
    expect(read('', HEADER + BODY).schemaVersion).toBe('');
  });

  it('signed: a Signature child of the root in any namespace, not one deeper', () => {
    expect(read('', HEADER + BODY).signed).toBe(false);
    expect(read('', HEADER + BODY + '<x:Signature/>').signed).toBe(true);
    expect(read('', HEADER + '<x:Signature><x:a/></x:Signature>' + BODY).signed).toBe(true);
    expect(
      read('', HEADER + '<sr:Body><sr:ReadSupplyStatus><x:Signature/></sr:ReadSupplyStatus></sr:Body>').signed,
    ).toBe(false);
  });

  it('the body of the one Body child; none read from two Bodies or a Body of text', () => {
    expect(read('', HEADER + BODY)).toMatchObject({
      bodyElement: 'ReadSupplyStatus',
      body: { kind: 'ReadSupplyStatus' },
    });
    expect(() => read('', HEADER + BODY + BODY)).toThrow('Body must hold exactly one element, found 0');
    expect(() => read('', HEADER + '<sr:Body>text</sr:Body>')).toThrow('Body must hold exactly one element, found 0');
    expect(() => read('', HEADER + '<sr:Body><sr:ReadSupplyStatus/><sr:ReadDeviceLog/></sr:Body>')).toThrow(
      'Body must hold exactly one element, found 2',
    );
  });
});
