/**
 * CLI contract of `datchuan catalog …` and `datchuan evaluate`: JSON shapes, exit codes 0/2 and
 * one-line bilingual errors naming the offending key. The contract cases spawn the real binary
 * (`node bin/datchuan.mjs`); the rest run the same commands in-process.
 */
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getCatalog, SHIPPED_SETS_DIR } from '../../catalog/catalog.ts';
import { baseSetFile, tempSetDir } from '../../catalog/test-fixtures.ts';
import { DomainError } from '../../domain/errors.ts';
import { registerCatalogCommands } from './catalog.ts';
import { evaluateText, registerEvaluateCommand, toEvaluateOutput } from './evaluate.ts';

// The catalogue commands also read the sets of the configured database when it exists: these tests
// use the shipped files alone, whatever ./data holds (the binary cases inherit this too).
const NO_DATABASE = join(tmpdir(), 'datchuan-no-database', 'none.sqlite');
process.env.DATABASE_URL = `sqlite:${NO_DATABASE}`;

const DEMO = 'ha-nam-nang-cao-2021-2025-minh-hoa';
const BIN = join(import.meta.dirname, '../../../bin/datchuan.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Run the commands in this process: stdout captured, a DomainError returned instead of exiting. */
async function runHere(args: string[]): Promise<{ stdout: string; error: unknown }> {
  const program = new Command().name('datchuan').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerCatalogCommands(program);
  registerEvaluateCommand(program);
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  let error: unknown = null;
  try {
    await program.parseAsync(['node', 'datchuan', ...args]);
  } catch (e) {
    error = e;
  } finally {
    spy.mockRestore();
  }
  return { stdout, error };
}

const input = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ commune: { code: '13510', name: 'Tràng An', region: 'DBSH' }, asOf: '2023-03-20', values, ...extra });

