/** Links a reader may follow (evidence, meeting attachments) and file names from clients. */
import { expect, it } from 'vitest';
import { cleanLink, cleanRefs, isSafeLink } from './input.ts';
import { isDomainError } from './errors.ts';
import { safeFileName } from './text.ts';

it('accepts http(s) links and paths on this server, refuses script, data, file and protocol-relative links', () => {
  for (const ok of ['https://ninhbinh.gov.vn/qd-123.pdf', 'http://example.vn', 'HTTPS://EXAMPLE.VN/a?b=c#d', '/api/v1/attachments/7']) expect([ok, isSafeLink(ok)]).toEqual([ok, true]);
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd', '//evil.example/x', '/\\evil.example', 'https://', 'https:/x', 'ftp://x.vn/a', 'quyet-dinh.pdf', 'https://x.vn/a b']) {
    expect([bad, isSafeLink(bad)]).toEqual([bad, false]);
  }
});

it('refuses a bad link naming the field, in both languages; empty links are no links', () => {
  expect(cleanLink('  https://x.vn/a  ', 'url')).toBe('https://x.vn/a');
  expect(cleanLink('   ', 'url')).toBeNull();
  const e = (() => {
    try {
      cleanRefs([{ title: 'Quyết định', url: 'https://x.vn' }, { title: 'Bấm vào đây', url: ' javascript:alert(document.cookie)' }], 'attachments');
    } catch (x) {
      return x;
    }
  })();
  expect(isDomainError(e) && e.code).toBe('validation_failed');
  expect(isDomainError(e) && e.details).toMatchObject({ fields: [{ field: 'attachments[1].url' }] });
  expect(isDomainError(e) && e.messageVi).toContain('chỉ nhận địa chỉ http:// hoặc https://');
});

it('keeps only a safe last segment of a client file name', () => {
  expect(safeFileName('../../etc/cron.d/x.pdf')).toBe('x.pdf');
  expect(safeFileName('C:\\Users\\a\\Quyết định.pdf')).toBe('Quyết định.pdf');
  expect(safeFileName('x\r\n.pdf')).toBe('x__.pdf');
  expect(safeFileName('..')).toBe('');
  expect(safeFileName(' . ')).toBe('');
  expect(safeFileName('a\u200bb\u2066c.pdf')).toBe('a_b_c.pdf');
});
