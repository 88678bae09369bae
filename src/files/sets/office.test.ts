/**
 * The criteria-set workbook in a real office suite: every shipped version is exported, opened and
 * saved again by LibreOffice (headless, as a province would), and read back into the same set;
 * one workbook is converted to PDF, its text checked, and its pages rendered to PNG under
 * artifacts/catalog/ for people to look at. Skipped, saying so, only when LibreOffice is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../../catalog/catalog.ts';
import { resolveSets } from '../../catalog/resolve.ts';
import type { CriteriaSet } from '../../domain/criteria.ts';
import { readSetWorkbook, writeSetWorkbook } from './criteria-set-workbook.ts';

const hasTool = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const available = hasTool('soffice') && hasTool('pdftotext') && hasTool('pdftoppm');
if (!available) console.warn('⚠ LibreOffice (soffice) or poppler-utils not installed: the criteria-set workbook office tests are skipped.');

const ARTIFACTS = path.resolve('artifacts/catalog');
const work = mkdtempSync(path.join(os.tmpdir(), 'datchuan-set-office-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** As in criteria-set-workbook.test.ts: what a standalone set cannot share with one resolved through basedOn. */
const NOT_ROUND_TRIPPED = new Set(['basedOn', 'basedOnVersion', 'lineage', 'definedIn', 'origin', 'setBy', 'override', 'derivedFrom']);
const comparable = (set: CriteriaSet): unknown => JSON.parse(JSON.stringify(set, (k, v: unknown) => (NOT_ROUND_TRIPPED.has(k) ? undefined : v)));

function soffice(args: string[]): void {
  // Its own profile: a running LibreOffice of the user (or another test) must not take the job.
  execFileSync('soffice', [`-env:UserInstallation=file://${path.join(work, 'profile')}`, '--headless', ...args], { stdio: 'ignore', timeout: 180_000 });
}

describe.skipIf(!available)('criteria-set workbook in LibreOffice', () => {
  it('every shipped version survives being opened and saved by LibreOffice', async () => {
    const sets = getCatalog().allVersions();
    const names: string[] = [];
    for (const s of sets) {
      const name = `${s.id}-v${s.version}.xlsx`;
      writeFileSync(path.join(work, name), await writeSetWorkbook(s));
      names.push(name);
    }
    const out = path.join(work, 'saved');
    mkdirSync(out);
    soffice(['--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', out, ...names.map((n) => path.join(work, n))]);
    for (const s of sets) {
      const read = readSetWorkbook(readFileSync(path.join(out, `${s.id}-v${s.version}.xlsx`)));
      expect(read.problems, `${s.id}@${s.version}`).toEqual([]);
      const back = [...resolveSets([{ file: 'saved.xlsx', data: read.set! }]).sets.values()][0]!;
      expect(comparable(back), `${s.id}@${s.version}`).toEqual(comparable(s));
    }
  }, 300_000);

  it('prints readably: the set sheet, the indicators, the guide (pages under artifacts/catalog/)', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'xa-ntm-2021-2025.xlsx');
    writeFileSync(file, await writeSetWorkbook(getCatalog().get('xa-ntm-2021-2025', 1)));
    soffice(['--convert-to', 'pdf', '--outdir', ARTIFACTS, file]);
    const pdf = path.join(ARTIFACTS, 'xa-ntm-2021-2025.pdf');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const s of ['Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025', 'Hiệu lực từ ngày', '08/03/2022', 'Tên chỉ tiêu', 'Đạt/Không đạt', 'Theo vùng', 'toi_thieu', 'Cách ghi bộ tiêu chí']) {
      expect(text).toContain(s);
    }
    // The hidden sheet is not printed.
    expect(text).not.toContain('datchuan.criteria-set.v1');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '2', pdf, path.join(ARTIFACTS, 'xa-ntm-2021-2025-page')]);
  }, 300_000);
});
