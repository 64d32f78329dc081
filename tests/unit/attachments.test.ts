import { describe, expect, it } from 'vitest';
import { attachmentIdsIn, attachmentUrl } from '../../src/server/attachments/attachments.ts';
import { sanitizeName } from '../../src/server/attachments/names.ts';
import { fileIdFrom } from '../../src/server/attachments/serve.ts';
import { isInlineImage, servedType } from '../../src/server/attachments/types.ts';

describe('attachment names', () => {
  it('keeps the last path part, drops controls and direction overrides, keeps Chinese', () => {
    expect(sanitizeName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeName('C:\\Users\\me\\报告.docx')).toBe('报告.docx');
    expect(sanitizeName(' a\u0000b\u0007\u0085c\u202egnp.exe ')).toBe('abcgnp.exe');
    expect(sanitizeName('e\u0301.txt')).toBe('\u00e9.txt'); // NFC
  });

  it('refuses names that are empty, only dots or too long', () => {
    for (const bad of ['', '   ', '..', 'a/..', '\u0001', 'x'.repeat(256)]) expect(() => sanitizeName(bad), JSON.stringify(bad)).toThrow();
    expect(sanitizeName('长'.repeat(255))).toHaveLength(255);
  });
});

describe('attachment URLs', () => {
  it('are built from id and name, and found again in Markdown, relative or absolute', () => {
    expect(attachmentUrl(12, 'a b/#.png')).toBe('/files/12/a%20b%2F%23.png');
    expect(attachmentIdsIn('![x](/files/12/a.png) [y](https://wiki.example/files/7/y.pdf) /files/12/again `files/9/` /files/x/')).toEqual([12, 7]);
    expect(fileIdFrom('/files/42/name.png')).toBe(42);
    expect(fileIdFrom('/files/abc/name.png')).toBeNaN();
  });
});

describe('attachment types', () => {
  it('shows raster images inline and never serves a type a browser would run', () => {
    expect(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'].every(isInlineImage)).toBe(true);
    expect(['image/svg+xml', 'text/html', 'application/pdf', 'image/tiff'].some(isInlineImage)).toBe(false);
    for (const active of ['image/svg+xml', 'text/html', 'application/xhtml+xml', 'application/xml', 'text/javascript']) expect(servedType(active)).toBe('application/octet-stream');
    expect(servedType('application/pdf')).toBe('application/pdf');
  });
});
