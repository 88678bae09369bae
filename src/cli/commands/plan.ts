/**
 * `datchuan plan …`: decision support from the command line — gap analysis, priorities, default
 * costs, budget allocation (HiGHS MIP against a greedy heuristic). The same use cases as
 * `/api/v1/plans/…`; `--json` prints the API's shapes. Bad input: one bilingual line, exit 2.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { formatDateVi, todayInVietnam } from '../../domain/dates.ts';
import { millionText, PRIORITY_GOALS, type PriorityGoal } from '../../domain/planning/priorities.ts';
import type { AllocationInput } from '../../domain/planning/allocation.ts';
import { allocate } from '../../services/allocation.service.ts';
import { allocateForUnit, getGapAnalysis, getPriorities, listCostDefaults, setCostDefault } from '../../services/planning.service.ts';
import { backtestUnit, forecastUnit, riskWatch } from '../../services/forecast.service.ts';
import { stopMipWorker } from '../../platform/mip-solver.ts';
import { withDatabase } from '../context.ts';
import { isoDate, out } from '../io.ts';

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new DomainError('validation_failed', { vi: `Không đọc được tệp "${file}": ${(e as Error).message}`, en: `Cannot read "${file}": ${(e as Error).message}` });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DomainError('validation_failed', { vi: `Tệp "${file}" không phải JSON hợp lệ: ${(e as Error).message}`, en: `"${file}" is not valid JSON: ${(e as Error).message}` });
  }
}

/** Whole đồng from "2500000000", "2.500.000.000" or "2500tr" / "2,5ty". */
export function parseDong(s: string, field: string): number {
  const t = s.trim().toLowerCase().replace(/\s+/g, '');
  const m = /^([\d.,]+)(tr|trieu|triệu|ty|tỷ)?$/.exec(t);
  let n = NaN;
  if (m) {
    const unit = !m[2] ? 1 : m[2] === 'ty' || m[2] === 'tỷ' ? 1e9 : 1e6;
    const digits = unit === 1 ? m[1]!.replace(/[.,]/g, '') : m[1]!.replace(/\./g, '').replace(',', '.');
    n = Number(digits) * unit;
  }
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new DomainError('validation_failed', { vi: `${field}: "${s}" không phải số tiền hợp lệ (đồng, vd. 2500000000, 2500tr, 2,5ty).`, en: `${field}: "${s}" is not a valid amount (đồng, e.g. 2500000000, 2500tr, 2,5ty).` }, { fields: [{ field }] });
  }
  return n;
}

function number(s: string | undefined, field: string): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new DomainError('validation_failed', { vi: `${field}: "${s}" không phải số.`, en: `${field}: "${s}" is not a number.` }, { fields: [{ field }] });
  return n;
}

