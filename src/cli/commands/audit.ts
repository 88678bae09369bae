/**
 * `datchuan audit verify|anchor|list|purge-expired`: the audit trail from the server's command line —
 * check the keyed hash chain against the last published anchor (exit 3 when broken), publish an
 * anchor, read the trail, apply the retention period.
 */
import type { Command } from 'commander';
import { listAuditTrail, publishAnchor, purgeExpiredAudit, readLastAnchor, verifyAuditChain } from '../../services/audit.service.ts';
import { withDatabase } from '../context.ts';
import { isoDate, out } from '../io.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Nhật ký thay đổi: xem, kiểm tra chuỗi băm, xóa theo thời hạn lưu / audit trail: list, verify, retention');
  audit
    .command('verify')
    .description(
      'Kiểm tra chuỗi băm có khóa và mốc công bố gần nhất: sửa, xóa, chèn hay cắt bớt dòng đều bị phát hiện (mã thoát 3 nếu hỏng) / verify the keyed hash chain against the last published anchor (exit 3 when broken)',
    )
    .option('--anchor <file>', 'tệp mốc / anchor file (mặc định / default DATCHUAN_AUDIT_ANCHOR_FILE)')
    .option('--json', 'JSON')
    .action(async (opts: { anchor?: string; json?: boolean }) =>
      withDatabase(async ({ db, config }) => {
        const file = opts.anchor ?? config.security.auditAnchorFile;
        const published = file ? readLastAnchor(file) : null;
        const r = await verifyAuditChain(db, { published });
        if (opts.json) out(JSON.stringify(r));
        else if (r.ok) {
          out(`Chuỗi băm nguyên vẹn / chain intact: ${r.checked} dòng / rows (seq ${r.firstSeq ?? '-'}–${r.lastSeq ?? '-'})${r.anchor ? `, từ mốc / from anchor seq ${r.anchor.seq}` : ''}`);
          out(r.keyedFrom !== null ? `  có khóa từ / keyed from seq ${r.keyedFrom}` : '  CHƯA CÓ KHÓA / NOT KEYED: rows can be rehashed by anyone who can write the table');
          out(published ? `  khớp mốc công bố / matches the published anchor seq ${published.seq} (${published.at})` : `  không có mốc công bố / no published anchor${file ? ` in ${file}` : ''}: run \`datchuan audit anchor\``);
        } else {
          out(`CHUỖI BĂM BỊ PHÁ VỠ / CHAIN BROKEN: ${r.problems.length} vấn đề / problems`);
          for (const p of r.problems.slice(0, 50)) out(`  row id ${p.id ?? '-'} (seq ${p.seq ?? '-'}): ${p.problem}`);
        }
        if (!r.ok) process.exitCode = 3;
      }, { migrate: true }),
    );
  audit
    .command('anchor')
    .description(
      'Công bố mốc: đầu chuỗi băm (seq, băm, có chữ ký khóa) ghi thêm vào tệp mốc và in ra (để gửi syslog/thư) / publish an anchor: the chain head, signed with the audit key, appended to the anchor file and printed (pipe it to logger or mail)',
    )
    .option('--file <file>', 'tệp mốc / anchor file (mặc định / default DATCHUAN_AUDIT_ANCHOR_FILE)')
    .action(async (opts: { file?: string }) =>
      withDatabase(async ({ db, config }) => {
        const file = opts.file ?? config.security.auditAnchorFile;
        if (!file) throw new Error('no anchor file: set DATCHUAN_AUDIT_ANCHOR_FILE or pass --file');
        const a = await publishAnchor(db, file);
        out(JSON.stringify(a));
      }, { migrate: true }),
    );
  audit
    .command('list')
    .description('Xem nhật ký (mới nhất trước) / list audit rows (newest first)')
    .option('--unit <unitId>', 'đơn vị và các đơn vị trực thuộc / unit and the units under it')
    .option('--actor <name>', 'người thực hiện / actor')
    .option('--entity <entity>', 'loại đối tượng / entity (review, user, …)')
    .option('--entity-id <id>', 'mã đối tượng / entity id')
    .option('--action <action>', 'hành động / action')
    .option('--from <date>', 'từ ngày / from')
    .option('--to <date>', 'đến ngày / to')
    .option('--limit <n>', 'tối đa / at most', '50')
    .option('--json', 'JSON')
    .action(async (opts: { unit?: string; actor?: string; entity?: string; entityId?: string; action?: string; from?: string; to?: string; limit: string; json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const r = await listAuditTrail(db, actor, {
          unitId: opts.unit,
          actor: opts.actor,
          entity: opts.entity,
          entityId: opts.entityId,
          action: opts.action,
          from: isoDate(opts.from),
          to: isoDate(opts.to),
          limit: Number(opts.limit),
        });
        if (opts.json) out(JSON.stringify(r.items));
        else for (const a of r.items) out(`${a.at} #${a.seq} ${a.actor} (${a.source}${a.ip ? ` ${a.ip}` : ''}) ${a.action} ${a.entity}:${a.entityId}${a.unitId ? ` @${a.unitId}` : ''}`);
      }, { migrate: true }),
    );
  audit
    .command('purge-expired')
    .description('Xóa dòng nhật ký quá thời hạn lưu (mặc định 12 tháng), giữ chuỗi kiểm tra được / delete rows past retention, chain stays verifiable')
    .option('--months <n>', 'thời hạn lưu / retention (default DATCHUAN_AUDIT_RETENTION_MONTHS)')
    .action(async (opts: { months?: string }) =>
      withDatabase(async ({ db, actor, config }) => {
        const r = await purgeExpiredAudit(db, new Date(), opts.months ? Number(opts.months) : config.security.auditRetentionMonths, actor);
        out(`Đã xóa / deleted ${r.deleted} dòng / rows trước / before ${r.cutoff}`);
      }, { migrate: true }),
    );
}
