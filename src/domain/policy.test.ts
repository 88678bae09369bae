import { describe, expect, it } from 'vitest';
import { ACTIONS, ACTION_NAMES, ROLES, TOKEN_ACTIONS, decide, landingFor, roleHas, roleTableMarkdown, type Principal, type Role, type UnitScopeKeys } from './policy.ts';
import { checkPassword, DEFAULT_PASSWORD_RULES } from './password-policy.ts';

const TODAY = '2026-11-27';
const keys = (write: string[], read: string[] = write): UnitScopeKeys => ({ write: new Set(write), read: new Set([...write, ...read]) });
// A commune under a district under a province; read keys also reach the successor commune and province.
const COMMUNE = keys(['13510@2025-03', '352@2025-03', '35@2025-03'], ['13504@2025-07', '37@2025-07']);

function user(role: (typeof ROLES)[number], unitId: string | null, period: { validFrom?: string; validTo?: string } = {}): Principal {
  return { kind: 'user', userId: 1, username: 'u', grants: [{ role, unitId, validFrom: period.validFrom ?? null, validTo: period.validTo ?? null }] };
}

describe('policy table', () => {
  it('names every action with a Vietnamese and an English label, and every listed role exists', () => {
    for (const a of ACTION_NAMES) {
      const r = ACTIONS[a];
      expect(r.label.vi.length).toBeGreaterThan(3);
      expect(r.label.en.length).toBeGreaterThan(3);
      if (Array.isArray(r.roles)) for (const role of r.roles) expect(ROLES).toContain(role);
    }
  });

  it('keeps administrators out of data entry and out of the audit log (least privilege)', () => {
    expect(roleHas('admin', 'review.write')).toBe(false);
    expect(roleHas('admin', 'review.submit')).toBe(false);
    expect(roleHas('admin', 'audit.read')).toBe(false);
    expect(roleHas('auditor', 'audit.read')).toBe(true);
    expect(roleHas('auditor', 'review.read')).toBe(false);
    expect(roleHas('viewer', 'review.write')).toBe(false);
    expect(roleHas('district_office', 'review.write')).toBe(false);
  });

  it('decides role × action × in/out of scope for every combination from the table itself', () => {
    const outside = keys(['00004@2025-03', '001@2025-03', '01@2025-03']);
    for (const role of ROLES) {
      for (const action of ACTION_NAMES) {
        const rule = ACTIONS[action];
        const granted = user(role, '35@2025-03');
        const expectIn = rule.roles === 'everyone' || rule.roles === 'authenticated' || roleHas(role, action);
        expect(decide(granted, action, COMMUNE, TODAY).allowed, `${role} ${action} in scope`).toBe(expectIn);
        const expectOut = expectIn && !rule.scoped;
        expect(decide(granted, action, outside, TODAY).allowed, `${role} ${action} out of scope`).toBe(rule.roles === 'everyone' || expectOut);
      }
    }
  });

  it('reads through the merge lineage but writes only within the granted subtree', () => {
    const newOfficer = user('commune_officer', '13504@2025-07');
    expect(decide(newOfficer, 'review.read', COMMUNE, TODAY).allowed).toBe(true);
    expect(decide(newOfficer, 'review.write', COMMUNE, TODAY)).toEqual({ allowed: false, reason: 'out_of_scope' });
    const oldOfficer = user('commune_officer', '13510@2025-03');
    expect(decide(oldOfficer, 'review.write', COMMUNE, TODAY).allowed).toBe(true);
  });

  it('honours the period of a grant', () => {
    expect(decide(user('province_office', '35@2025-03', { validTo: '2025-06-30' }), 'review.read', COMMUNE, TODAY)).toEqual({ allowed: false, reason: 'no_permission' });
    expect(decide(user('province_office', '35@2025-03', { validFrom: '2027-01-01' }), 'review.read', COMMUNE, TODAY).allowed).toBe(false);
    expect(decide(user('province_office', '35@2025-03', { validFrom: '2026-01-01', validTo: TODAY }), 'review.read', COMMUNE, TODAY).allowed).toBe(true);
  });

  it('lets anonymous callers read only on a demo database, and never write', () => {
    const demo: Principal = { kind: 'anonymous', demoViewer: true };
    const real: Principal = { kind: 'anonymous', demoViewer: false };
    expect(decide(demo, 'summary.read', COMMUNE, TODAY).allowed).toBe(true);
    expect(decide(demo, 'review.write', COMMUNE, TODAY)).toEqual({ allowed: false, reason: 'unauthenticated' });
    expect(decide(demo, 'audit.read', COMMUNE, TODAY).allowed).toBe(false);
    expect(decide(real, 'summary.read', COMMUNE, TODAY)).toEqual({ allowed: false, reason: 'unauthenticated' });
    expect(decide(real, 'health.read', 'anywhere', TODAY).allowed).toBe(true);
    expect(decide(real, 'public', 'anywhere', TODAY).allowed).toBe(true);
  });

  it('limits tokens to their actions and units, and never lets them manage accounts or tokens', () => {
    const t: Principal = { kind: 'token', tokenId: 1, name: 'feed', actions: ['feed.read', 'summary.read'], unitIds: ['35@2025-03'] };
    expect(decide(t, 'feed.read', COMMUNE, TODAY).allowed).toBe(true);
    expect(decide(t, 'review.write', COMMUNE, TODAY)).toEqual({ allowed: false, reason: 'no_permission' });
    expect(decide(t, 'feed.read', keys(['01@2025-03']), TODAY)).toEqual({ allowed: false, reason: 'out_of_scope' });
    expect(decide({ ...t, actions: ['user.manage' as never] }, 'user.manage', 'anywhere', TODAY)).toEqual({ allowed: false, reason: 'not_for_tokens' });
    expect(TOKEN_ACTIONS).not.toContain('user.manage');
    expect(TOKEN_ACTIONS).not.toContain('token.manage');
    expect(TOKEN_ACTIONS).not.toContain('session.self');
  });

  it("needs a nationwide grant for 'everywhere' (unfiltered lists)", () => {
    expect(decide(user('province_office', '35@2025-03'), 'audit.read', 'everywhere', TODAY).allowed).toBe(false);
    expect(decide(user('auditor', null), 'audit.read', 'everywhere', TODAY).allowed).toBe(true);
  });
});

