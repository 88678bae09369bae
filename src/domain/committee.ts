/**
 * Ban Chỉ đạo — a steering committee of a unit (district, province, commune) for a period, its
 * members over time, and its meetings (buổi làm việc, hội nghị). Pure rules: membership dates,
 * one head at a time, what a member is on a date.
 */
import type { BilingualMessage } from './errors.ts';
import { formatDateVi, isIsoDate } from './dates.ts';
import { problem, type FieldProblem } from './field-error.ts';

/** Vai trò trong Ban Chỉ đạo. */
export const MEMBER_ROLES = ['head', 'deputy', 'standing', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MEMBER_ROLE_LABELS: Readonly<Record<MemberRole, BilingualMessage>> = {
  head: { vi: 'Trưởng ban', en: 'Head' },
  deputy: { vi: 'Phó Trưởng ban', en: 'Deputy head' },
  standing: { vi: 'Ủy viên thường trực', en: 'Standing member' },
  member: { vi: 'Thành viên', en: 'Member' },
};

/** Loại cuộc họp. */
export const MEETING_KINDS = ['working_session', 'conference', 'inspection'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_KIND_LABELS: Readonly<Record<MeetingKind, BilingualMessage>> = {
  working_session: { vi: 'Buổi làm việc', en: 'Working session' },
  conference: { vi: 'Hội nghị', en: 'Conference' },
  inspection: { vi: 'Kiểm tra thực tế', en: 'Field inspection' },
};

/** Vai trò tại cuộc họp. */
export const PARTICIPANT_ROLES = ['chair', 'member', 'commune', 'guest', 'secretary'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];
export const PARTICIPANT_ROLE_LABELS: Readonly<Record<ParticipantRole, BilingualMessage>> = {
  chair: { vi: 'Chủ trì', en: 'Chair' },
  member: { vi: 'Thành viên Ban Chỉ đạo', en: 'Committee member' },
  commune: { vi: 'Đại diện xã', en: 'Commune representative' },
  guest: { vi: 'Khách mời', en: 'Guest' },
  secretary: { vi: 'Thư ký', en: 'Secretary' },
};

export const MEETING_STATUSES = ['planned', 'held', 'concluded'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const MEETING_STATUS_LABELS: Readonly<Record<MeetingStatus, BilingualMessage>> = {
  planned: { vi: 'Dự kiến', en: 'Planned' },
  held: { vi: 'Đã họp', en: 'Held' },
  concluded: { vi: 'Đã ban hành kết luận', en: 'Conclusions issued' },
};

export interface Membership {
  id?: number;
  personName: string;
  role: MemberRole;
  joinedOn: string;
  leftOn: string | null;
}

/** Is the membership current on `date` (joined on or before, not yet left)? */
export function activeOn(m: Pick<Membership, 'joinedOn' | 'leftOn'>, date: string): boolean {
  return m.joinedOn <= date && (m.leftOn === null || date < m.leftOn);
}

function overlaps(a: Pick<Membership, 'joinedOn' | 'leftOn'>, b: Pick<Membership, 'joinedOn' | 'leftOn'>): boolean {
  const aEnd = a.leftOn ?? '9999-12-31';
  const bEnd = b.leftOn ?? '9999-12-31';
  return a.joinedOn < bEnd && b.joinedOn < aEnd;
}

/**
 * Problems of a membership among the committee's others: real dates, left after joined, within
 * the committee's period, and never two heads at the same time.
 */
export function membershipProblems(
  m: { personName?: string | null; role?: string | null; joinedOn?: string | null; leftOn?: string | null },
  others: readonly Membership[],
  committee: { periodFrom: string; periodTo: string | null },
): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!m.personName || !m.personName.trim()) out.push(problem('personName', 'Thành viên cần có họ tên (trường "personName").', 'A member needs a name (field "personName").'));
  if (!m.role || !(MEMBER_ROLES as readonly string[]).includes(m.role)) {
    out.push(problem('role', `Vai trò "${m.role ?? ''}" không hợp lệ (head, deputy, standing, member).`, `Role "${m.role ?? ''}" is invalid (head, deputy, standing, member).`));
  }
  if (!m.joinedOn || !isIsoDate(m.joinedOn)) {
    out.push(problem('joinedOn', `Ngày tham gia "${m.joinedOn ?? ''}" không hợp lệ (cần YYYY-MM-DD).`, `Joining date "${m.joinedOn ?? ''}" is not a valid YYYY-MM-DD date.`));
    return out;
  }
  if (m.leftOn != null && (!isIsoDate(m.leftOn) || m.leftOn <= m.joinedOn)) {
    out.push(problem('leftOn', `Ngày thôi tham gia phải sau ngày tham gia ${formatDateVi(m.joinedOn)}.`, `The leaving date must be after the joining date ${m.joinedOn}.`));
  }
  if (m.joinedOn < committee.periodFrom || (committee.periodTo !== null && m.joinedOn > committee.periodTo)) {
    out.push(
      problem(
        'joinedOn',
        `Ngày tham gia ${formatDateVi(m.joinedOn)} nằm ngoài nhiệm kỳ của Ban Chỉ đạo (${formatDateVi(committee.periodFrom)} – ${committee.periodTo ? formatDateVi(committee.periodTo) : 'nay'}).`,
        `Joining date ${m.joinedOn} is outside the committee's period (${committee.periodFrom} – ${committee.periodTo ?? 'now'}).`,
      ),
    );
  }
  if (m.role === 'head' && out.length === 0) {
    const span = { joinedOn: m.joinedOn, leftOn: m.leftOn ?? null };
    const clash = others.find((o) => o.role === 'head' && overlaps(o, span));
    if (clash) {
      out.push(
        problem(
          'role',
          `Ban Chỉ đạo đã có Trưởng ban ${clash.personName} trong thời gian này: hãy ghi ngày thôi giữ vai trò của người đó trước.`,
          `The committee already has a head (${clash.personName}) in this period: record the date they left the role first.`,
        ),
      );
    }
  }
  return out;
}

/** Members current on `date`, heads first, then deputies, standing members and members. */
export function currentMembers<T extends Pick<Membership, 'role' | 'joinedOn' | 'leftOn'>>(members: readonly T[], date: string): T[] {
  return members.filter((m) => activeOn(m, date)).sort((a, b) => MEMBER_ROLES.indexOf(a.role) - MEMBER_ROLES.indexOf(b.role));
}
