/**
 * Chính sách phân quyền — the one policy table: which role may perform which action, and over
 * which units. Pure: no I/O, no clock (the date is passed in). Every HTTP route declares one of
 * these actions; services call `authorize` (src/services/access.service.ts), which resolves the
 * target unit's scope keys and asks `decide` here.
 *
 * Scope. A role is granted on a unit (its whole subtree) or on NULL (everywhere), for a period.
 *  - `write` actions reach the granted unit and the units under it (parent chain), nothing else.
 *  - `read` actions also follow the 2025 merge lineage both ways: an officer of a merged commune
 *    keeps reading its history under the new commune, and an officer of the new commune reads its
 *    predecessors' history — but neither may rewrite the other's records.
 *  - unscoped actions (catalogue, administrative-unit lookup, account management) need the role,
 *    whatever the unit.
 *
 * To add an action: add a row to ACTIONS (kind, scoped, roles, Vietnamese and English label).
 * The authorisation matrix test is generated from this table.
 */

/** Vai trò. */
export const ROLES = ['admin', 'national_office', 'province_office', 'district_office', 'commune_officer', 'committee_member', 'viewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  admin: { vi: 'Quản trị hệ thống', en: 'System administrator' },
  national_office: { vi: 'Văn phòng Điều phối NTM Trung ương', en: 'Central NTM coordination office (national)' },
  province_office: { vi: 'Văn phòng Điều phối NTM tỉnh', en: 'Province NTM coordination office' },
  district_office: { vi: 'Văn phòng Điều phối NTM huyện (dữ liệu trước 7/2025)', en: 'District office (history before 7/2025)' },
  commune_officer: { vi: 'Cán bộ xã (nhập và nộp rà soát)', en: 'Commune officer (enters and submits reviews)' },
  committee_member: { vi: 'Thành viên Ban Chỉ đạo / Hội đồng thẩm định', en: 'Committee member (reads, comments, approves)' },
  viewer: { vi: 'Người xem', en: 'Viewer' },
  auditor: { vi: 'Kiểm soát viên nhật ký (thanh tra, kiểm toán)', en: 'Audit-log reviewer (inspection, State Audit)' },
};

export type ActionKind = 'read' | 'write';

export interface ActionRule {
  kind: ActionKind;
  /** Whether the target unit matters (true) or only the role (false). */
  scoped: boolean;
  /** Roles that may perform the action. `everyone` also lets anonymous callers in. */
  roles: readonly Role[] | 'everyone' | 'authenticated';
  /** API tokens may carry it (never account or token management, never one's own session). */
  tokens: boolean;
  label: { vi: string; en: string };
}

const ALL_READERS = ['admin', 'national_office', 'province_office', 'district_office', 'commune_officer', 'committee_member', 'viewer'] as const;

