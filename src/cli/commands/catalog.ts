/**
 * `datchuan catalog …` — the criteria catalogue from the command line: list, show (targets for a
 * region / group / year), counts, diff, lint, and a set as an Excel workbook (export, import —
 * src/files/sets/criteria-set-workbook.ts). `--json` output is a stable contract (docs/catalog.md).
 */
import type { Command } from 'commander';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog, getCatalog, readSetDirectory, readSetFile, SHIPPED_SETS_DIR } from '../../catalog/catalog.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { diffSets, formatDiff } from '../../catalog/diff.ts';
import { formatIssue, invalidCatalog } from '../../catalog/issues.ts';
import { lintSetFile } from '../../catalog/lint.ts';
import type { LintResult } from '../../catalog/lint.ts';
import { showSet } from '../../catalog/show.ts';
import { COMMUNE_GROUPS, REGION_CODES, SPECIAL_STATUSES } from '../../domain/criteria.ts';
import type { CommuneGroup, CriteriaSet, RegionCode, SpecialStatus } from '../../domain/criteria.ts';
import { DomainError } from '../../domain/errors.ts';
import { isIsoDate } from '../../domain/dates.ts';
import { PROVENANCE_LEVEL_NAMES } from '../../domain/provenance.ts';
import { readSetWorkbookWith, writeSetWorkbook, type SetWorkbookContext, type SetWorkbookRead } from '../../files/sets/criteria-set-workbook.ts';
import { parseXlsxInWorker } from '../../platform/xlsx-parse.ts';
import { loadCliConfig, withDatabase, withStoredSets } from '../context.ts';
import { importSetDraft, listWithDrafts } from '../../services/criteria-authoring.service.ts';

function printJson(v: unknown): void {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
}

function option<T>(value: string | undefined, flag: string, allowed: readonly T[], parse: (s: string) => T): T | null {
  if (value === undefined) return null;
  const v = parse(value);
  if (!(allowed as readonly unknown[]).includes(v)) {
    const list = allowed.join(', ');
    throw new DomainError(
      'invalid_value',
      { vi: `${flag} "${value}" không hợp lệ (dùng ${list}).`, en: `${flag} "${value}" is not valid (use ${list}).` },
      { field: flag },
    );
  }
  return v;
}

function yearOption(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^[0-9]{4}$/.test(value)) {
    throw new DomainError('invalid_value', { vi: `--year "${value}" không hợp lệ (cần YYYY).`, en: `--year "${value}" is not valid (expected YYYY).` }, { field: '--year' });
  }
  return Number(value);
}

/**
 * A set named by id (`id@version` for one version), or by a path to a set file (resolved against the
 * shipped catalogue). With a date, the version valid on that date; otherwise the latest.
 */
function setByIdOrFile(ref: string, date: string | null = null): { set: CriteriaSet; catalog: Catalog } {
  if (ref.endsWith('.json') && existsSync(ref)) {
    const read = readSetFile(ref);
    if (!read.loaded) throw invalidCatalog(read.issues);
    const { id, version } = read.loaded.data;
    const others = readSetDirectory(SHIPPED_SETS_DIR).files.filter((f) => !(f.data.id === id && (f.data.version ?? 1) === (version ?? 1)));
    const catalog = buildCatalog([...others, read.loaded]);
    return { set: catalog.get(id, version ?? 1), catalog };
  }
  const catalog = getCatalog();
  const m = /^(.+)@([1-9][0-9]*)$/.exec(ref);
  if (m) return { set: catalog.get(m[1]!, Number(m[2])), catalog };
  return { set: date !== null ? catalog.at(ref, date) : catalog.get(ref), catalog };
}

function dateOption(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!isIsoDate(value)) {
    throw new DomainError('invalid_value', { vi: `--date "${value}" không hợp lệ (cần YYYY-MM-DD).`, en: `--date "${value}" is not valid (expected YYYY-MM-DD).` }, { field: '--date' });
  }
  return value;
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function printLint(results: LintResult[]): void {
  for (const r of results) {
    const c = r.counts;
    const head = c ? `${r.file}: ${r.setId} — ${c.criteria} tiêu chí / criteria, ${c.indicators} chỉ tiêu / indicators` : `${r.file}`;
    process.stdout.write(`${head}\n`);
    for (const i of [...r.errors, ...r.warnings]) {
      process.stdout.write(`  ${i.severity === 'error' ? 'lỗi/error' : 'cảnh báo/warning'} ${formatIssue(i, 'vi')} / ${i.message.en}\n`);
    }
    if (r.errors.length === 0) process.stdout.write('  hợp lệ / valid\n');
  }
}