describe('binary contract (spawns node bin/datchuan.mjs)', () => {
  const cases: Record<string, { args: string[]; input?: string }> = {
    list: { args: ['catalog', 'list', '--json'] },
    show: { args: ['catalog', 'show', DEMO, '--region', 'DBSH', '--year', '2023', '--json'] },
    showDate: { args: ['catalog', 'show', 'xa-ntm-2021-2025', '--date', '2024-03-01', '--region', 'TN', '--json'] },
    showBadDate: { args: ['catalog', 'show', 'xa-ntm-2021-2025', '--date', '2024-02-30', '--json'] },
    evaluate: { args: ['evaluate', '--set', DEMO, '--input', '-', '--json'], input: input({ '5.1': 80, '10': 70, has_traditional_craft: true }) },
    unknownSet: { args: ['evaluate', '--set', 'xa-khong-co', '--input', '-', '--json'], input: input({}) },
    unknownIndicator: { args: ['evaluate', '--set', DEMO, '--input', '-', '--json'], input: input({ '5.1': 80, '99.1': 3 }) },
    wrongType: { args: ['evaluate', '--set', DEMO, '--input', '-', '--json'], input: input({ '5.1': 'tám mươi' }) },
    malformed: { args: ['evaluate', '--set', DEMO, '--input', '-', '--json'], input: '{ "commune": { "code": "1", }' },
  };
  const results: Record<string, Run> = {};

  beforeAll(async () => {
    // Two at a time: the machine has two cores and each run loads the whole CLI.
    const names = Object.keys(cases);
    for (let i = 0; i < names.length; i += 2) {
      await Promise.all(
        names.slice(i, i + 2).map(async (n) => {
          results[n] = await run(cases[n]!.args, cases[n]!.input);
        }),
      );
    }
  }, 120_000);

  it('catalog list --json: an array of { id, name, phase, level, basedOn, criteria, indicators, verified }', () => {
    const r = results.list!;
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(list.find((s) => s.id === DEMO)).toMatchObject({
      id: DEMO,
      name: expect.stringContaining('minh họa'),
      phase: '2021-2025',
      level: 'nang-cao',
      basedOn: 'xa-ntm-nang-cao-2021-2025',
      criteria: 19,
      indicators: 75,
      verified: false,
    });
    // The contract only grows: every field of before issue 13 is kept, version/status/provenance are added.
    const before = ['id', 'name', 'phase', 'level', 'basedOn', 'criteria', 'indicators', 'verified', 'verifiedIndicators', 'scope', 'demo', 'validFrom', 'validTo', 'decision'];
    for (const s of list) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining([...before, 'version', 'status', 'provenance']));
      expect(typeof s.criteria).toBe('number');
      expect(typeof s.indicators).toBe('number');
      expect(typeof s.verified).toBe('boolean');
      expect(s.status).toBe('published');
      const p = s.provenance as Record<string, number>;
      expect(Object.keys(p).sort()).toEqual(['official', 'reconstructed', 'secondary']);
      expect(p.official! + p.secondary! + p.reconstructed!).toBe(s.indicators);
    }
    // Provenance counts per shipped set version (nothing is official: nothing was checked against the official text).
    expect(list.map((s) => [s.id, s.version, s.provenance])).toEqual([
      ['xa-ntm-2021-2025', 1, { official: 0, secondary: 11, reconstructed: 45 }],
      ['xa-ntm-2021-2025', 2, { official: 0, secondary: 15, reconstructed: 41 }],
      ['xa-ntm-nang-cao-2021-2025', 1, { official: 0, secondary: 4, reconstructed: 25 }],
      ['xa-ntm-kieu-mau-2021-2025', 1, { official: 0, secondary: 3, reconstructed: 0 }],
      [DEMO, 1, { official: 0, secondary: 0, reconstructed: 75 }],
      ['xa-ntm-2026-2030', 1, { official: 0, secondary: 0, reconstructed: 0 }],
    ]);
  });

  it('catalog show --date --json: the version valid on the date, with provenance per indicator', () => {
    const r = results.showDate!;
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout);
    expect([shown.id, shown.version, shown.validFrom, shown.context.year]).toEqual(['xa-ntm-2021-2025', 2, '2024-03-01', 2024]);
    const all = shown.criteria.flatMap((c: { indicators: unknown[] }) => c.indicators) as Array<{ code: string; kind: string; provenance: { level: string; source: Record<string, unknown> | null }; conditions: unknown[] | null }>;
    for (const i of all) expect(Object.keys(i)).toEqual(expect.arrayContaining(['code', 'name', 'kind', 'unit', 'target', 'basis', 'scale', 'applicableIf', 'verified', 'provenance']));
    const i154 = all.find((i) => i.code === '15.4')!;
    expect(i154.kind).toBe('boolean');
    expect(i154.provenance).toEqual({ level: 'secondary', source: { number: '211/QĐ-TTg', date: '2024-03-01', issuer: 'Thủ tướng Chính phủ', ref: expect.any(String), url: expect.stringMatching(/^https:\/\/laocai\.gov\.vn\//) } });
    expect(all.find((i) => i.code === '1.1')!.provenance).toEqual({ level: 'reconstructed', source: null });
    expect(all.find((i) => i.code === '5')!.conditions).toHaveLength(2);
    expect(results.showBadDate!.code).toBe(2);
    expect(results.showBadDate!.stderr).toContain('--date "2024-02-30"');
  });

  it('catalog show --json: targets resolved for the region and year', () => {
    const r = results.show!;
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout);
    expect(Object.keys(shown)).toEqual(expect.arrayContaining(['id', 'name', 'phase', 'level', 'criteria']));
    const income = shown.criteria.find((c: { code: string }) => c.code === '10');
    expect(income).toMatchObject({ code: '10', name: 'Thu nhập', critical: true });
    expect(income.indicators[0]).toMatchObject({ code: '10', kind: 'number', unit: 'triệu đồng/người/năm', target: { op: '>=', value: 64 }, verified: false });
  });

  it('evaluate --json: exit 0 with the summary shape, whatever the verdict', () => {
    const r = results.evaluate!;
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      set: DEMO,
      asOf: '2023-03-20',
      // Only Thu nhập (one indicator, 70 ≥ 64) is met; 5.1 is not; the rest have no data.
      criteria: { met: 1, total: 19 },
      indicators: { met: 1, total: 75, notEvaluable: 73, notApplicable: 0 },
      level: null,
      meetsStandard: false,
    });
    const education = out.unmet.find((c: { code: string }) => c.code === '5');
    expect(education.indicators[0]).toMatchObject({ code: '5.1', value: 80, target: { op: '>=', value: 100 }, reason: { vi: expect.stringContaining('Chưa đạt'), en: expect.stringContaining('Not met') } });
  });

  it.each([
    ['unknownSet', 'xa-khong-co', 'Không có bộ tiêu chí', 'Unknown criteria set'],
    ['unknownIndicator', 'values["99.1"]', 'không có trong Bộ tiêu chí', 'is not in the criteria set'],
    ['wrongType', 'values["5.1"]', 'cần một số', 'expected a number'],
    ['malformed', 'stdin', 'JSON không hợp lệ (dòng 1', 'malformed JSON (line 1'],
  ])('%s: exit 2, one line in Vietnamese / English naming %s', (name, key, vi, en) => {
    const r = results[name]!;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const [viPart, enPart] = lines[0]!.split(' / ');
    expect(viPart).toContain(key);
    expect(viPart).toContain(vi);
    expect(enPart).toContain(key);
    expect(lines[0]).toContain(en);
  });
});