export const ACTIONS = {
  public: { kind: 'read', scoped: false, roles: 'everyone', tokens: true, label: { vi: 'trang công khai', en: 'public page' } },
  'health.read': { kind: 'read', scoped: false, roles: 'everyone', tokens: true, label: { vi: 'xem tình trạng hệ thống', en: 'read system health' } },
  'session.self': { kind: 'write', scoped: false, roles: 'authenticated', tokens: false, label: { vi: 'quản lý phiên đăng nhập của mình', en: 'manage own session' } },
  'unit.read': { kind: 'read', scoped: false, roles: [...ALL_READERS, 'auditor'], tokens: true, label: { vi: 'tra cứu đơn vị hành chính', en: 'look up administrative units' } },
  'catalog.read': { kind: 'read', scoped: false, roles: [...ALL_READERS, 'auditor'], tokens: true, label: { vi: 'xem bộ tiêu chí', en: 'read criteria sets' } },
  'catalog.write': { kind: 'write', scoped: true, roles: ['admin', 'province_office'], tokens: false, label: { vi: 'soạn, xác minh, ban hành bộ tiêu chí của tỉnh', en: "author, verify and publish a province's criteria sets" } },
  'unit.write': { kind: 'write', scoped: true, roles: ['admin', 'province_office'], tokens: true, label: { vi: 'sửa thuộc tính đơn vị (vùng, nhóm xã)', en: 'edit unit attributes (region, group)' } },
  'unit.import': { kind: 'write', scoped: false, roles: ['admin'], tokens: false, label: { vi: 'nhập danh mục đơn vị hành chính', en: 'import administrative-unit lists' } },
  'review.read': { kind: 'read', scoped: true, roles: ALL_READERS, tokens: true, label: { vi: 'xem bản rà soát', en: 'read reviews' } },
  'review.write': { kind: 'write', scoped: true, roles: ['province_office', 'commune_officer'], tokens: true, label: { vi: 'nhập, sửa bản rà soát', en: 'enter and edit reviews' } },
  'review.submit': { kind: 'write', scoped: true, roles: ['province_office', 'commune_officer'], tokens: true, label: { vi: 'nộp bản rà soát', en: 'submit reviews' } },
  // The country as a whole (unit `VN`): only a nationwide grant of these roles reaches it.
  'national.read': { kind: 'read', scoped: true, roles: ['admin', 'national_office'], tokens: true, label: { vi: 'xem số liệu toàn quốc', en: 'read the national summary' } },
  'summary.read': { kind: 'read', scoped: true, roles: ALL_READERS, tokens: true, label: { vi: 'xem số liệu tổng hợp', en: 'read summaries' } },
  'report.export': { kind: 'read', scoped: true, roles: ALL_READERS, tokens: true, label: { vi: 'xuất báo cáo', en: 'export reports' } },
  'data.import': { kind: 'write', scoped: true, roles: ['province_office', 'commune_officer'], tokens: true, label: { vi: 'nhập dữ liệu từ tệp', en: 'import data from files' } },
  'feed.read': { kind: 'read', scoped: true, roles: ['admin', 'national_office', 'province_office'], tokens: true, label: { vi: 'đọc dữ liệu chia sẻ (CSDL quốc gia)', en: 'read the data feed (national database)' } },
  'audit.read': { kind: 'read', scoped: true, roles: ['auditor', 'national_office', 'province_office', 'committee_member'], tokens: true, label: { vi: 'xem nhật ký thay đổi', en: 'read the audit trail' } },
  'user.manage': { kind: 'write', scoped: false, roles: ['admin'], tokens: false, label: { vi: 'quản lý tài khoản và phân quyền', en: 'manage accounts and roles' } },
  'token.manage': { kind: 'write', scoped: false, roles: ['admin'], tokens: false, label: { vi: 'quản lý khóa API', en: 'manage API tokens' } },
  // Steering committees, meetings, tasks, action plans (issue 6). Committee data belongs to the
  // committee's unit; a task to the commune it concerns; a plan or budget request to its commune.
  'committee.read': { kind: 'read', scoped: true, roles: ALL_READERS, tokens: true, label: { vi: 'xem Ban Chỉ đạo, cuộc họp, kết luận', en: 'read steering committees, meetings, conclusions' } },
  'committee.write': { kind: 'write', scoped: true, roles: ['province_office', 'district_office', 'committee_member'], tokens: true, label: { vi: 'quản lý Ban Chỉ đạo, cuộc họp, kết luận và giao nhiệm vụ', en: 'manage steering committees, meetings, conclusions and assign tasks' } },
  'task.read': { kind: 'read', scoped: true, roles: ALL_READERS, tokens: true, label: { vi: 'xem nhiệm vụ', en: 'read tasks' } },
  'task.write': { kind: 'write', scoped: true, roles: ['province_office', 'district_office', 'committee_member', 'commune_officer'], tokens: true, label: { vi: 'cập nhật tiến độ nhiệm vụ', en: 'update task progress' } },
  'plan.read': { kind: 'read', scoped: true, roles: ALL_READERS, tokens: true, label: { vi: 'xem kế hoạch hành động, đề xuất kinh phí', en: 'read action plans and budget requests' } },
  'plan.write': { kind: 'write', scoped: true, roles: ['province_office', 'district_office', 'commune_officer'], tokens: true, label: { vi: 'lập kế hoạch hành động, đề xuất kinh phí', en: 'edit action plans and budget requests' } },
  'plan.defaults.write': { kind: 'write', scoped: true, roles: ['province_office'], tokens: true, label: { vi: 'đặt chi phí, thời gian mặc định của chỉ tiêu', en: 'set default indicator costs and times' } },
  // Recognition dossiers (issue 7). Who moves a dossier at which step is the workflow's business
  // (src/domain/dossier-workflow.ts: the step's role on the dossier's unit); these gate the routes.
  'dossier.read': { kind: 'read', scoped: true, roles: ALL_READERS, tokens: true, label: { vi: 'xem hồ sơ đề nghị công nhận', en: 'read recognition dossiers' } },
  'dossier.write': { kind: 'write', scoped: true, roles: ['province_office', 'district_office', 'commune_officer'], tokens: false, label: { vi: 'lập, chuyển, trả hồ sơ công nhận', en: 'prepare, move and return recognition dossiers' } },
  'dossier.moderate': { kind: 'write', scoped: true, roles: ['province_office', 'district_office', 'commune_officer'], tokens: false, label: { vi: 'kiểm duyệt ý kiến của người dân', en: "moderate residents' comments" } },
  'revocation.manage': { kind: 'write', scoped: true, roles: ['province_office'], tokens: false, label: { vi: 'xử lý cảnh báo thu hồi công nhận', en: 'handle revocation alerts' } },
  'inbox.read': { kind: 'read', scoped: false, roles: 'authenticated', tokens: false, label: { vi: 'xem hộp thư nhắc việc', en: 'read the reminder inbox' } },
} as const satisfies Record<string, ActionRule>;

