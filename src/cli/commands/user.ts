/**
 * `datchuan user …`: accounts and roles, from the server's command line. The CLI is trusted (it
 * has the database): it is not limited by the role policy, and every change it makes is in the
 * audit trail as `cli:<os user>`. The first administrator is created here:
 * `datchuan user add admin --role admin` (a one-time password, changed at the first sign-in).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { DomainError } from '../../domain/errors.ts';
import { ACTIONS, ACTION_NAMES, ROLES, ROLE_LABELS, roleTableMarkdown } from '../../domain/policy.ts';
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
import { withAuth } from '../context.ts';
import { isoDate, out } from '../io.ts';

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

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Tài khoản và phân quyền / accounts and roles');
  user
    .command('roles')
    .description('Bảng phân quyền vai trò × chức năng (bảng trong README) / the role × action table (the README\'s table)')
    .option('--labels', 'tên các chức năng bằng tiếng Việt và tiếng Anh / the actions named in Vietnamese and English')
    .action((opts: { labels?: boolean }) => {
      if (!opts.labels) return out(roleTableMarkdown());
      for (const a of ACTION_NAMES) out(`${a.padEnd(18)} ${ACTIONS[a].label.vi} / ${ACTIONS[a].label.en}`);
    });
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
      await withAuth(async (auth, { actor }) => {
        const r = await createUser(auth, actor, {
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
      withAuth(async (auth, { actor }) => {
        const list = await listUsers(auth, actor);
        if (opts.json) out(JSON.stringify(list));
        else list.forEach(printUser);
      }),
    );
  user
    .command('reset-password <username>')
    .description('Đặt mật khẩu tạm (in ra một lần), buộc đổi khi đăng nhập / set a one-time password, forced change at sign-in')
    .action(async (username: string) =>
      withAuth(async (auth, { actor }) => {
        const r = await resetPassword(auth, actor, await userIdByName(auth, username));
        out(`Mật khẩu tạm / temporary password (chỉ hiện một lần / shown once): ${r.temporaryPassword}`);
      }),
    );
  user
    .command('unlock <username>')
    .description('Mở khóa tài khoản bị khóa do đăng nhập sai / unlock an account locked by failed sign-ins')
    .action(async (username: string) => withAuth(async (auth, { actor }) => printUser(await unlockUser(auth, actor, await userIdByName(auth, username)))));
  user
    .command('disable <username>')
    .description('Vô hiệu hóa tài khoản (kết thúc mọi phiên) / disable an account (ends its sessions)')
    .option('--reason <text>', 'lý do / reason')
    .action(async (username: string, opts: { reason?: string }) =>
      withAuth(async (auth, { actor }) => printUser(await setUserStatus(auth, actor, await userIdByName(auth, username), 'disabled', opts.reason ?? null))),
    );
  user
    .command('enable <username>')
    .description('Kích hoạt lại tài khoản / enable an account')
    .action(async (username: string) => withAuth(async (auth, { actor }) => printUser(await setUserStatus(auth, actor, await userIdByName(auth, username), 'active'))));
  user
    .command('grant <username>')
    .description('Cấp vai trò trên một đơn vị / grant a role on a unit')
    .requiredOption('--role <role>', `vai trò / role: ${ROLE_HELP}`)
    .option('--unit <unitId>', 'đơn vị / unit (omit: everywhere, only admin/auditor/viewer)')
    .option('--from <date>', 'hiệu lực từ / valid from')
    .option('--to <date>', 'hiệu lực đến / valid to')
    .action(async (username: string, opts: { role: string; unit?: string; from?: string; to?: string }) =>
      withAuth(async (auth, { actor }) =>
        printUser(await grantRole(auth, actor, await userIdByName(auth, username), { role: opts.role, unitId: opts.unit ?? null, validFrom: isoDate(opts.from) ?? null, validTo: isoDate(opts.to) ?? null })),
      ),
    );
  user
    .command('revoke <username>')
    .description('Thu hồi một phân quyền (số # trong "user list") / revoke a grant (the # in "user list")')
    .requiredOption('--grant <id>', 'mã phân quyền / grant id')
    .action(async (username: string, opts: { grant: string }) =>
      withAuth(async (auth, { actor }) => printUser(await revokeRole(auth, actor, await userIdByName(auth, username), Number(opts.grant)))),
    );
  user
    .command('reset-mfa <username>')
    .description('Tắt xác thực hai lớp (mất điện thoại); phải cài lại khi đăng nhập / reset two-factor (lost phone)')
    .action(async (username: string) => withAuth(async (auth, { actor }) => printUser(await resetMfa(auth, actor, await userIdByName(auth, username)))));
}