describe('password rules', () => {
  const rules = DEFAULT_PASSWORD_RULES;
  it('prefers length: a long passphrase passes, short or common ones fail, in both languages', () => {
    expect(checkPassword('ba con meo trèo cây cau', rules)).toEqual([]);
    const short = checkPassword('Ab1!xyz', rules);
    expect(short[0]!.vi).toContain('ít nhất 12');
    expect(short[0]!.en).toContain('at least 12');
    expect(checkPassword('matkhau123456', rules).some((p) => p.en.includes('too common'))).toBe(true);
    expect(checkPassword('Mật Khẩu 2024!!', { ...rules, minLength: 8 }).some((p) => p.vi.includes('quá phổ biến'))).toBe(true);
    expect(checkPassword('123456789012', rules).length).toBeGreaterThan(0);
    expect(checkPassword('aaaaaaaaaaaaaa', rules).length).toBeGreaterThan(0);
  });
  it('refuses the username inside the password and can require character classes', () => {
    expect(checkPassword('xa.tranganh-2026-ok', rules, { username: 'xa.tranganh' }).some((p) => p.en.includes('username'))).toBe(true);
    expect(checkPassword('only lower case words here', { ...rules, minClasses: 3 }).some((p) => p.en.includes('kinds'))).toBe(true);
    expect(checkPassword('Only Upper 4nd digits', { ...rules, minClasses: 3 })).toEqual([]);
  });
});

describe('landing page by role', () => {
  const g = (role: Role, unitId: string | null, validTo: string | null = null, validFrom: string | null = null) => ({ role, unitId, validFrom, validTo });
  const today = '2026-12-03';

  it('sends each role to its own place', () => {
    expect(landingFor([g('commune_officer', '13504@2025-07')], today)).toEqual({ kind: 'unit', unitId: '13504@2025-07', role: 'commune_officer' });
    expect(landingFor([g('province_office', '37@2025-07')], today)).toEqual({ kind: 'unit', unitId: '37@2025-07', role: 'province_office' });
    expect(landingFor([g('committee_member', '37@2025-07')], today)).toEqual({ kind: 'committees', unitId: '37@2025-07', role: 'committee_member' });
    expect(landingFor([g('admin', null)], today)).toEqual({ kind: 'admin', role: 'admin' });
    expect(landingFor([g('auditor', null)], today)).toEqual({ kind: 'audit', role: 'auditor' });
    expect(landingFor([g('viewer', null)], today)).toEqual({ kind: 'none' });
    expect(landingFor([], today)).toEqual({ kind: 'none' });
  });

  it('prefers hands-on work and grants active today', () => {
    expect(landingFor([g('viewer', '37@2025-07'), g('commune_officer', '13504@2025-07')], today).kind).toBe('unit');
    expect(landingFor([g('admin', null), g('province_office', '37@2025-07')], today)).toMatchObject({ unitId: '37@2025-07' });
    // An ended commune grant does not win over an active viewer grant.
    expect(landingFor([g('commune_officer', '13510@2025-03', '2025-06-30'), g('viewer', '37@2025-07')], today)).toMatchObject({ role: 'viewer' });
    // All ended (a district office after the reform): the district's own page, read as history.
    expect(landingFor([g('district_office', '352@2025-03', '2025-06-30')], today)).toEqual({ kind: 'unit', unitId: '352@2025-03', role: 'district_office' });
  });
});

describe('the README role table', () => {
  it('is the one generated from the policy table', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const m = /<!-- role-table:start[^>]*-->\n([\s\S]*?)\n<!-- role-table:end -->/.exec(readme);
    expect(m, 'README.md needs the <!-- role-table:start --> … <!-- role-table:end --> markers').not.toBeNull();
    expect(m![1], 'README role table differs from src/domain/policy.ts: paste `npx datchuan user roles`').toBe(roleTableMarkdown());
  });

  it('names every write a role holds (the district office and committee members are not read-only)', () => {
    const t = roleTableMarkdown();
    const row = (r: string) => t.split('\n').find((l) => l.startsWith(`| \`${r}\``))!;
    expect(row('district_office')).toContain('committee.write');
    expect(row('committee_member')).toContain('committee.write');
    expect(row('viewer').split('|')[3]!.trim()).toBe('—');
  });
});