export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('Danh mục bộ tiêu chí: list, show, counts, diff, lint, export, import.\nCriteria catalogue: list, show, counts, diff, lint, export, import.');

  catalog
    .command('list')
    .description('Liệt kê các bộ tiêu chí / list the criteria sets')
    .option('--json', 'JSON: [{ id, version, status, name, phase, level, basedOn, criteria, indicators, verified, provenance: { official, secondary, reconstructed }, … }]')
    .option('--in-force <date>', 'chỉ các bộ có hiệu lực vào ngày / only sets in force on YYYY-MM-DD')
    .action(async (opts: { json?: boolean; inForce?: string }) => {
      // The shipped files, and the sets of the database (published and drafts) when there is one.
      const all = await withStoredSets(async (ctx) => (ctx ? listWithDrafts(ctx.db) : getCatalog().list()));
      const c = getCatalog();
      const inForce = opts.inForce !== undefined ? new Set(c.setsInForce(opts.inForce).map((s) => `${s.id}@${s.version}`)) : null;
      const list = all.filter((s) => inForce === null || inForce.has(`${s.id}@${s.version}`));
      if (opts.json) return printJson(list);
      const rows = [['id', 'v', 'status', 'level', 'phase', 'criteria', 'indicators', 'official/secondary/reconstructed', 'basedOn']];
      for (const s of list) {
        const p = s.provenance;
        rows.push([s.id, String(s.version), s.status, s.level, s.phase, String(s.criteria), String(s.indicators), `${p.official}/${p.secondary}/${p.reconstructed}`, s.basedOn ?? '']);
      }
      process.stdout.write(`${pad(rows)}\n`);
    });

  catalog
    .command('show <setId>')
    .description('Xem bộ tiêu chí với ngưỡng theo vùng / nhóm / năm; show a set with targets resolved for a region / group / year')
    .option('--region <code>', `vùng / region: ${REGION_CODES.join(', ')}`)
    .option('--group <1|2|3>', 'nhóm xã / commune group (2026–2030)')
    .option('--year <yyyy>', 'năm / year (targets that vary by year)')
    .option('--date <yyyy-mm-dd>', 'ngày: phiên bản có hiệu lực vào ngày đó (và năm của ngày) / the version valid on that date (and its year)')
    .option('--special <status>', `diện đặc biệt / special status: ${SPECIAL_STATUSES.join(', ')}`)
    .option('--json', 'JSON: { id, version, name, phase, level, criteria: [{ code, name, critical, indicators: [{ code, name, kind, unit, target: { op, value }, verified, provenance: { level, source } }] }] }')
    .action(async (setId: string, opts: { region?: string; group?: string; year?: string; date?: string; special?: string; json?: boolean }) => {
      await withStoredSets(async () => undefined); // the database's published sets join the catalogue
      const date = dateOption(opts.date);
      const { set } = setByIdOrFile(setId, date);
      const shown = showSet(set, {
        region: option<RegionCode>(opts.region, '--region', REGION_CODES, (s) => s.toUpperCase() as RegionCode),
        group: option<CommuneGroup>(opts.group, '--group', COMMUNE_GROUPS, (s) => Number(s) as CommuneGroup),
        year: yearOption(opts.year) ?? (date !== null ? Number(date.slice(0, 4)) : null),
        special: option<SpecialStatus>(opts.special, '--special', SPECIAL_STATUSES, (s) => s.toLowerCase() as SpecialStatus),
      });
      if (opts.json) return printJson(shown);
      process.stdout.write(`${shown.id} v${shown.version} (${shown.validFrom} – ${shown.validTo ?? '…'}) — ${shown.name}${shown.demo ? ' [MINH HỌA / DEMO]' : ''}\n`);
      for (const c of shown.criteria) {
        process.stdout.write(`\n${c.code}. ${c.name}${c.critical ? ' (bắt buộc / critical)' : ''}\n`);
        if (c.pendingIndicators) process.stdout.write(`   ${c.pendingIndicators.vi}\n`);
        for (const i of c.indicators) {
          const t = i.target.value === null ? '—' : `${i.target.op} ${JSON.stringify(i.target.value)}${i.unit ? ` ${i.unit}` : ''}`;
          const prov = PROVENANCE_LEVEL_NAMES[i.provenance.level].vi;
          process.stdout.write(`   ${i.code.padEnd(6)} ${t.padEnd(24)} [${prov}] ${i.name}\n`);
          for (const k of i.conditions ?? []) {
            const kt = k.target.value === null ? `— (${k.basis.vi})` : `${k.target.op} ${JSON.stringify(k.target.value)}${k.unit ? ` ${k.unit}` : ''}`;
            process.stdout.write(`     và ${k.code}: ${kt} — ${k.name}\n`);
          }
        }
      }
    });

  catalog
    .command('counts [setId]')
    .description('Số tiêu chí, chỉ tiêu, chỉ tiêu đã xác minh… / counts per set')
    .option('--json', 'JSON: [{ id, criteria, indicators, verifiedIndicators, verified, targetsUnset, pendingCriteria, criticalCriteria, byKind }]')
    .action((setId: string | undefined, opts: { json?: boolean }) => {
      const c = getCatalog();
      const ids = setId !== undefined ? [c.get(setId).id] : c.ids();
      const counts = ids.map((id) => ({ id, ...c.counts(id) }));
      if (opts.json) return printJson(counts);
      const rows = [['id', 'criteria', 'indicators', 'verified', 'targetsUnset', 'pendingCriteria']];
      for (const x of counts) rows.push([x.id, String(x.criteria), String(x.indicators), String(x.verifiedIndicators), String(x.targetsUnset), x.pendingCriteria.join(',')]);
      process.stdout.write(`${pad(rows)}\n`);
    });

  catalog
    .command('diff <from> [to]')
    .description('So sánh hai bộ (id hoặc tệp .json); một tham số: so với bộ gốc (basedOn) / compare two sets; with one, against its base')
    .option('--json', 'JSON: { from, to, criteria, indicators: { added, removed, changed }, thresholdOverrides, counts }')
    .action((from: string, to: string | undefined, opts: { json?: boolean }) => {
      let a: CriteriaSet;
      let b: CriteriaSet;
      if (to === undefined) {
        const { set, catalog: cat } = setByIdOrFile(from);
        if (set.basedOn === null) {
          throw new DomainError(
            'invalid_value',
            { vi: `Bộ "${set.id}" không dựa trên bộ nào (basedOn): hãy chỉ rõ hai bộ cần so sánh.`, en: `Set "${set.id}" has no basedOn: name both sets to compare.` },
            { setId: set.id },
          );
        }
        a = cat.get(set.basedOn, set.basedOnVersion ?? undefined);
        b = set;
      } else {
        a = setByIdOrFile(from).set;
        b = setByIdOrFile(to).set;
      }
      const d = diffSets(a, b);
      if (opts.json) return printJson(d);
      process.stdout.write(`${formatDiff(d)}\n`);
    });

  catalog
    .command('lint [files...]')
    .description('Kiểm tra tệp bộ tiêu chí (mặc định: các bộ đi kèm) / lint set files (default: the shipped ones)')
    .option('--json', 'JSON: [{ file, setId, errors, warnings, counts }]')
    .action((files: string[], opts: { json?: boolean }) => {
      const paths = files.length > 0 ? files : readdirSync(SHIPPED_SETS_DIR).filter((n) => n.endsWith('.json')).sort().map((n) => join(SHIPPED_SETS_DIR, n));
      const results = paths.map((p) => lintSetFile(p));
      if (opts.json) printJson(results);
      else printLint(results);
      const errors = results.flatMap((r) => r.errors);
      if (errors.length > 0) throw invalidCatalog(errors);
    });

  catalog
    .command('export <setId>')
    .description(
      'Xuất bộ tiêu chí ra Excel (.xlsx): mọi phương án ngưỡng (mặc định, nhập lại được đúng như cũ), hoặc ngưỡng đã chọn cho một vùng / nhóm xã / năm.\n' +
        'Export a criteria set to Excel (.xlsx): every target variant (default; imports back unchanged), or the targets for one region / commune group / year.',
    )
    .requiredOption('--out <file.xlsx>', 'tệp đích / output file')
    .option('--date <yyyy-mm-dd>', 'phiên bản có hiệu lực vào ngày đó (mặc định: mới nhất) / the version valid on that date (default: the latest)')
    .option('--region <code>', `chọn ngưỡng cho vùng / targets for region: ${REGION_CODES.join(', ')}`)
    .option('--group <1|2|3>', 'chọn ngưỡng cho nhóm xã / targets for commune group (2026–2030)')
    .option('--year <yyyy>', 'chọn ngưỡng cho năm (mặc định: năm của --date) / targets for year (default: the year of --date)')
    .option('--special <status>', `diện đặc biệt / special status: ${SPECIAL_STATUSES.join(', ')}`)
    .action(async (setId: string, opts: { out: string; date?: string; region?: string; group?: string; year?: string; special?: string }) => {
      await withStoredSets(async () => undefined); // the database's published sets join the catalogue
      const date = dateOption(opts.date);
      const { set } = setByIdOrFile(setId, date);
      const region = option<RegionCode>(opts.region, '--region', REGION_CODES, (s) => s.toUpperCase() as RegionCode);
      const group = option<CommuneGroup>(opts.group, '--group', COMMUNE_GROUPS, (s) => Number(s) as CommuneGroup);
      const year = yearOption(opts.year);
      const special = option<SpecialStatus>(opts.special, '--special', SPECIAL_STATUSES, (s) => s.toLowerCase() as SpecialStatus);
      // Any of region / group / year / special asks for the targets of one context; --date alone only picks the version.
      const resolvedFor: SetWorkbookContext | null =
        region !== null || group !== null || year !== null || special !== null ? { region, group, year: year ?? (date !== null ? Number(date.slice(0, 4)) : null), special } : null;
      const bytes = await writeSetWorkbook(set, { resolvedFor });
      writeFileSync(opts.out, bytes);
      const indicators = set.criteria.reduce((n, c) => n + c.indicators.length, 0);
      const what = resolvedFor ? { vi: 'ngưỡng đã chọn', en: 'targets for the context' } : { vi: 'mọi phương án ngưỡng', en: 'every target variant' };
      process.stdout.write(`${set.id} v${set.version}: ${set.criteria.length} tiêu chí, ${indicators} chỉ tiêu, ${what.vi} → ${opts.out} / ${set.criteria.length} criteria, ${indicators} indicators, ${what.en}\n`);
    });

  catalog
    .command('import <file>')
    .description(
      'Đọc bộ tiêu chí từ Excel (.xlsx, như tệp "catalog export") và kiểm tra: mọi lỗi được báo theo trang và ô, không lưu gì khi có lỗi; hợp lệ thì lưu thành bản dự thảo (bộ mới hoặc phiên bản mới) trong cơ sở dữ liệu.\n' +
        'Read a criteria set from Excel (.xlsx, as "catalog export" writes it) and check it: every problem by sheet and cell, nothing stored when there is one; a valid file is stored as a draft (a new set or its next version) in the database.',
    )
    .option('--dry-run', 'chỉ kiểm tra, không lưu / check only, store nothing')
    .option('--province <unitId>', 'tỉnh ban hành (mặc định: theo mã tỉnh trong tệp, danh mục 2025-07) / the issuing province (default: the file\'s province code, 2025-07 list)')
    .option('--json', 'JSON: { problems: [{ sheet, cell, message_vi, message }], set: { id, name, criteria, indicators } | null }')
    .action(async (file: string, opts: { dryRun?: boolean; json?: boolean; province?: string }) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new DomainError('invalid_value', { vi: `Không đọc được tệp "${file}": ${why}`, en: `Cannot read the file "${file}": ${why}` }, { field: 'file' });
      }
      const read: SetWorkbookRead = await readSetWorkbookWith(bytes, loadCliConfig().services.importLimits, parseXlsxInWorker);
      const s = read.set;
      const summary = s ? { id: s.id, name: s.name, criteria: s.criteria?.length ?? 0, indicators: (s.criteria ?? []).reduce((n, c) => n + c.indicators.length, 0) } : null;
      if (opts.json) printJson({ problems: read.problems, set: summary });
      else {
        for (const p of read.problems) process.stdout.write(`LỖI / ERROR ${p.message_vi} / ${p.message}\n`);
        if (summary) process.stdout.write(`${summary.id}: ${summary.criteria} tiêu chí, ${summary.indicators} chỉ tiêu — hợp lệ / ${summary.criteria} criteria, ${summary.indicators} indicators — valid\n`);
        else process.stdout.write(`${read.problems.length} lỗi, không đọc được bộ tiêu chí / ${read.problems.length} problems, no set read\n`);
      }
      if (read.problems.length > 0) {
        process.exitCode = 2;
        return;
      }
      if (!opts.dryRun) {
        const draft = await withDatabase(async ({ db, actor }) => importSetDraft(db, actor, read.set!, { ...(opts.province ? { provinceId: opts.province } : {}) }), { migrate: true });
        const c = draft.counts;
        process.stderr.write(
          `Đã lưu bản dự thảo ${draft.setId} phiên bản ${draft.setVersion}${c ? ` (${c.indicators} chỉ tiêu)` : ''}: xác minh và ban hành bằng "datchuan sets" hoặc trên web / stored as draft ${draft.setId} version ${draft.setVersion}: verify and publish with "datchuan sets" or on the web\n`,
        );
      }
    });
}
