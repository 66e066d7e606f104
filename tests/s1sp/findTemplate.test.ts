// findTemplate looks templates up by name or file name, case-insensitively, from an index built once: the names
// and files here are the package's own (templates/*_REQUEST_DUIS.XML), written out.
import { describe, expect, it } from 'vitest';
import { findTemplate, rtdsTemplates } from '../../harness/bench/rtdsTemplates';

describe('findTemplate', () => {
  it('finds a template by its name or its file name, in any case', () => {
    for (const name of [
      'CCS06_8.9_SUCCESS',
      'ccs06_8.9_success',
      'CCS06_8.9_SUCCESS_REQUEST_DUIS.XML',
      'Ccs06_8.9_Success_Request_Duis.xml',
    ]) {
      const template = findTemplate(name);
      expect(template?.fileName).toBe('CCS06_8.9_SUCCESS_REQUEST_DUIS.XML');
      expect(template?.srv).toBe('8.9');
    }
    expect(findTemplate('ECS45_7.4_SUCCESS')?.srv).toBe('7.4');
  });

  it('finds nothing for a name no template has (nor a part of one)', () => {
    for (const name of ['NO_SUCH_TEMPLATE', 'CCS06_8.9', '', 'CCS06_8.9_SUCCESS_REQUEST_DUIS'])
      expect(findTemplate(name)).toBeUndefined();
  });

  it('hands out the one object per file that the full list holds, whichever is asked first', () => {
    const found = findTemplate('GCS28Commission_8.1.1_SUCCESS');
    expect(found?.fileName).toBe('GCS28Commission_8.1.1_SUCCESS_REQUEST_DUIS.XML');
    expect(found?.srv).toBe('8.1.1');
    const listed = rtdsTemplates().find((t) => t.fileName === 'GCS28Commission_8.1.1_SUCCESS_REQUEST_DUIS.XML');
    expect(listed).toBe(found);
    expect(findTemplate('gcs28commission_8.1.1_success_request_duis.xml')).toBe(found);
  });
});
