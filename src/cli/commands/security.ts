/**
 * `datchuan user …`, `datchuan token …`, `datchuan audit …`, `datchuan jobs run`: what the server
 * operator does from the command line. The CLI is trusted (it has the database): it is not limited
 * by the role policy, and every change it makes is in the audit trail as `cli:<os user>`.
 * The first administrator is created here: `datchuan user add admin --role admin`.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../config.ts';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { DomainError } from '../../domain/errors.ts';
import { ROLES, ROLE_LABELS, TOKEN_ACTIONS, type Action } from '../../domain/policy.ts';
import { parseDateVi } from '../../domain/dates.ts';
import { CLI_ACTOR } from '../../services/actor.ts';
import { createAuthContext, type AuthContext } from '../../services/auth.service.ts';
import {
  createUser,
  grantRole,
  listUsers,
  resetMfa,
  resetPassword,
  revokeRole,
  setUserStatus,
  unlockUser,
  userIdByName,
  type UserSummary,
} from '../../services/user.service.ts';
import { createToken, listTokens, revokeToken } from '../../services/token.service.ts';
import { listAuditTrail, purgeExpiredAudit, verifyAuditChain } from '../../services/audit.service.ts';
import { runJobs } from '../../services/jobs.service.ts';

async function withAuth<T>(fn: (ctx: AuthContext, db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(db);
    return await fn(createAuthContext(db, config.security), db);
  } finally {
    await db.close();
  }
}

function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

function isoDate(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  return parseDateVi(s) ?? s;
}

function readPasswordFromStdin(): string {
  const text = readFileSync(0, 'utf8');
  const line = text.split(/\r?\n/)[0] ?? '';
  if (!line) throw new DomainError('validation_failed', { vi: 'Không đọc được mật khẩu từ stdin.', en: 'No password on stdin.' });
  return line;
}

function grantText(g: UserSummary['grants'][number]): string {
  const period = g.validFrom || g.validTo ? ` [${g.validFrom ?? '…'} – ${g.validTo ?? '…'}]` : '';
  return `#${g.id} ${g.role}@${g.unitId ?? '*'}${period}`;
}

function printUser(u: UserSummary): void {
  const flags = [u.status === 'disabled' ? `disabled(${u.disabledReason ?? ''})` : 'active', u.locked ? 'LOCKED' : null, u.mfaEnabled ? 'mfa' : null, u.mustChangePassword ? 'must-change-password' : null, u.isDemo ? 'demo' : null]
    .filter(Boolean)
    .join(', ');
  out(`${u.username.padEnd(20)} ${u.displayName} — ${flags}; last sign-in ${u.lastLoginAt ?? 'never'}; ${u.grants.map(grantText).join(', ') || 'no roles'}`);
}

const ROLE_HELP = ROLES.map((r) => `${r} (${ROLE_LABELS[r].vi})`).join(', ');

export function registerSecurityCommands(program: Command): void {
  const user = program.command('user').description('Tài khoản và phân quyền / accounts and roles');
  user
    .command('add <username>')
    .description(
      'Tạo tài khoản; mật khẩu ban đầu được in ra một lần và phải đổi khi đăng nhập lần đầu.\n' +
        'Create an account; the initial password is printed once and must be changed at first sign-in.\n' +
        'First administrator / quản trị viên đầu tiên: datchuan user add admin --role admin',
    )
    .requiredOption('--role <role>', `vai trò / role: ${ROLE_HELP}`)
    .option('--unit <unitId>', 'đơn vị (cây con) / unit (its subtree), e.g. 37@2025-07; omit for admin/auditor/viewer = everywhere')
    .option('--name <displayName>', 'họ tên / display name')
    .option('--email <email>', 'thư điện tử / e-mail')
    .option('--from <date>', 'hiệu lực từ / valid from')
    .option('--to <date>', 'hiệu lực đến / valid to')
    .option('--password-stdin', 'đọc mật khẩu từ stdin thay vì sinh ngẫu nhiên / read the password from stdin instead of generating one')
    .option('--json', 'JSON')
    .action(async (username: string, opts: { role: string; unit?: string; name?: string; email?: string; from?: string; to?: string; passwordStdin?: boolean; json?: boolean }) => {
      const password = opts.passwordStdin ? readPasswordFromStdin() : null;
      await withAuth(async (ctx) => {
        const r = await createUser(ctx, CLI_ACTOR, {
          username,
          displayName: opts.name ?? username,
          email: opts.email ?? null,
          password,
          grants: [{ role: opts.role, unitId: opts.unit ?? null, validFrom: isoDate(opts.from) ?? null, validTo: isoDate(opts.to) ?? null }],
        });
        if (opts.json) out(JSON.stringify({ user: r.user, initialPassword: r.initialPassword }));
        else {
          printUser(r.user);
          if (r.initialPassword) {
            out(`Mật khẩu ban đầu / initial password (chỉ hiện một lần / shown once): ${r.initialPassword}`);
          }
          out('Phải đổi mật khẩu khi đăng nhập lần đầu / must change the password at first sign-in.');
        }
      });
    });
  user
    .command('list')
    .description('Danh sách tài khoản / list accounts')
    .option('--json', 'JSON')
    .action(async (opts: { json?: boolean }) =>
      withAuth(async (ctx) => {
        const list = await listUsers(ctx, CLI_ACTOR);
        if (opts.json) out(JSON.stringify(list));
        else list.forEach(printUser);
      }),
    );
  user
    .command('reset-password <username>')
    .description('Đặt mật khẩu tạm (in ra một lần), buộc đổi khi đăng nhập / set a one-time password, forced change at sign-in')
    .action(async (username: string) =>
      withAuth(async (ctx) => {
        const r = await resetPassword(ctx, CLI_ACTOR, await userIdByName(ctx, username));
        out(`Mật khẩu tạm / temporary password (chỉ hiện một lần / shown once): ${r.temporaryPassword}`);
      }),
    );
  user
    .command('unlock <username>')
    .description('Mở khóa tài khoản bị khóa do đăng nhập sai / unlock an account locked by failed sign-ins')
    .action(async (username: string) => withAuth(async (ctx) => printUser(await unlockUser(ctx, CLI_ACTOR, await userIdByName(ctx, username)))));
  user
    .command('disable <username>')
    .description('Vô hiệu hóa tài khoản (kết thúc mọi phiên) / disable an account (ends its sessions)')
    .option('--reason <text>', 'lý do / reason')
    .action(async (username: string, opts: { reason?: string }) =>
      withAuth(async (ctx) => printUser(await setUserStatus(ctx, CLI_ACTOR, await userIdByName(ctx, username), 'disabled', opts.reason ?? null))),
    );
  user
    .command('enable <username>')
    .description('Kích hoạt lại tài khoản / enable an account')
    .action(async (username: string) => withAuth(async (ctx) => printUser(await setUserStatus(ctx, CLI_ACTOR, await userIdByName(ctx, username), 'active'))));
  user
    .command('grant <username>')
    .description('Cấp vai trò trên một đơn vị / grant a role on a unit')
    .requiredOption('--role <role>', `vai trò / role: ${ROLE_HELP}`)
    .option('--unit <unitId>', 'đơn vị / unit (omit: everywhere, only admin/auditor/viewer)')
    .option('--from <date>', 'hiệu lực từ / valid from')
    .option('--to <date>', 'hiệu lực đến / valid to')
    .action(async (username: string, opts: { role: string; unit?: string; from?: string; to?: string }) =>
      withAuth(async (ctx) =>
        printUser(await grantRole(ctx, CLI_ACTOR, await userIdByName(ctx, username), { role: opts.role, unitId: opts.unit ?? null, validFrom: isoDate(opts.from) ?? null, validTo: isoDate(opts.to) ?? null })),
      ),
    );
  user
    .command('revoke <username>')
    .description('Thu hồi một phân quyền (số # trong "user list") / revoke a grant (the # in "user list")')
    .requiredOption('--grant <id>', 'mã phân quyền / grant id')
    .action(async (username: string, opts: { grant: string }) =>
      withAuth(async (ctx) => printUser(await revokeRole(ctx, CLI_ACTOR, await userIdByName(ctx, username), Number(opts.grant)))),
    );
  user
    .command('reset-mfa <username>')
    .description('Tắt xác thực hai lớp (mất điện thoại); phải cài lại khi đăng nhập / reset two-factor (lost phone)')
    .action(async (username: string) => withAuth(async (ctx) => printUser(await resetMfa(ctx, CLI_ACTOR, await userIdByName(ctx, username)))));

  const token = program.command('token').description('Khóa API cho máy (CSDL quốc gia, kịch bản) / API tokens for machine clients');
  token
    .command('create <name>')
    .description('Tạo khóa API; khóa chỉ in ra một lần / create an API token; printed once')
    .requiredOption('--actions <list>', `quyền, cách nhau bởi dấu phẩy / comma-separated actions: ${TOKEN_ACTIONS.join(', ')}`)
    .option('--units <list>', 'đơn vị, cách nhau bởi dấu phẩy (bỏ trống: mọi đơn vị) / comma-separated unit ids (omit: all)')
    .option('--expires <date>', 'hết hạn sau ngày / expires after this day')
    .option('--note <text>', 'ghi chú / note')
    .option('--json', 'JSON')
    .action(async (name: string, opts: { actions: string; units?: string; expires?: string; note?: string; json?: boolean }) =>
      withAuth(async (ctx) => {
        const r = await createToken(ctx, CLI_ACTOR, {
          name,
          actions: opts.actions.split(',').map((s) => s.trim()).filter(Boolean) as Action[],
          unitIds: opts.units ? opts.units.split(',').map((s) => s.trim()).filter(Boolean) : null,
          expiresOn: isoDate(opts.expires) ?? null,
          note: opts.note ?? null,
        });
        if (opts.json) out(JSON.stringify({ token: r.token, ...r.summary }));
        else {
          out(`Khóa API / API token "${r.summary.name}" (chỉ hiện một lần / shown once):`);
          out(r.token);
          out('Dùng / use: Authorization: Bearer <token>');
        }
      }),
    );
  token
    .command('list')
    .description('Danh sách khóa API (không hiện khóa) / list tokens (never the token itself)')
    .option('--json', 'JSON')
    .action(async (opts: { json?: boolean }) =>
      withAuth(async (ctx) => {
        const list = await listTokens(ctx, CLI_ACTOR);
        if (opts.json) out(JSON.stringify(list));
        else
          for (const t of list)
            out(`${t.name.padEnd(24)} ${t.prefix}… ${t.active ? 'active' : t.revokedAt ? `revoked ${t.revokedAt}` : 'expired'}; ${t.actions.join(',')} @ ${t.unitIds?.join(',') ?? '*'}; last used ${t.lastUsedAt ?? 'never'}`);
      }),
    );
  token
    .command('revoke <name>')
    .description('Thu hồi khóa API / revoke a token')
    .action(async (name: string) =>
      withAuth(async (ctx) => {
        const t = await revokeToken(ctx, CLI_ACTOR, name);
        out(`Đã thu hồi / revoked: ${t.name}`);
      }),
    );

  const audit = program.command('audit').description('Nhật ký thay đổi: xem, kiểm tra chuỗi băm, xóa theo thời hạn lưu / audit trail: list, verify, retention');
  audit
    .command('verify')
    .description('Kiểm tra chuỗi băm: sửa, xóa hay chèn dòng đều bị phát hiện (mã thoát 3 nếu hỏng) / verify the hash chain (exit 3 when broken)')
    .option('--json', 'JSON')
    .action(async (opts: { json?: boolean }) =>
      withAuth(async (_ctx, db) => {
        const r = await verifyAuditChain(db);
        if (opts.json) out(JSON.stringify(r));
        else if (r.ok) out(`Chuỗi băm nguyên vẹn / chain intact: ${r.checked} dòng / rows (seq ${r.firstSeq ?? '-'}–${r.lastSeq ?? '-'})${r.anchor ? `, từ mốc / from anchor seq ${r.anchor.seq}` : ''}`);
        else {
          out(`CHUỖI BĂM BỊ PHÁ VỠ / CHAIN BROKEN: ${r.problems.length} vấn đề / problems`);
          for (const p of r.problems.slice(0, 50)) out(`  row id ${p.id ?? '-'} (seq ${p.seq ?? '-'}): ${p.problem}`);
        }
        if (!r.ok) process.exitCode = 3;
      }),
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
      withAuth(async (_ctx, db) => {
        const r = await listAuditTrail(db, CLI_ACTOR, {
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
      }),
    );
  audit
    .command('purge-expired')
    .description('Xóa dòng nhật ký quá thời hạn lưu (mặc định 12 tháng), giữ chuỗi kiểm tra được / delete rows past retention, chain stays verifiable')
    .option('--months <n>', 'thời hạn lưu / retention (default DATCHUAN_AUDIT_RETENTION_MONTHS)')
    .action(async (opts: { months?: string }) =>
      withAuth(async (ctx, db) => {
        const r = await purgeExpiredAudit(db, new Date(), opts.months ? Number(opts.months) : ctx.config.auditRetentionMonths, CLI_ACTOR);
        out(`Đã xóa / deleted ${r.deleted} dòng / rows trước / before ${r.cutoff}`);
      }),
    );

  program
    .command('jobs')
    .description('Công việc định kỳ / scheduled jobs')
    .command('run')
    .description(
      'Chạy một lần: vô hiệu hóa tài khoản không dùng quá hạn, xóa nhật ký quá hạn lưu, xóa phiên hết hạn (cho cron; serve tự chạy).\n' +
        'Run once: disable inactive accounts, purge expired audit rows, delete expired sessions (for cron; serve runs them itself).',
    )
    .option('--json', 'JSON')
    .action(async (opts: { json?: boolean }) =>
      withAuth(async (ctx, db) => {
        const r = await runJobs({ db, config: ctx.config, clock: () => new Date() });
        if (opts.json) out(JSON.stringify(r));
        else
          out(
            `Vô hiệu hóa / disabled ${r.inactiveDisabled.length} (${r.inactiveDisabled.join(', ') || '-'}); nhật ký xóa / audit purged ${r.auditDeleted}; phiên xóa / sessions deleted ${r.sessionsDeleted} (${r.ms} ms)`,
          );
      }),
    );
}