describe('catalog commands in-process', () => {
  it('show: null targets with a basis when the region is not given; refuses a bad --group', async () => {
    const { stdout } = await runHere(['catalog', 'show', 'xa-ntm-2021-2025', '--json']);
    const road = JSON.parse(stdout).criteria[1].indicators[1];
    expect(road.target).toEqual({ op: '>=', value: null });
    expect(road.basis.en).toContain('varies by region');
    const bad = await runHere(['catalog', 'show', 'xa-ntm-2026-2030', '--group', '4']);
    expect(bad.error).toBeInstanceOf(DomainError);
    expect((bad.error as DomainError).oneLine).toContain('--group "4"');
  });

  it('counts --json', async () => {
    const { stdout } = await runHere(['catalog', 'counts', 'xa-ntm-nang-cao-2021-2025', '--json']);
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ id: 'xa-ntm-nang-cao-2021-2025', criteria: 19, indicators: 29, pendingCriteria: ['8', '13', '15', '16', '17', '18'] })]);
  });

  it('diff with one set compares it to its base; refuses a set without base', async () => {
    const { stdout } = await runHere(['catalog', 'diff', DEMO, '--json']);
    const d = JSON.parse(stdout);
    expect([d.from, d.to, d.indicators.added.length]).toEqual(['xa-ntm-nang-cao-2021-2025', DEMO, 46]);
    const { error } = await runHere(['catalog', 'diff', 'xa-ntm-2021-2025@1']);
    expect((error as DomainError).code).toBe('invalid_value');
    // Version 2 is based on version 1: its diff is Decision 211's amendments.
    const v2 = JSON.parse((await runHere(['catalog', 'diff', 'xa-ntm-2021-2025', '--json'])).stdout);
    expect(v2.indicators.changed.map((c: { code: string }) => c.code).sort()).toEqual(['13.1', '15.4', '17.1', '18.4']);
  });

  it('lint: the shipped files pass; a broken file fails with invalid_catalog naming file and path', async () => {
    const ok = await runHere(['catalog', 'lint', join(SHIPPED_SETS_DIR, `${DEMO}.json`), '--json']);
    expect(ok.error).toBeNull();
    expect(JSON.parse(ok.stdout)[0]).toMatchObject({ setId: DEMO, errors: [] });
    const dir = tempSetDir({ 'base.json': baseSetFile({ level: 'vàng' }) });
    const bad = await runHere(['catalog', 'lint', join(dir, 'base.json')]);
    const e = bad.error as DomainError;
    expect(e.code).toBe('invalid_catalog');
    expect(e.messageVi).toMatch(/base\.json \$\.level: "vàng" không thuộc/);
    expect(e.message).toMatch(/base\.json \$\.level: "vàng" is not one of/);
    expect(bad.stdout).toContain('lỗi/error');
  });

  it('list --in-force filters by date', async () => {
    const { stdout } = await runHere(['catalog', 'list', '--json', '--in-force', '2026-06-01']);
    expect(JSON.parse(stdout).map((s: { id: string }) => s.id)).toEqual(['xa-ntm-2026-2030']);
  });
});

describe('evaluate in-process', () => {
  it('reads a file, takes --recognised, and --full adds the verdict tree', async () => {
    const set = getCatalog().get('xa-ntm-kieu-mau-2021-2025');
    const dir = tempSetDir({});
    const file = join(dir, 'in.json');
    writeFileSync(file, input({ '1': 80, '2': 1, '3': true }, { asOf: '2024-01-10' }));
    const { stdout, error } = await runHere(['evaluate', '--set', set.id, '--input', file, '--recognised', 'nang-cao', '--full', '--json']);
    expect(error).toBeNull();
    const out = JSON.parse(stdout);
    expect(out.prerequisites).toEqual({ required: ['nang-cao'], held: ['nang-cao'], missing: [], satisfied: true });
    expect(out.verdict.criteria).toHaveLength(3);
    const bad = await runHere(['evaluate', '--set', set.id, '--input', file, '--recognised', 'gold']);
    expect((bad.error as DomainError).oneLine).toContain('--recognised "gold"');
  });

  it('refuses a date outside the set validity and a missing file', () => {
    expect(() => evaluateText(DEMO, input({}, { asOf: '2026-01-01' }), 'x')).toThrow(/outside the validity/);
    return runHere(['evaluate', '--set', DEMO, '--input', '/nonexistent/in.json']).then(({ error }) => {
      expect((error as DomainError).oneLine).toMatch(/Không đọc được tệp đầu vào .* \/ Cannot read input file/);
    });
  });

  it('maps a verdict to the output contract', () => {
    const v = evaluateText(DEMO, input({ '5.1': 100 }), 'x');
    expect(Object.keys(toEvaluateOutput(v))).toEqual(['set', 'asOf', 'commune', 'criteria', 'indicators', 'level', 'meetsStandard', 'prerequisites', 'unmet', 'summary']);
  });
});
