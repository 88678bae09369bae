/**
 * Test fixtures for the catalogue: set files written to a temporary directory, optionally next
 * to copies of the shipped sets, with builders that take overrides.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIPPED_SETS_DIR } from './catalog.ts';

export type Json = Record<string, unknown>;

/** Write `files` (name → JSON value or raw text) into a new temporary directory. */
export function tempSetDir(files: Record<string, unknown>, opts: { withShipped?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'datchuan-sets-'));
  if (opts.withShipped) cpSync(SHIPPED_SETS_DIR, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return dir;
}

export function indicatorFile(overrides: Json = {}): Json {
  return {
    code: '1.1',
    name: 'Có quy hoạch',
    kind: 'boolean',
    target: { op: 'is', value: true },
    source: { decision: 'test' },
    verified: false,
    ...overrides,
  };
}

export function baseSetFile(overrides: Json = {}): Json {
  return {
    formatVersion: 1,
    id: 'base',
    name: 'Bộ gốc',
    phase: '2021-2025',
    level: 'ntm',
    scope: 'national',
    decision: { number: '1/QĐ-TTg', date: '2022-01-01', appendix: 'Phụ lục I' },
    validFrom: '2022-01-01',
    validTo: '2025-12-31',
    specialRegion: { dbkk: 'TDMNPB' },
    flags: [{ code: 'has_craft', name: 'Xã có nghề truyền thống' }],
    criteria: [
      {
        code: '1',
        name: 'Quy hoạch',
        critical: false,
        indicators: [indicatorFile(), indicatorFile({ code: '1.2', name: 'Tỷ lệ', kind: 'percent', unit: '%', target: { op: '>=', value: { byRegion: {} } } })],
      },
      { code: '2', name: 'Giao thông', critical: true, indicators: [indicatorFile({ code: '2.1', name: 'Đường', kind: 'percent', target: { op: '>=', value: 90 } })] },
    ],
    ...overrides,
  };
}

export function childSetFile(changes: unknown[], overrides: Json = {}): Json {
  return {
    formatVersion: 1,
    id: 'child',
    name: 'Bộ tỉnh',
    phase: '2021-2025',
    level: 'ntm',
    scope: 'provincial',
    province: { code: '35', name: 'Hà Nam' },
    decision: { number: '2/QĐ-UBND', date: '2022-02-01' },
    validFrom: '2022-02-01',
    validTo: '2025-12-31',
    basedOn: 'base',
    changes,
    ...overrides,
  };
}
