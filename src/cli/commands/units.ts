/**
 * `datchuan units …`: import the unit lists, set an attribute period, search, show one unit.
 * Progress goes to stderr; reports (or JSON with --json) to stdout.
 */
import type { Command } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import type { AttributeName, UnitLevel } from '../../domain/unit.ts';
import { importUnits, resolveUnitsDir, type ImportProblem, type ImportProgress, type ImportResult, type Tally } from '../../services/unit-import.service.ts';
import { getUnit, searchUnits, setUnitAttribute } from '../../services/unit.service.ts';
import { withDatabase } from '../context.ts';
import { isoDate, out } from '../io.ts';

function progressPrinter(): (p: ImportProgress) => void {
  const tty = process.stderr.isTTY === true;
  let last = '';
  let lastAt = 0;
  return (p) => {
    const pct = p.total ? Math.floor((p.done / p.total) * 100) : 100;
    const phase = { read: 'đọc / read', compare: 'so sánh / compare', write: 'ghi / write' }[p.phase];
    const line = `  ${phase} ${p.label}: ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')} (${pct}%)`;
    const finished = p.done >= p.total;
    if (tty) {
      const now = Date.now();
      if (!finished && now - lastAt < 80) return;
      lastAt = now;
      process.stderr.write(`\r\x1b[2K${line}${finished ? '\n' : ''}`);
    } else if (finished && line !== last) {
      process.stderr.write(`${line}\n`);
    }
    last = line;
  };
}

function fmtTally(t: Tally & { removed?: number }): string {
  const removed = t.removed ? `, −${t.removed} removed` : '';
  return `${String(t.total).padStart(6)}  (+${t.added} added, ~${t.updated} updated, =${t.unchanged} unchanged${removed})`;
}

function printProblems(title: string, items: ImportProblem[], show: number): void {
  out(`\n${title} (${items.length})`);
  for (const p of items.slice(0, show)) {
    out(`  ${p.file}${p.row !== null ? `:${p.row}` : ''}  ${p.code} ${p.name}`);
    out(`      ${p.reason.vi}`);
    out(`      ${p.reason.en}`);
  }
  if (items.length > show) out(`  … và ${items.length - show} mục nữa / and ${items.length - show} more (--json để xem hết / for all)`);
}

function printReport(r: ImportResult, show: number): void {
  out(`Nhập đơn vị hành chính / Unit import: ${r.dir}${r.dryRun ? '  [thử / dry run: không ghi gì / nothing written]' : ''}`);
  out('Tệp / Files:');
  for (const f of r.files) out(`  ${f.file.padEnd(38)} ${String(f.rows).padStart(6)} rows  sha256 ${f.sha256.slice(0, 16)}…`);
  const c = r.counts;
  out('Danh mục 2025-03 (đến 30/6/2025) / list 2025-03 (to 2025-06-30):');
  out(`  tỉnh / provinces        ${fmtTally(c.lists['2025-03'].provinces)}`);
  out(`  huyện / districts       ${fmtTally(c.lists['2025-03'].districts)}`);
  out(`  xã / communes           ${fmtTally(c.lists['2025-03'].communes)}`);
  out('Danh mục 2025-07 (từ 1/7/2025) / list 2025-07 (from 2025-07-01):');
  out(`  tỉnh / provinces        ${fmtTally(c.lists['2025-07'].provinces)}`);
  out(`  xã / communes           ${fmtTally(c.lists['2025-07'].communes)}`);
  out('Sáp nhập / lineage links:');
  out(`  xã → xã / communes      ${fmtTally(c.lineage.communes)}`);
  out(`  huyện → đặc khu         ${fmtTally(c.lineage.districts)}`);
  out(`  tỉnh → tỉnh / provinces ${fmtTally(c.lineage.provinces)}`);
  out(`Vùng / region attributes  ${fmtTally(c.regions)}; suy ra / derived ${c.regions.derived}, chưa suy ra được / not derived ${c.regions.notDerived}`);
  if (c.unitsNotInFiles) out(`Đơn vị đã lưu nhưng không có trong tệp (giữ lại) / stored units not in the files (kept): ${c.unitsNotInFiles}`);
  const t = r.totals;
  out(
    `Tổng / Total: ${t.added} added, ${t.updated} updated, ${t.unchanged} unchanged, ${t.removed} removed; ` +
      `${r.unmatched.length} unmatched, ${r.conflicts.length} conflicts, ${r.notices.length} notices — ${(r.durationMs / 1000).toFixed(1)} s`,
  );
  printProblems('Không ghép được (bỏ qua) / Unmatched (skipped)', r.unmatched, show);
  printProblems('Xung đột (bỏ qua) / Conflicts (skipped)', r.conflicts, show);
  printProblems('Ghi chú (đã nhập) / Notices (imported)', r.notices, show);
}

