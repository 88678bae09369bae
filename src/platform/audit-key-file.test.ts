import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadOrCreateAuditKey } from './audit-key-file.ts';

it('makes the audit key file once (mode 0600) and reads the same key afterwards', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'datchuan-audit-key-'));
  try {
    const first = loadOrCreateAuditKey(path.join(dir, 'data'));
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateAuditKey(path.join(dir, 'data'));
    expect(again).toMatchObject({ created: false });
    expect(again.key.equals(first.key)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