export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan').description('Hỗ trợ ra quyết định: khoảng cách, ưu tiên, phân bổ kinh phí / decision support: gaps, priorities, budget allocation');

  plan
    .command('gaps')
    .description('Khoảng cách đến mức đạt chuẩn tiếp theo của từng xã, xếp theo mức gần đạt / each commune’s distance to its next level, closest first')
    .requiredOption('--unit <id>', 'đơn vị (xã, huyện, tỉnh), vd. 35@2025-03 / the unit')
    .option('--date <date>', 'ngày (dd/mm/yyyy hoặc yyyy-mm-dd; mặc định hôm nay) / the date (default today)')
    .option('--json', 'JSON')
    .action(async (o: { unit: string; date?: string; json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const a = await getGapAnalysis(db, actor, o.unit, isoDate(o.date) ?? todayInVietnam());
        if (o.json) return out(JSON.stringify(a));
        out(`${a.unit.fullName} — ${formatDateVi(a.date)}: ${a.nearlyThereLine.vi}`);
        for (const c of a.communes) out(`  ${c.sentence.vi}`);
        if (a.notReviewed.length) out(`  Chưa có kỳ rà soát đã gửi: ${a.notReviewed.map((n) => n.name).join(', ')}`);
      }, { migrate: true }),
    );

  plan
    .command('priorities')
    .description('Việc cần làm trước của một xã, mỗi việc kèm lý do / what a commune should do first, each with why')
    .requiredOption('--unit <id>', 'xã / the commune')
    .option('--date <date>', 'ngày / the date (default today)')
    .option('--goal <goal>', `mục tiêu: ${PRIORITY_GOALS.join(' | ')} (rẻ nhất | sớm nhất)`, 'cheapest')
    .option('--json', 'JSON')
    .action(async (o: { unit: string; date?: string; goal: string; json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        if (!PRIORITY_GOALS.includes(o.goal as PriorityGoal)) {
          throw new DomainError('validation_failed', { vi: `--goal phải là ${PRIORITY_GOALS.join(' hoặc ')} (nhận "${o.goal}").`, en: `--goal must be ${PRIORITY_GOALS.join(' or ')} (got "${o.goal}").` }, { fields: [{ field: 'goal' }] });
        }
        const p = await getPriorities(db, actor, o.unit, isoDate(o.date) ?? todayInVietnam(), o.goal as PriorityGoal);
        if (o.json) return out(JSON.stringify(p));
        out(p.sentence.vi);
        for (const i of p.items) out(`  ${i.rank}. ${i.code} ${i.name}: ${i.why.vi}`);
      }, { migrate: true }),
    );

  plan
    .command('allocate')
    .description(
      'Phân bổ kinh phí: chọn giải pháp để nhiều xã đạt chuẩn nhất (MIP HiGHS, so với thuật toán tham lam) / allocate a budget to get the most communes to their level (HiGHS MIP vs greedy).\n' +
        '--input <file|->: { budget, communes: [{ id, unmet: [code…] }], actions: [{ id, commune, cost, closes: [code…] }], timeLimitSeconds? }\n' +
        '--unit <id> --date <d> --budget <đồng> [--deadline <d>]: dựng bài toán từ kế hoạch hành động và chi phí mặc định / built from the action plans and default costs',
    )
    .option('--input <file>', 'tệp JSON, "-" = stdin / JSON file')
    .option('--unit <id>', 'đơn vị / the unit')
    .option('--date <date>', 'ngày phân tích / the analysis date (default today)')
    .option('--budget <amount>', 'kinh phí (đồng; vd. 5000000000, 5000tr, 5ty) / the budget')
    .option('--deadline <date>', 'thời hạn hoàn thành / the deadline')
    .option('--time-limit <seconds>', 'giới hạn thời gian giải / solver time limit (s)')
    .option('--json', 'JSON')
    .action(async (o: { input?: string; unit?: string; date?: string; budget?: string; deadline?: string; timeLimit?: string; json?: boolean }) => {
      // The solver's thread would keep the command alive after it has printed: stop it when done.
      try {
        await allocateCommand(o);
      } finally {
        await stopMipWorker();
      }
    });

  async function allocateCommand(o: { input?: string; unit?: string; date?: string; budget?: string; deadline?: string; timeLimit?: string; json?: boolean }): Promise<void> {
    {
      const timeLimitSeconds = number(o.timeLimit, '--time-limit');
      if (o.input !== undefined) {
        if (o.unit || o.budget) throw new DomainError('validation_failed', { vi: 'Dùng --input hoặc --unit/--budget, không dùng cả hai.', en: 'Use --input or --unit/--budget, not both.' });
        const input = readJson(o.input) as AllocationInput;
        const r = await allocate(timeLimitSeconds !== undefined && input && typeof input === 'object' ? { ...input, timeLimitSeconds } : input);
        if (o.json) return out(JSON.stringify(r));
        out(r.summary.vi);
        out(r.comparison.vi);
        if (r.note) out(r.note.vi);
        return;
      }
      if (!o.unit || !o.budget) throw new DomainError('validation_failed', { vi: 'Cần --input <tệp>, hoặc --unit và --budget.', en: 'Give --input <file>, or --unit and --budget.' });
      const budget = parseDong(o.budget, '--budget');
      await withDatabase(async ({ db, actor }) => {
        const a = await allocateForUnit(db, actor, { unitId: o.unit!, date: isoDate(o.date) ?? todayInVietnam(), budget, deadline: isoDate(o.deadline) ?? null, ...(timeLimitSeconds !== undefined ? { timeLimitSeconds } : {}) });
        if (o.json) return out(JSON.stringify({ ...a.result, unit: a.unit, date: a.date, deadline: a.deadline, input: a.input, candidates: a.candidates, leftOut: a.leftOut }));
        out(`${a.unit.name} — ${formatDateVi(a.date)}${a.deadline ? `, thời hạn ${formatDateVi(a.deadline)}` : ''}, kinh phí ${millionText(budget, 'vi')}`);
        out(a.result.summary.vi);
        out(a.result.comparison.vi);
        if (a.result.note) out(a.result.note.vi);
        const chosen = new Set(a.result.chosen);
        for (const c of a.candidates.filter((x) => chosen.has(x.id))) out(`  ✓ ${c.communeName} — ${c.closes.join(', ')}: ${c.name} (${millionText(c.cost, 'vi')})`);
        if (a.leftOut.length) out(`  Không xét (${a.leftOut.length}): ${a.leftOut.slice(0, 5).map((l) => `${l.communeName}: ${l.reason.vi}`).join(' | ')}${a.leftOut.length > 5 ? ' …' : ''}`);
      }, { migrate: true });
    }
  }

  plan
    .command('forecast')
    .description('Dự báo đến một thời hạn: xã nào, hồ sơ/nhiệm vụ nào có nguy cơ trễ hạn (xu hướng Theil–Sen, khoảng sai số từ phần dư) / forecast to a deadline: communes, tasks and dossiers at risk')
    .requiredOption('--unit <id>', 'đơn vị / the unit')
    .requiredOption('--deadline <date>', 'thời hạn / the deadline')
    .option('--date <date>', 'ngày xem / as of (default today)')
    .option('--json', 'JSON')
    .action(async (o: { unit: string; deadline: string; date?: string; json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const f = await forecastUnit(db, actor, o.unit, isoDate(o.deadline), isoDate(o.date) ?? todayInVietnam());
        if (o.json) return out(JSON.stringify(f));
        out(`${f.unitName} — dự báo đến ${formatDateVi(f.deadline)} (từ dữ liệu đến ${formatDateVi(f.date)}): ${f.method.vi}`);
        for (const c of f.items) out(`  ${c.readinessLabel.vi}: ${c.unitName} — ${c.reason.vi}`);
        for (const d of f.deadlines) out(`  ⚠ ${d.unitName}: ${d.title} (hạn ${formatDateVi(d.dueOn)}) — ${d.reason.vi}`);
      }, { migrate: true }),
    );

  plan
    .command('backtest')
    .description('Kiểm định dự báo trên lịch sử: giữ lại lần rà soát cuối, dự báo từ các lần trước, đo sai số / back-test the forecast: hold out the last review and measure the error')
    .requiredOption('--unit <id>', 'đơn vị / the unit')
    .option('--date <date>', 'ngày / as of (default today)')
    .option('--json', 'JSON')
    .action(async (o: { unit: string; date?: string; json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const b = await backtestUnit(db, o.unit, isoDate(o.date) ?? todayInVietnam(), actor);
        if (o.json) return out(JSON.stringify(b));
        out(b.summary.vi);
      }, { migrate: true }),
    );

  plan
    .command('risks')
    .description('Theo dõi rủi ro: xã đã công nhận có nguy cơ bị thu hồi, chỉ tiêu đã đạt nay tụt, thời hạn có nguy cơ trễ / risk watch: revocation risk, slipped indicators, deadlines at risk')
    .requiredOption('--unit <id>', 'đơn vị / the unit')
    .option('--date <date>', 'ngày / as of (default today)')
    .option('--json', 'JSON')
    .action(async (o: { unit: string; date?: string; json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const w = await riskWatch(db, actor, o.unit, isoDate(o.date) ?? todayInVietnam());
        if (o.json) return out(JSON.stringify(w));
        out(`${w.unitName} — ${formatDateVi(w.date)}: ${w.counts.revocations} xã có nguy cơ bị thu hồi, ${w.counts.slippedIndicators} chỉ tiêu tụt ở ${w.counts.slippedCommunes} xã, ${w.counts.deadlines} thời hạn có nguy cơ trễ`);
        for (const r of w.revocations) out(`  ${r.message.vi}`);
        for (const s of w.slipped) out(`  ${s.message.vi}`);
        for (const d of w.deadlines) out(`  ${d.unitName}: ${d.title} — ${d.reason.vi}`);
      }, { migrate: true }),
    );

  const defaults = plan.command('defaults').description('Chi phí, thời gian mặc định của chỉ tiêu theo tỉnh / a province’s default indicator costs and times');
  defaults
    .command('list')
    .description('Liệt kê / list')
    .requiredOption('--province <id>', 'tỉnh / the province')
    .requiredOption('--set <setId>', 'bộ tiêu chí / the criteria set')
    .option('--json', 'JSON')
    .action(async (o: { province: string; set: string; json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const d = await listCostDefaults(db, actor, o.province, o.set);
        if (o.json) return out(JSON.stringify(d));
        out(`${d.province.name} — ${d.set.name}: ${d.filled}/${d.total} chỉ tiêu có mức mặc định`);
        for (const i of d.items) out(`  ${i.code}\t${i.cost === null ? '—' : millionText(i.cost, 'vi')}\t${i.days === null ? '—' : `${i.days} ngày`}\t${i.setBy ? `${i.setBy}, ${i.setAt!.slice(0, 10)}` : 'chưa đặt'}\t${i.name}`);
      }, { migrate: true }),
    );
  defaults
    .command('set')
    .description('Đặt mức mặc định cho một chỉ tiêu / set one indicator’s default')
    .requiredOption('--province <id>', 'tỉnh / the province')
    .requiredOption('--set <setId>', 'bộ tiêu chí / the criteria set')
    .requiredOption('--code <code>', 'mã chỉ tiêu / the indicator code')
    .option('--cost <amount>', 'chi phí (đồng; vd. 300tr) / cost')
    .option('--days <n>', 'thời gian (ngày) / time in days')
    .option('--note <text>', 'ghi chú / note')
    .option('--json', 'JSON')
    .action(async (o: { province: string; set: string; code: string; cost?: string; days?: string; note?: string; json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const current = (await listCostDefaults(db, actor, o.province, o.set)).items.find((i) => i.code === o.code);
        const v = await setCostDefault(db, actor, {
          provinceId: o.province,
          setId: o.set,
          code: o.code,
          cost: o.cost === undefined ? (current?.cost ?? null) : parseDong(o.cost, '--cost'),
          days: o.days === undefined ? (current?.days ?? null) : (number(o.days, '--days') ?? null),
          note: o.note ?? current?.note ?? null,
          ...(current?.version ? { version: current.version } : {}),
        });
        if (o.json) return out(JSON.stringify(v));
        out(`${v.code}: ${v.cost === null ? '—' : millionText(v.cost, 'vi')}, ${v.days === null ? '—' : `${v.days} ngày`} (${v.setBy}, ${v.setAt})`);
      }, { migrate: true }),
    );
}
