/**
 * `datchuan token create|list|revoke`: API tokens for machine clients (a national database, a
 * script). A token is printed once and stored hashed; every change is audited as `cli:<os user>`.
 */
import type { Command } from 'commander';
import { TOKEN_ACTIONS, type Action } from '../../domain/policy.ts';
import { createToken, listTokens, revokeToken } from '../../services/token.service.ts';
import { withAuth } from '../context.ts';
import { isoDate, out } from '../io.ts';

export function registerTokenCommands(program: Command): void {
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
      withAuth(async (auth, { actor }) => {
        const r = await createToken(auth, actor, {
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
      withAuth(async (auth, { actor }) => {
        const list = await listTokens(auth, actor);
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
      withAuth(async (auth, { actor }) => {
        const t = await revokeToken(auth, actor, name);
        out(`Đã thu hồi / revoked: ${t.name}`);
      }),
    );
}
