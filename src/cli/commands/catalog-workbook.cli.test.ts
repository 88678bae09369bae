/**
 * `datchuan catalog export` / `catalog import`: a set goes out to a workbook and is checked back
 * in (`--dry-run --json` contract: `{ problems: [{ sheet, cell, message_vi, message }], set }`,
 * exit 2 on problems); without --dry-run a valid file becomes a draft in the database. The
 * commands run in this process, one contract case spawns the real binary.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../../catalog/catalog.ts';
import { ExcelJS } from '../../files/xlsx-style.ts';
import { runBinary, runInProcess } from '../../test-support/cli.ts';
import { registerCatalogCommands } from './catalog.ts';

// The catalogue commands also read the sets of the configured database when it exists: these tests
// use the shipped files alone, whatever ./data holds (the binary cases inherit this too).
const NO_DATABASE = join(tmpdir(), 'datchuan-no-database', 'none.sqlite');
process.env.DATABASE_URL = `sqlite:${NO_DATABASE}`;

const dir = mkdtempSync(join(tmpdir(), 'datchuan-set-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runInProcess([registerCatalogCommands], args, {});

describe('datchuan catalog export / import', () => {
  it('exports every variant of the version in force on --date, and checks it back in', async () => {
    const out = join(dir, 'basic-v2.xlsx');
    const exported = await run(['catalog', 'export', 'xa-ntm-2021-2025', '--date', '2024-03-01', '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/xa-ntm-2021-2025 v2: 19 tiêu chí, 56 chỉ tiêu, mọi phương án ngưỡng/);
    const r = await run(['catalog', 'import', out, '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const set = getCatalog().get('xa-ntm-2021-2025', 2);
    expect(JSON.parse(r.stdout)).toEqual({ problems: [], set: { id: set.id, name: set.name, criteria: 19, indicators: 56 } });
  });

  it('exports the targets of one region and year (a "Căn cứ ngưỡng" column saying why)', async () => {
    const out = join(dir, 'demo-dbsh-2023.xlsx');
    const r = await run(['catalog', 'export', 'ha-nam-nang-cao-2021-2025-minh-hoa', '--region', 'dbsh', '--year', '2023', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ngưỡng đã chọn/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    const header = wb.getWorksheet('Chỉ tiêu')!.getRow(1).values as unknown[];
    expect(header).toContain('Căn cứ ngưỡng (chỉ để xem)');
  });

  it('bad options exit 2 naming the option', async () => {
    const r = await run(['catalog', 'export', 'xa-ntm-2021-2025', '--region', 'HN', '--out', join(dir, 'x.xlsx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--region "HN" không hợp lệ .* \/ --region "HN" is not valid/);
  });

  it('lists every problem with sheet and cell and exits 2', async () => {
    const good = join(dir, 'basic.xlsx');
    await run(['catalog', 'export', 'xa-ntm-2021-2025@1', '--out', good]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(good) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Chỉ tiêu')!;
    ws.getCell('I8').value = 'tám mươi';
    ws.getCell('F9').value = 'Phần trăm';
    const bad = join(dir, 'bad.xlsx');
    writeFileSync(bad, Buffer.from(await wb.xlsx.writeBuffer()));
    const r = await run(['catalog', 'import', bad, '--dry-run', '--json']);
    expect(r.code).toBe(2);
    const body = JSON.parse(r.stdout) as { problems: Array<{ sheet: string; cell: string; message_vi: string; message: string }>; set: unknown };
    expect(body.set).toBeNull();
    expect(body.problems.map((p) => `${p.sheet}!${p.cell}`)).toEqual(['Chỉ tiêu!I8', 'Chỉ tiêu!F9']);
    expect(body.problems[0]!.message_vi).toMatch(/^Chỉ tiêu!I8 \(Ngưỡng\): ngưỡng "tám mươi" không hợp lệ/);
    expect(body.problems[1]!.message).toMatch(/^Chỉ tiêu!F9 \(Loại\): unknown kind "Phần trăm"/);
    const text = await run(['catalog', 'import', bad, '--dry-run']);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/LỖI \/ ERROR Chỉ tiêu!I8 \(Ngưỡng\)/);
  });

  it('without --dry-run a valid file is stored as a draft in the database (a shipped id refused, nothing half-written)', async () => {
    const env = { DATCHUAN_DATA_DIR: join(dir, 'data'), DATABASE_URL: `sqlite:${join(dir, 'sets.sqlite')}` };
    const good = join(dir, 'kieu-mau.xlsx');
    await run(['catalog', 'export', 'xa-ntm-kieu-mau-2021-2025', '--out', good]);
    const shipped = await runInProcess([registerCatalogCommands], ['catalog', 'import', good], env);
    expect(shipped.code).toBe(2);
    expect(shipped.stderr).toMatch(/bộ quốc gia kèm theo phần mềm .* \/ .*shipped national set/);
    // The same table under a new id: stored as version 1, a draft, each indicator entered by the importer.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(good) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Bộ tiêu chí')!;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'Mã bộ tiêu chí') row.getCell(2).value = 'kieu-mau-nhap-tu-excel';
    });
    const renamed = join(dir, 'kieu-mau-moi.xlsx');
    writeFileSync(renamed, Buffer.from(await wb.xlsx.writeBuffer()));
    const stored = await runInProcess([registerCatalogCommands], ['catalog', 'import', renamed], env);
    expect(stored.code, stored.stderr + stored.stdout).toBe(0);
    const list = await runInProcess([registerCatalogCommands], ['catalog', 'list', '--json'], env);
    const entry = (JSON.parse(list.stdout) as Array<{ id: string; version: number; status: string; indicators: number; provenance: unknown }>).find((x) => x.id === 'kieu-mau-nhap-tu-excel');
    expect(entry).toMatchObject({ version: 1, status: 'draft', indicators: 3, provenance: { official: 0, secondary: 3, reconstructed: 0 } });
    // A second import of the same id while the draft is open is refused.
    const again = await runInProcess([registerCatalogCommands], ['catalog', 'import', renamed], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/dự thảo .* \/ .*draft/);
  });

  it('the binary: --help of both commands, and the import contract on a file that is not a workbook', async () => {
    const notXlsx = join(dir, 'table.csv');
    writeFileSync(notXlsx, 'mã,tên\n1,Quy hoạch\n');
    const [help, helpImport, r] = await Promise.all([
      runBinary(['catalog', 'export', '--help'], {}),
      runBinary(['catalog', 'import', '--help'], {}),
      runBinary(['catalog', 'import', notXlsx, '--dry-run', '--json'], {}),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--out <file.xlsx>/);
    expect(helpImport.stdout).toMatch(/--dry-run/);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ set: null, problems: [{ sheet: null, cell: null, message_vi: expect.stringMatching(/không phải bảng tính Excel/), message: expect.stringMatching(/not an .xlsx workbook/) }] });
  }, 60_000);
});
