/**
 * Tài khoản minh họa — the demo accounts, created with the demo data only. Their shared password
 * is public (README, login page on a demo database). Exception, demo only: on a demo database they
 * are not forced to change the password or to enrol MFA, and the inactivity job leaves them alone;
 * on a database that is not a demo they cannot sign in at all.
 */
import type { Db } from '../db/database.ts';
import { findUserByUsername } from '../db/user.repository.ts';
import { defaultSecurityConfig } from '../config.ts';
import type { Role } from '../domain/policy.ts';
import { createAuthContext } from '../services/auth.service.ts';
import { createUser } from '../services/user.service.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';

export const DEMO_PASSWORD = 'nongthon-2025';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  description: { vi: string; en: string };
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'admin', displayName: 'Quản trị hệ thống (minh họa)', role: 'admin', unitId: null, description: { vi: 'Quản trị: tài khoản, phân quyền, khóa API (không sửa số liệu)', en: 'Administrator: accounts, roles, API tokens (no data entry)' } },
  {
    username: 'trunguong',
    displayName: 'VP Điều phối NTM Trung ương (minh họa)',
    role: 'national_office',
    unitId: null,
    description: { vi: 'Văn phòng Điều phối NTM Trung ương: xem số liệu cả nước (34 tỉnh, thành phố), không sửa số liệu của xã', en: 'Central NTM coordination office: reads the whole country (34 provinces), never edits communes’ data' },
  },
  {
    username: 'tinh.ninhbinh',
    displayName: 'VP Điều phối NTM tỉnh Ninh Bình (minh họa)',
    role: 'province_office',
    unitId: '37@2025-07',
    description: { vi: 'Văn phòng Điều phối tỉnh Ninh Bình, đọc cả lịch sử Hà Nam trước sáp nhập', en: 'Ninh Bình province office, also reads Hà Nam’s pre-merger history' },
  },
  {
    username: 'tinh.ninhbinh.kiemtra',
    displayName: 'VP Điều phối NTM tỉnh Ninh Bình — cán bộ kiểm tra (minh họa)',
    role: 'province_office',
    unitId: '37@2025-07',
    description: { vi: 'Cán bộ thứ hai của Văn phòng Điều phối tỉnh: xác minh chỉ tiêu do đồng nghiệp nhập (bốn mắt)', en: 'The province office’s second officer: verifies indicators a colleague entered (four eyes)' },
  },
  {
    username: 'huyen.binhluc',
    displayName: 'VP Điều phối NTM huyện Bình Lục (minh họa)',
    role: 'district_office',
    unitId: '352@2025-03',
    description: { vi: 'Huyện Bình Lục (trước 7/2025): Ban Chỉ đạo, nhiệm vụ, kế hoạch, hồ sơ của huyện', en: 'Bình Lục district (before 7/2025): its committee, tasks, plans and dossiers' },
  },
  {
    username: 'xa.tranganh',
    displayName: 'Cán bộ xã Tràng An (minh họa)',
    role: 'commune_officer',
    unitId: '13510@2025-03',
    description: { vi: 'Cán bộ xã Tràng An (13510, trước 7/2025); xem được xã Bình Lục mới (13504) qua sáp nhập', en: 'Officer of Tràng An (13510, before 7/2025); reads the new Bình Lục commune (13504) through the merger' },
  },
  {
    username: 'xa.binhluc',
    displayName: 'Cán bộ xã Bình Lục (minh họa)',
    role: 'commune_officer',
    unitId: '13504@2025-07',
    description: { vi: 'Cán bộ xã Bình Lục mới (13504, từ 7/2025); xem lịch sử các xã cũ, không sửa được', en: 'Officer of the new Bình Lục commune (13504, from 7/2025); reads the old communes’ history, cannot change it' },
  },
  {
    username: 'hoidong.ninhbinh',
    displayName: 'Thành viên Ban Chỉ đạo tỉnh (minh họa)',
    role: 'committee_member',
    unitId: '37@2025-07',
    description: { vi: 'Thành viên Ban Chỉ đạo tỉnh Ninh Bình: cuộc họp, kết luận, giao nhiệm vụ; xem nhật ký', en: 'Ninh Bình steering committee member: meetings, conclusions, tasks; reads the audit trail' },
  },
  { username: 'xem', displayName: 'Người xem (minh họa)', role: 'viewer', unitId: '37@2025-07', description: { vi: 'Chỉ xem tỉnh Ninh Bình', en: 'Reads Ninh Bình only' } },
  { username: 'kiemtoan', displayName: 'Kiểm soát viên nhật ký (minh họa)', role: 'auditor', unitId: null, description: { vi: 'Xem toàn bộ nhật ký thay đổi, kiểm tra chuỗi băm', en: 'Reads the whole audit trail, verifies the hash chain' } },
];

/**
 * Create the demo accounts that do not exist yet (units must be imported first). With `synthetic`
 * (the synthetic data, seed/synthetic.ts) their names say "(dữ liệu tổng hợp)" instead of "(minh họa)".
 */
export async function seedDemoAccounts(db: Db, opts: { synthetic?: boolean } = {}): Promise<number> {
  const ctx = createAuthContext(db, defaultSecurityConfig());
  let created = 0;
  for (const a of DEMO_ACCOUNTS) {
    if (await findUserByUsername(db.kysely, a.username)) continue;
    await createUser(ctx, SYSTEM_ACTOR, {
      username: a.username,
      displayName: opts.synthetic ? a.displayName.replace('(minh họa)', '(dữ liệu tổng hợp)') : a.displayName,
      password: DEMO_PASSWORD,
      isDemo: true,
      mustChangePassword: false,
      grants: [{ role: a.role, unitId: a.unitId }],
    });
    created++;
  }
  return created;
}