export type Action = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as Action[];

export function isAction(x: unknown): x is Action {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ACTIONS, x);
}

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

export function ruleOf(action: Action): ActionRule {
  return ACTIONS[action];
}

/** Actions an API token may carry. */
export const TOKEN_ACTIONS = ACTION_NAMES.filter((a) => ACTIONS[a].tokens && a !== 'public' && a !== 'health.read');

/** Does the role have the action at all (ignoring units)? */
export function roleHas(role: Role, action: Action): boolean {
  const r = ACTIONS[action].roles;
  if (r === 'everyone' || r === 'authenticated') return true;
  return (r as readonly string[]).includes(role);
}

/** A role on a unit subtree (`unitId` null: everywhere), valid between two dates (inclusive). */
export interface Grant {
  id?: number;
  role: Role;
  unitId: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/** Who is asking, as far as the policy is concerned. */
export type Principal =
  | { kind: 'anonymous'; /** Demo database: anonymous callers read like a viewer of everything. */ demoViewer: boolean }
  | { kind: 'user'; userId: number; username: string; grants: readonly Grant[] }
  | { kind: 'token'; tokenId: number; name: string; actions: readonly Action[]; unitIds: readonly string[] | null };

/**
 * The units that stand for a target unit in scope checks: `write` = the unit and its ancestors;
 * `read` = those plus, for the unit and each ancestor, its predecessors and successors (merge
 * lineage) and their ancestors. A grant on unit G covers the target when G is among the keys.
 */
export interface UnitScopeKeys {
  write: ReadonlySet<string>;
  read: ReadonlySet<string>;
}

/**
 * What to check the action against: a unit's keys; `anywhere` (could the principal do it on some
 * unit — the route-level gate); `everywhere` (on every unit — e.g. an unfiltered list).
 */
export type Target = UnitScopeKeys | 'anywhere' | 'everywhere';

export type DenyReason = 'unauthenticated' | 'no_permission' | 'out_of_scope' | 'not_for_tokens';

export type Decision = { allowed: true } | { allowed: false; reason: DenyReason };

const ALLOW: Decision = Object.freeze({ allowed: true });
const deny = (reason: DenyReason): Decision => ({ allowed: false, reason });

export function grantActiveOn(g: Grant, today: string): boolean {
  return (g.validFrom === null || g.validFrom <= today) && (g.validTo === null || today <= g.validTo);
}

function covers(unitId: string | null, kind: ActionKind, target: Target): boolean {
  if (unitId === null) return true;
  if (target === 'anywhere') return true;
  if (target === 'everywhere') return false;
  return (kind === 'write' ? target.write : target.read).has(unitId);
}

/** May `principal` perform `action` on `target`, on `today` (YYYY-MM-DD, Vietnam time)? */
export function decide(principal: Principal, action: Action, target: Target, today: string): Decision {
  const rule: ActionRule = ACTIONS[action];
  if (rule.roles === 'everyone') return ALLOW;
  const t: Target = rule.scoped ? target : 'anywhere';
  switch (principal.kind) {
    case 'anonymous':
      // Demo: read like a viewer of everything; never write.
      if (principal.demoViewer && rule.kind === 'read' && roleHas('viewer', action)) return ALLOW;
      return deny('unauthenticated');
    case 'token': {
      if (!rule.tokens) return deny('not_for_tokens');
      if (!principal.actions.includes(action)) return deny('no_permission');
      if (principal.unitIds === null) return ALLOW;
      return principal.unitIds.some((u) => covers(u, rule.kind, t)) ? ALLOW : deny('out_of_scope');
    }
    case 'user': {
      if (rule.roles === 'authenticated') return ALLOW;
      let hasRole = false;
      for (const g of principal.grants) {
        if (!grantActiveOn(g, today) || !roleHas(g.role, action)) continue;
        hasRole = true;
        if (covers(g.unitId, rule.kind, t)) return ALLOW;
      }
      return deny(hasRole ? 'out_of_scope' : 'no_permission');
    }
  }
}

/**
 * The roles a principal holds on a unit for writing (grants active today whose unit covers the
 * target's write keys): what the dossier workflow checks a step's role against. Tokens and
 * anonymous callers hold none.
 */
export function rolesOn(principal: Principal, keys: UnitScopeKeys, today: string): Role[] {
  if (principal.kind !== 'user') return [];
  const out = new Set<Role>();
  for (const g of principal.grants) if (grantActiveOn(g, today) && covers(g.unitId, 'write', keys)) out.add(g.role);
  return [...out];
}

/** Roles whose accounts must use a second factor by default (SEC-AUTH-06). */
export const DEFAULT_MFA_ROLES: readonly Role[] = ['admin', 'province_office'];

/** Roles with administrator session rules (shorter idle timeout, password history and age, IP allowlist). */
export const ADMIN_ROLES: readonly Role[] = ['admin'];

/** Actions that count as administration (IP allowlist, SEC-SESS-02). */
export const ADMIN_ACTIONS: readonly Action[] = ['user.manage', 'token.manage'];

/** Where a signed-in user starts: their own place, not the demo province. */
export type Landing =
  | { kind: 'unit'; unitId: string; role: Role }
  | { kind: 'committees'; unitId: string | null; role: Role }
  | { kind: 'admin' | 'audit' | 'national'; role: Role }
  | { kind: 'none' };

/** The role whose place a user with several grants lands on: the most hands-on work first. */
const LANDING_ORDER: readonly Role[] = ['commune_officer', 'province_office', 'national_office', 'committee_member', 'district_office', 'viewer', 'admin', 'auditor'];

/**
 * Trang đầu theo vai trò — the landing page of a signed-in user: a commune officer's commune, an
 * office's province or district, a committee member's committees, a viewer's unit; administrators
 * their accounts page, audit-log reviewers the audit trail. Grants active today come first; a user
 * whose grants have all ended (a district office after 7/2025) lands on the latest one's unit.
 * A grant on the whole country (null unit) of a unit role lands on the national default (`none`).
 */
export function landingFor(grants: readonly Grant[], today: string): Landing {
  const active = grants.filter((g) => grantActiveOn(g, today));
  const pool = active.length > 0 ? active : [...grants].sort((a, b) => (b.validTo ?? '').localeCompare(a.validTo ?? ''));
  const g = [...pool].sort((a, b) => LANDING_ORDER.indexOf(a.role) - LANDING_ORDER.indexOf(b.role))[0];
  if (!g) return { kind: 'none' };
  if (g.role === 'admin') return { kind: 'admin', role: g.role };
  if (g.role === 'auditor') return { kind: 'audit', role: g.role };
  // The central office's place is the country page, whatever unit its grant names.
  if (g.role === 'national_office') return { kind: 'national', role: g.role };
  if (g.role === 'committee_member') return { kind: 'committees', unitId: g.unitId, role: g.role };
  return g.unitId === null ? { kind: 'none' } : { kind: 'unit', unitId: g.unitId, role: g.role };
}

/**
 * The README's role table, generated from ACTIONS so the documentation cannot drift from the
 * policy (a test compares them; `datchuan user roles` prints it). Scoped reads and writes reach
 * the granted unit's subtree; "also" lists what needs the role alone.
 */
export function roleTableMarkdown(): string {
  const skip = new Set<Action>(['public', 'health.read', 'session.self', 'inbox.read']);
  const labels = (role: Role, pick: (r: ActionRule) => boolean) =>
    ACTION_NAMES.filter((a) => !skip.has(a) && pick(ACTIONS[a]) && Array.isArray(ACTIONS[a].roles) && roleHas(role, a))
      .map((a) => `\`${a}\``)
      .join(', ') || '—';
  const rows = ROLES.map((r) => {
    const reads = labels(r, (x) => x.scoped && x.kind === 'read');
    const writes = labels(r, (x) => x.scoped && x.kind === 'write');
    const also = labels(r, (x) => !x.scoped);
    return `| \`${r}\` — ${ROLE_LABELS[r].vi} | ${reads} | ${writes} | ${also} |`;
  });
  return ['| role | reads, on its unit’s subtree (+ merge lineage) | writes, on its unit’s subtree | also, wherever |', '|---|---|---|---|', ...rows].join('\n');
}