export function registerUnitsCommands(program: Command): void {
  const units = program.command('units').description('Đơn vị hành chính: nhập, tra cứu, thuộc tính / administrative units: import, search, attributes');

  units
    .command('import')
    .description(
      'Nhập danh mục ĐVHC trước/từ 1/7/2025, sáp nhập và vùng (một giao dịch, nhập lại không đổi gì)\n' +
        'Import the unit lists before/from 1 July 2025, the merges and the regions (one transaction, idempotent)',
    )
    .option('--dir <path>', 'thư mục tệp CSV / folder of the CSV files (default ../shared/data/units, then ./shared/data/units)')
    .option('--dry-run', 'chỉ báo cáo, không ghi / report only, write nothing')
    .option('--json', 'kết quả JSON đầy đủ ra stdout / full JSON result on stdout')
    .option('--show <n>', 'số mục mỗi danh sách vấn đề / items shown per problem list', '20')
    .action(async (opts: { dir?: string; dryRun?: boolean; json?: boolean; show: string }) => {
      let dir = opts.dir;
      if (!dir) {
        const found = resolveUnitsDir();
        if (!found.dir) {
          throw new DomainError(
            'validation_failed',
            { vi: `Không tìm thấy thư mục dữ liệu ĐVHC (đã thử: ${found.tried.join(', ')}); dùng --dir.`, en: `Unit data folder not found (tried: ${found.tried.join(', ')}); use --dir.` },
            { tried: found.tried },
          );
        }
        dir = found.dir;
      }
      const show = Math.max(0, Number.parseInt(opts.show, 10) || 0);
      const result = await withDatabase(({ db, actor }) => importUnits(db, actor, { dir: dir!, dryRun: opts.dryRun ?? false, onProgress: progressPrinter() }), { migrate: true });
      if (opts.json) out(JSON.stringify(result, null, 2));
      else printReport(result, show);
    });

  units
    .command('set-attribute <unitId>')
    .description(
      'Đặt vùng / nhóm xã / diện đặc biệt cho một đơn vị trong một khoảng thời gian\n' +
        'Set region / commune group / special status on a unit for a period\n' +
        '  --name region  --value TDMNPB|DBSH|BTB|DHNTB|TN|DNB|DBSCL\n' +
        '  --name group   --value 1|2|3\n' +
        '  --name special --value dbkk|atk|none',
    )
    .requiredOption('--name <name>', 'region | group | special')
    .requiredOption('--value <value>', 'giá trị / value')
    .requiredOption('--from <date>', 'từ ngày / first day (YYYY-MM-DD or dd/mm/yyyy)')
    .option('--to <date>', 'đến ngày / last day (mặc định mở / default open)')
    .option('--source <text>', 'nguồn, ví dụ số quyết định / source, e.g. a decision number')
    .option('--json', 'kết quả JSON / JSON result')
    .action(async (id: string, opts: { name: string; value: string; from: string; to?: string; source?: string; json?: boolean }) => {
      const result = await withDatabase(
        ({ db, actor }) =>
          setUnitAttribute(db, actor, {
            unitId: id,
            name: opts.name as AttributeName,
            value: opts.value,
            validFrom: isoDate(opts.from)!,
            validTo: isoDate(opts.to) ?? null,
            ...(opts.source ? { source: opts.source } : {}),
          }),
        { migrate: true },
      );
      if (opts.json) return out(JSON.stringify(result, null, 2));
      const a = result.attribute;
      const period = `${a.validFrom ?? '…'} – ${a.validTo ?? 'open'}`;
      if (result.unchanged) return out(`Không thay đổi / unchanged: ${a.unitId} ${a.name} = ${a.value ?? 'none'} (${period})`);
      out(`${result.replaced ? 'Đã sửa / corrected' : 'Đã đặt / set'}: ${a.unitId} ${a.name} = ${a.value ?? 'none'} (${period}), #${a.id}`);
      for (const c of result.closed) out(`  đã đóng khoảng trước / closed earlier period #${c.id}: ${c.value ?? 'none'} (${c.validFrom ?? '…'} – ${c.validTo})`);
    });

  units
    .command('search <text...>')
    .description('Tìm theo tên, không cần dấu ("trang an") / search by name, accents optional')
    .option('--level <level>', 'province | district | commune')
    .option('--date <date>', 'chỉ đơn vị còn hiệu lực ngày này / only units valid on this date')
    .option('--province <id>', 'trong tỉnh / within province, e.g. 35@2025-03')
    .option('--limit <n>', 'tối đa / at most (1–200)', '20')
    .option('--json', 'JSON')
    .action(async (text: string[], opts: { level?: string; date?: string; province?: string; limit: string; json?: boolean }) => {
      const hits = await withDatabase(
        ({ db }) =>
          searchUnits(db, {
            q: text.join(' '),
            limit: Number(opts.limit),
            ...(opts.level ? { level: opts.level as UnitLevel } : {}),
            ...(opts.date ? { date: isoDate(opts.date)! } : {}),
            ...(opts.province ? { provinceId: opts.province } : {}),
          }),
        { migrate: true },
      );
      if (opts.json) return out(JSON.stringify(hits, null, 2));
      if (!hits.length) return out('Không tìm thấy / nothing found');
      for (const h of hits) out(`${h.id.padEnd(15)} ${h.path}  [${h.validFrom ?? '…'} – ${h.validTo ?? 'nay/now'}]`);
    });

  units
    .command('show <unitId>')
    .description('Một đơn vị: cấp trên, hiệu lực, thuộc tính, trước/sau sáp nhập / one unit with parents, validity, attributes, lineage')
    .option('--json', 'JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const u = await withDatabase(({ db }) => getUnit(db, id), { migrate: true });
      if (opts.json) return out(JSON.stringify(u, null, 2));
      out(`${u.id}  ${u.path}`);
      out(`  hiệu lực / valid: ${u.validFrom ?? '…'} – ${u.validTo ?? 'nay/now'}  (danh mục / list ${u.listId}, ${u.level})`);
      for (const a of u.attributes) out(`  ${a.name} = ${a.value ?? 'none'}  ${a.validFrom ?? '…'} – ${a.validTo ?? 'open'}  [${a.source}]`);
      for (const p of u.predecessors) out(`  ← ${p.id} ${p.fullName} (${p.part})`);
      for (const s of u.successors) out(`  → ${s.id} ${s.fullName} (${s.part})`);
    });
}
