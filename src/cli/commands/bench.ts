import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { progressReporter } from '../progress.ts';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(
      'Đo hiệu năng: bộ máy đánh giá (10.000 xã × 75 chỉ tiêu), độ trễ API trên SQLite và PostgreSQL, tệp Excel độc hại (bom ZIP: thời gian từ chối, bộ nhớ, độ trễ /health), hỗ trợ quyết định (phân bổ kinh phí MIP HiGHS so với tham lam cho 130 xã, ≈1.500 hạng mục; phân tích khoảng cách của một tỉnh), giao diện web (dung lượng JS, thời gian mở trang tổng hợp, độ mượt bảng 1.000 xã); ghi artifacts/bench.json.\n' +
        'Benchmarks: the evaluation engine (10,000 communes × 75 indicators), API latency on SQLite and PostgreSQL, writes under load (20 writers, with and without the audit append, both databases), spreadsheet bombs (time to refuse, memory, health latency meanwhile), decision support (budget allocation: HiGHS MIP vs greedy on a synthetic province of 130 communes and ≈1,500 actions; gap analysis of a province), the web app (JS size, overview time to interactive, 1,000-row matrix smoothness); writes artifacts/bench.json.',
    )
    .option('--only <name>', 'chỉ chạy một phần / run one part: engine | api | auth | writes | reports | bombs | sets | plans | web | national')
    .action(async (opts: { only?: string }) => {
      const log = (s: string) => console.log(s);
      const report: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
      if (!opts.only || opts.only === 'engine') {
        const { runEngineBench } = await import('../../../bench/engine.bench.ts');
        const r = await runEngineBench();
        log(
          `Engine: ${r.communes} communes × ${r.indicators} indicators: ${Math.round(r.evaluationsPerSecond).toLocaleString('en')} evaluations/s, ` +
            `${Math.round(r.communesPerSecond).toLocaleString('en')} communes/s; plain loop ${Math.round(r.plainLoopEvaluationsPerSecond).toLocaleString('en')}/s; ratio ${r.ratioToPlainLoop.toFixed(2)}×`,
        );
        report.engine = r;
      }
      if (!opts.only || opts.only === 'api') {
        const { runApiBench } = await import('../../../bench/api.bench.ts');
        report.api = await runApiBench(log, progressReporter);
      }
      if (!opts.only || opts.only === 'auth') {
        const { runAuthBench } = await import('../../../bench/auth.bench.ts');
        report.auth = await runAuthBench(log, progressReporter);
      }
      if (!opts.only || opts.only === 'writes') {
        const { runWritesBench } = await import('../../../bench/writes.bench.ts');
        report.writes = await runWritesBench(log);
      }
      if (!opts.only || opts.only === 'reports') {
        const { runReportsBench } = await import('../../../bench/reports.bench.ts');
        report.reports = await runReportsBench(log);
      }
      if (!opts.only || opts.only === 'bombs') {
        const { runBombsBench } = await import('../../../bench/bombs.bench.ts');
        report.bombs = await runBombsBench(log);
      }
      if (!opts.only || opts.only === 'sets') {
        const { runSetsBench } = await import('../../../bench/sets.bench.ts');
        report.sets = await runSetsBench(log);
      }
      if (!opts.only || opts.only === 'plans') {
        const { runPlansBench } = await import('../../../bench/plans.bench.ts');
        report.plans = await runPlansBench(log);
      }
      // The whole country: seeds the synthetic country on first use (minutes), so only when asked for.
      if (opts.only === 'national') {
        const { runNationalBench, writeNationalMarkdown } = await import('../../../bench/national.bench.ts');
        const national = await runNationalBench(log);
        report.national = national;
        writeNationalMarkdown(national);
        log('→ docs/benchmarks.md (the national table)');
      }
      if (!opts.only || opts.only === 'web') {
        const { runWebBench } = await import('../../../bench/web.bench.ts');
        report.web = await runWebBench(log, progressReporter);
      }
      mkdirSync('artifacts', { recursive: true });
      writeFileSync('artifacts/bench.json', JSON.stringify(report, null, 2));
      log('→ artifacts/bench.json');
    });
}
