import type { Command } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { dumpFeed, FEED_ENTITIES } from '../../services/feed.service.ts';
import { withDatabase } from '../context.ts';

export function registerFeedCommands(program: Command): void {
  const feed = program.command('feed').description('Dữ liệu chia sẻ (JSON Lines, CSV) cho hệ thống khác / the machine-readable data feed');
  feed
    .command('dump')
    .description(
      `Ghi toàn bộ (${FEED_ENTITIES.join(', ')}) ra thư mục: <loại>.jsonl, <loại>.csv và manifest.json; lược đồ: docs/feed.schema.json.\n` +
        'Write every entity to a folder as JSON Lines and CSV with a manifest; schema: docs/feed.schema.json.\n' +
        'Lần sau dùng --since bằng "asOf" trong manifest / next time pass the manifest\'s "asOf" as --since.',
    )
    .requiredOption('--out <dir>', 'thư mục đích / output folder')
    .option('--since <iso>', 'chỉ dữ liệu thay đổi sau thời điểm này / only records changed after this ISO time')
    .option('--unit <id>', 'chỉ dữ liệu của đơn vị này (tỉnh, huyện, xã) / only this unit\'s subtree')
    .option('--format <jsonl|csv|both>', 'dạng tệp / file format', 'both')
    .option('--json', 'in manifest dạng JSON / print the manifest as JSON')
    .action(async (opts: { out: string; since?: string; unit?: string; format: string; json?: boolean }) => {
      if (!['jsonl', 'csv', 'both'].includes(opts.format)) throw new DomainError('validation_failed', { vi: `Dạng "${opts.format}" không hợp lệ (jsonl, csv, both).`, en: `Invalid format "${opts.format}" (jsonl, csv, both).` });
      await withDatabase(async ({ db, actor }) => {
        const started = Date.now();
        const manifest = await dumpFeed(
          db,
          opts.out,
          {
            updatedSince: opts.since ?? null,
            unitId: opts.unit ?? null,
            formats: opts.format === 'both' ? ['jsonl', 'csv'] : [opts.format as 'jsonl' | 'csv'],
            onProgress: (entity, n) => process.stderr.write(`\r${entity}: ${n}        `),
          },
          actor,
        );
        process.stderr.write('\n');
        if (opts.json) console.log(JSON.stringify(manifest));
        else {
          for (const [e, m] of Object.entries(manifest.entities)) console.log(`${e}: ${m.count} → ${m.files.map((f) => `${opts.out}/${f}`).join(', ')}`);
          console.log(`asOf ${manifest.asOf} (--since lần sau / next time) — ${Date.now() - started} ms`);
        }
      });
    });
}
