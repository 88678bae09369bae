import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { DomainError } from '../../domain/errors.ts';
import { exportReviews, importReviews } from '../../services/review-transfer.service.ts';
import { withDatabase } from '../context.ts';

function readInput(file: string): { text: string; hash: string } {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new DomainError('not_found', { vi: `Không đọc được tệp "${file}".`, en: `Cannot read file "${file}": ${(e as Error).message}` });
  }
  return { text, hash: createHash('sha256').update(text).digest('hex') };
}

export function registerReviewsCommands(program: Command): void {
  const reviews = program.command('reviews').description('Bản rà soát dạng JSON: xuất, nhập / reviews as JSON: export, import');
  reviews
    .command('export')
    .description('Xuất các bản rà soát (giá trị hiện hành) ra JSON / export reviews (current values) as JSON')
    .option('--unit <ids...>', 'chỉ các xã này / only these unit ids (e.g. 13510@2025-03)')
    .option('--since <iso>', 'chỉ bản sửa sau thời điểm / only reviews updated after this ISO time')
    .option('-o, --out <file>', 'tệp đích (mặc định: màn hình) / output file (default stdout)')
    .action(async (opts: { unit?: string[]; since?: string; out?: string }) => {
      await withDatabase(async ({ db }) => {
        const doc = await exportReviews(db, { unitIds: opts.unit, updatedSince: opts.since });
        const text = JSON.stringify(doc, null, 2);
        if (opts.out) {
          writeFileSync(opts.out, text);
          process.stderr.write(`${doc.reviews.length} bản rà soát / reviews → ${opts.out}\n`);
        } else process.stdout.write(`${text}\n`);
      });
    });
  reviews
    .command('import <file>')
    .description(
      'Nhập bản rà soát từ JSON (định dạng của lệnh export), tất cả hoặc không gì cả; "-" đọc từ stdin.\n' +
        'Import reviews from JSON (the export format), all or nothing; "-" reads stdin.',
    )
    .option('--dry-run', 'chỉ kiểm tra, không ghi / check only, write nothing')
    .option('--json', 'kết quả dạng JSON / JSON output')
    .action(async (file: string, opts: { dryRun?: boolean; json?: boolean }) => {
      const { text, hash } = readInput(file);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new DomainError('validation_failed', { vi: `Tệp "${file}" không phải JSON hợp lệ.`, en: `File "${file}" is not valid JSON: ${(e as Error).message}` });
      }
      await withDatabase(async ({ db, actor }) => {
        const r = await importReviews(db, actor, parsed, { dryRun: opts.dryRun, fileHash: hash });
        if (opts.json) console.log(JSON.stringify(r));
        else console.log(`${r.dryRun ? '[thử / dry run] ' : ''}${r.created} tạo mới / created, ${r.unchanged} không đổi / unchanged`);
        // With the database's published criteria sets installed: reviews on a province's set import too.
      }, { migrate: true });
    });
}
