/**
 * Văn bản của cuộc họp Ban Chỉ đạo — the two Word documents a steering committee meeting
 * produces, in the Decree 30/2020 format (rendered by docx.ts):
 * - the commune's progress report for the meeting (Báo cáo, from UBND xã to the committee): the
 *   status frozen on the meeting date (summary line, criteria table), the unmet list, the tasks,
 *   the action plan and its funding by source, the budget requests;
 * - the conclusion notice (Thông báo kết luận, from the committee): who chaired and attended,
 *   the status presented, each numbered conclusion with the tasks it became, the task table.
 * Pure: plain data in, a `Report` out.
 */
import type { VerdictStatus } from '../../../domain/criteria.ts';
import type { BilingualMessage } from '../../../domain/errors.ts';
import type { Block, Column, Report, Row } from '../model.ts';
import { fileStem, typed } from '../model.ts';
import { dateVi, numberVi } from '../../format.ts';
import { m } from './labels.ts';
import { officialHeader, signature, unitInText, type OfficialOptions, type UnitNaming } from './official.ts';

/** The commune's status as presented at the meeting (frozen). */
export interface PresentedStatus {
  date: string;
  reviewedOn: string | null;
  setName: string | null;
  totals: { criteriaMet: number; criteriaTotal: number; indicatorsMet: number; indicatorsTotal: number } | null;
  criteria: Array<{ code: string; name: string; status: VerdictStatus; indicatorsMet: number; indicatorsTotal: number }>;
  unmet: Array<{ code: string; name: string; indicators: Array<{ code: string; name: string; reason: BilingualMessage }> }>;
  summaryLine: BilingualMessage;
}

export interface TaskLine {
  title: string;
  assignee: string;
  dueOn: string;
  status: string;
  progress: number;
  priority: string;
  targets: string[];
  conclusionSeq: number | null;
}

export interface ActionLine {
  criterion: string;
  indicator: string | null;
  action: string;
  fromValue: string | null;
  toValue: string | null;
  estimatedCost: number | null;
  targetOn: string | null;
  owner: string | null;
  status: string;
}

export interface FundingLine {
  source: string;
  planned: number;
  mobilised: number;
  disbursed: number;
}

export interface BudgetRequestLine {
  to: string;
  title: string;
  source: string;
  amount: number;
  requestedOn: string;
  status: string;
  approvedAmount: number | null;
  responseText: string | null;
}

export interface MeetingInfo {
  title: string;
  heldOn: string;
  place: string | null;
  kind: string;
  committeeName: string;
  /** The committee's unit ("Huyện Bình Lục"). */
  committeeUnit: UnitNaming;
}

const STATUS_VI: Readonly<Record<VerdictStatus, string>> = { met: 'Đạt', not_met: 'Chưa đạt', not_evaluable: 'Chưa đánh giá được', not_applicable: 'Không áp dụng' };

/** 2_500_000_000 đồng → "2.500" (triệu đồng). */
function million(dong: number | null): string {
  return dong === null ? '' : numberVi(dong / 1_000_000, 3);
}

function statusTable(s: PresentedStatus): Block {
  const columns: Column[] = [
    { key: 'code', title: m('TT', 'No.'), type: 'text', width: 5, align: 'center' },
    { key: 'name', title: m('Tiêu chí', 'Criterion'), type: 'text', width: 42 },
    { key: 'ind', title: m('Chỉ tiêu đạt', 'Indicators met'), type: 'text', width: 12, align: 'center' },
    { key: 'status', title: m('Kết quả', 'Result'), type: 'text', width: 14, align: 'center' },
  ];
  const rows: Row[] = s.criteria.map((c) => ({ cells: [c.code, c.name, `${c.indicatorsMet}/${c.indicatorsTotal}`, STATUS_VI[c.status]] }));
  if (s.totals) rows.push({ kind: 'strong', cells: ['', 'Tổng cộng', `${s.totals.indicatorsMet}/${s.totals.indicatorsTotal}`, `${s.totals.criteriaMet}/${s.totals.criteriaTotal} đạt`] });
  return {
    type: 'table',
    fontSize: 12,
    table: { id: 'status', sheetName: 'Kết quả', title: m(`Kết quả thực hiện các tiêu chí đến ngày ${dateVi(s.date)}`, `Criteria results as of ${s.date}`), columns, rows },
  };
}

function unmetTable(s: PresentedStatus): Block {
  const columns: Column[] = [
    { key: 'code', title: m('Mã', 'Code'), type: 'text', width: 7, align: 'center' },
    { key: 'name', title: m('Tiêu chí / chỉ tiêu chưa đạt', 'Unmet criterion / indicator'), type: 'text', width: 38 },
    { key: 'reason', title: m('Hiện trạng so với yêu cầu', 'Status against the target'), type: 'text', width: 35 },
  ];
  const rows: Row[] = [];
  for (const c of s.unmet) {
    rows.push({ kind: 'strong', cells: [c.code, `Tiêu chí ${c.code}. ${c.name}`, ''] });
    for (const i of c.indicators) rows.push({ cells: [i.code, i.name, i.reason.vi] });
  }
  return { type: 'table', fontSize: 12, table: { id: 'unmet', sheetName: 'Chưa đạt', title: m('Các tiêu chí, chỉ tiêu chưa đạt', 'Unmet criteria and indicators'), columns, rows } };
}

function taskTable(tasks: readonly TaskLine[], withStatus: boolean): Block {
  const columns: Column[] = [
    { key: 'n', title: m('TT', 'No.'), type: 'integer', width: 5, align: 'center' },
    { key: 'title', title: m('Nhiệm vụ', 'Task'), type: 'text', width: 38 },
    { key: 'who', title: m('Đơn vị, người thực hiện', 'Assignee'), type: 'text', width: 20 },
    { key: 'due', title: m('Thời hạn', 'Due'), type: 'date', width: 12 },
    ...(withStatus
      ? [{ key: 'status', title: m('Tình trạng', 'Status'), type: 'text' as const, width: 16, align: 'center' as const }]
      : [{ key: 'priority', title: m('Mức độ', 'Priority'), type: 'text' as const, width: 12, align: 'center' as const }]),
  ];
  const rows: Row[] = tasks.map((t, i) => ({ cells: [i + 1, t.title, t.assignee, typed('date', t.dueOn), withStatus ? `${t.status} (${t.progress}%)` : t.priority] }));
  return { type: 'table', fontSize: 12, table: { id: 'tasks', sheetName: 'Nhiệm vụ', title: m('Danh mục nhiệm vụ', 'Tasks'), columns, rows } };
}

function actionTable(actions: readonly ActionLine[]): Block {
  const columns: Column[] = [
    { key: 'n', title: m('TT', 'No.'), type: 'integer', width: 5, align: 'center' },
    { key: 'action', title: m('Giải pháp', 'Action'), type: 'text', width: 34 },
    { key: 'ind', title: m('Tiêu chí / chỉ tiêu', 'Criterion / indicator'), type: 'text', width: 12, align: 'center' },
    { key: 'effect', title: m('Hiện trạng → mục tiêu', 'From → to'), type: 'text', width: 18 },
    { key: 'cost', title: m('Kinh phí (triệu đồng)', 'Cost (million VND)'), type: 'text', width: 12, align: 'right' },
    { key: 'due', title: m('Thời hạn', 'Target date'), type: 'date', width: 12 },
  ];
  const rows: Row[] = actions.map((a, i) => ({
    cells: [i + 1, a.owner ? `${a.action} (${a.owner})` : a.action, a.indicator ?? a.criterion, a.fromValue || a.toValue ? `${a.fromValue ?? '…'} → ${a.toValue ?? '…'}` : '', million(a.estimatedCost), a.targetOn ? typed('date', a.targetOn) : null],
  }));
  return { type: 'table', fontSize: 12, table: { id: 'actions', sheetName: 'Giải pháp', title: m('Kế hoạch hành động', 'Action plan'), columns, rows } };
}

function fundingTable(lines: readonly FundingLine[]): Block {
  const columns: Column[] = [
    { key: 'source', title: m('Nguồn vốn', 'Source'), type: 'text', width: 34 },
    { key: 'planned', title: m('Kế hoạch', 'Planned'), type: 'text', width: 14, align: 'right' },
    { key: 'mobilised', title: m('Đã huy động', 'Mobilised'), type: 'text', width: 14, align: 'right' },
    { key: 'disbursed', title: m('Đã giải ngân', 'Disbursed'), type: 'text', width: 14, align: 'right' },
  ];
  const rows: Row[] = lines.map((l) => ({ cells: [l.source, million(l.planned), million(l.mobilised), million(l.disbursed)] }));
  const total = lines.reduce((a, l) => ({ planned: a.planned + l.planned, mobilised: a.mobilised + l.mobilised, disbursed: a.disbursed + l.disbursed }), { planned: 0, mobilised: 0, disbursed: 0 });
  rows.push({ kind: 'strong', cells: ['Tổng cộng', million(total.planned), million(total.mobilised), million(total.disbursed)] });
  return {
    type: 'table',
    fontSize: 12,
    table: { id: 'funding', sheetName: 'Nguồn vốn', title: m('Nguồn vốn thực hiện (triệu đồng)', 'Funding by source (million VND)'), columns, rows },
  };
}

// ── The commune's progress report for the meeting ──────────────────────────────────────────

export interface ProgressReportInput {
  commune: UnitNaming & { fullName: string };
  meeting: MeetingInfo;
  status: PresentedStatus;
  tasks: TaskLine[];
  actions: ActionLine[];
  funding: FundingLine[];
  requests: BudgetRequestLine[];
  /** The date tasks and funding are read on. */
  date: string;
  demo: boolean;
  signerName?: string | null;
  official?: OfficialOptions;
  generatedAt?: string;
}

export function buildProgressReport(input: ProgressReportInput): Report {
  const { commune, meeting, status: s } = input;
  const inText = unitInText(commune);
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Thực hiện chương trình làm việc của ${meeting.committeeName} ngày ${dateVi(meeting.heldOn)}, Ủy ban nhân dân ${inText} báo cáo kết quả xây dựng nông thôn mới, nhiệm vụ, giải pháp và kiến nghị như sau:`,
    },
    { type: 'heading', level: 1, text: 'I. Kết quả thực hiện bộ tiêu chí' },
    {
      type: 'paragraph',
      text: s.reviewedOn
        ? `Theo kết quả rà soát ngày ${dateVi(s.reviewedOn)} (${s.setName ?? ''}), ${inText} ${s.summaryLine.vi.charAt(0).toLowerCase()}${s.summaryLine.vi.slice(1)}`
        : `${commune.fullName}: ${s.summaryLine.vi}`,
    },
  ];
  if (s.criteria.length) blocks.push(statusTable(s));
  blocks.push({ type: 'heading', level: 1, text: 'II. Các tiêu chí, chỉ tiêu chưa đạt' });
  if (s.unmet.length) {
    blocks.push({ type: 'paragraph', text: `Còn ${s.unmet.length} tiêu chí với ${s.unmet.reduce((n, c) => n + c.indicators.length, 0)} chỉ tiêu chưa đạt, cụ thể:` });
    blocks.push(unmetTable(s));
  } else {
    blocks.push({ type: 'paragraph', text: 'Không còn tiêu chí, chỉ tiêu chưa đạt.' });
  }
  blocks.push({ type: 'heading', level: 1, text: 'III. Nhiệm vụ, giải pháp' });
  blocks.push({ type: 'heading', level: 2, text: `1. Nhiệm vụ được giao (tình hình đến ngày ${dateVi(input.date)})` });
  if (input.tasks.length) blocks.push(taskTable(input.tasks, true));
  else blocks.push({ type: 'paragraph', text: 'Chưa có nhiệm vụ được giao.' });
  blocks.push({ type: 'heading', level: 2, text: '2. Kế hoạch hành động' });
  if (input.actions.length) blocks.push(actionTable(input.actions));
  else blocks.push({ type: 'paragraph', text: 'Chưa lập kế hoạch hành động.' });
  blocks.push({ type: 'heading', level: 1, text: 'IV. Kinh phí, kiến nghị và đề xuất' });
  if (input.funding.length) blocks.push(fundingTable(input.funding));
  if (input.requests.length) {
    blocks.push({
      type: 'bullets',
      items: input.requests.map(
        (r) =>
          `Đề nghị ${r.to} hỗ trợ ${million(r.amount)} triệu đồng (${r.source.toLowerCase()}) để ${r.title.charAt(0).toLowerCase()}${r.title.slice(1)} (đề xuất ngày ${dateVi(r.requestedOn)}; ${r.status.toLowerCase()}${r.approvedAmount !== null && r.approvedAmount > 0 && r.approvedAmount !== r.amount ? `: ${million(r.approvedAmount)} triệu đồng` : ''}${r.responseText ? ` — ${r.responseText}` : ''})`,
      ),
    });
  } else {
    blocks.push({ type: 'paragraph', text: 'Không có đề xuất kinh phí.' });
  }
  blocks.push({ type: 'paragraph', text: `Trên đây là báo cáo của Ủy ban nhân dân ${inText} phục vụ buổi làm việc với ${meeting.committeeName}./.` });
  const header = officialHeader(commune, input.official ?? {}, {
    docType: 'BÁO CÁO',
    summary: `Kết quả xây dựng nông thôn mới, nhiệm vụ, giải pháp\nphục vụ buổi làm việc ngày ${dateVi(meeting.heldOn)}`,
    date: meeting.heldOn,
    symbol: 'BC-UBND',
    recipientsTo: [meeting.committeeName],
  });
  return {
    kind: 'meeting-progress-report',
    title: m(`Báo cáo của ${commune.fullName} cho buổi làm việc ngày ${dateVi(meeting.heldOn)}`, `${commune.fullName}: progress report for the meeting of ${meeting.heldOn}`),
    meta: { date: s.date, unitName: commune.fullName, setId: null, setName: s.setName, generatedAt: input.generatedAt ?? new Date().toISOString(), demo: input.demo, unverifiedIndicators: 0 },
    header,
    signature: signature({ signerName: input.signerName ?? null, ...input.official }, { recipients: [meeting.committeeName, `Thường trực Đảng ủy, HĐND ${inText}`] }),
    blocks,
    fileName: fileStem('bao-cao', commune.name, meeting.heldOn),
  };
}

// ── The conclusion notice ──────────────────────────────────────────────────────────────────

export interface ConclusionLine {
  seq: number;
  text: string;
  tasks: TaskLine[];
}

export interface NoticeInput {
  meeting: MeetingInfo;
  chair: { name: string; position: string | null } | null;
  participants: Array<{ name: string; position: string | null }>;
  /** The communes reviewed, with what they presented. */
  communes: Array<{ naming: UnitNaming & { fullName: string }; status: PresentedStatus }>;
  conclusions: ConclusionLine[];
  /** Số, ký hiệu ("05/TB-BCĐ"); blank number when not yet registered. */
  noticeNo: string | null;
  noticeOn: string | null;
  /** Agencies and units the tasks went to (recipients). */
  assignees: string[];
  demo: boolean;
  official?: OfficialOptions;
  generatedAt?: string;
}

/**
 * The committee's name in upper case, its phrases held together by no-break spaces so that the
 * Word header breaks it between phrases only: "BAN CHỈ ĐẠO / CÁC CHƯƠNG TRÌNH / MỤC TIÊU QUỐC GIA /
 * TỈNH NINH BÌNH" (the renderer balances the lines to the column).
 */
export function issuingLines(name: string): string {
  const phrases = ['BAN CHỈ ĐẠO', 'CÁC CHƯƠNG TRÌNH', 'MỤC TIÊU QUỐC GIA', 'XÂY DỰNG NÔNG THÔN MỚI', 'NÔNG THÔN MỚI', 'ỦY BAN NHÂN DÂN'];
  let up = name.toUpperCase();
  for (const p of phrases) up = up.replaceAll(p, p.replace(/ /g, '\u00a0'));
  // The unit closing the name ("TỈNH NINH BÌNH", "HUYỆN BÌNH LỤC") is one phrase too.
  return up.replace(/(TỈNH|HUYỆN|XÃ|THÀNH PHỐ|THỊ XÃ)( [^ ]+)+$/u, (x) => x.replace(/ /g, '\u00a0'));
}

/** "Ủy ban nhân dân tỉnh Ninh Bình" as the parent body: "UBND TỈNH NINH BÌNH" (Decree 30, Appendix I: the parent's common phrases may be abbreviated). */
export function parentOf(u: UnitNaming): string {
  return `UBND ${u.type} ${u.name}`.toUpperCase();
}

export function buildConclusionNotice(input: NoticeInput): Report {
  const { meeting } = input;
  const kind = meeting.kind.toLowerCase();
  const withWhom = input.communes.length ? ` với ${input.communes.map((c) => unitInText(c.naming)).join(', ')}` : '';
  const chairText = input.chair ? `đồng chí ${input.chair.name}${input.chair.position ? `, ${input.chair.position}` : ''}` : 'Trưởng Ban Chỉ đạo';
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Ngày ${dateVi(meeting.heldOn)}${meeting.place ? `, tại ${meeting.place}` : ''}, ${chairText} đã chủ trì ${kind}${withWhom} về ${meeting.title.charAt(0).toLowerCase()}${meeting.title.slice(1)}.${input.participants.length ? ` Tham dự có: ${input.participants.map((p) => (p.position ? `đồng chí ${p.name}, ${p.position}` : `đồng chí ${p.name}`)).join('; ')}.` : ''}`,
    },
  ];
  if (input.communes.length) {
    blocks.push({
      type: 'paragraph',
      text: `Sau khi nghe báo cáo kết quả xây dựng nông thôn mới của ${input.communes.map((c) => `Ủy ban nhân dân ${unitInText(c.naming)}`).join(', ')} và ý kiến của các thành viên Ban Chỉ đạo, ${input.chair ? `đồng chí ${input.chair.name}` : 'Trưởng Ban Chỉ đạo'} kết luận như sau:`,
    });
    blocks.push({ type: 'heading', level: 2, text: '1. Đánh giá chung' });
    for (const c of input.communes) {
      const line = c.status.summaryLine.vi;
      blocks.push({
        type: 'paragraph',
        text: c.status.reviewedOn
          ? `Theo kết quả rà soát ngày ${dateVi(c.status.reviewedOn)}, ${unitInText(c.naming)} ${line.charAt(0).toLowerCase()}${line.slice(1)}`
          : `${c.naming.fullName}: ${line}`,
      });
    }
    blocks.push({ type: 'heading', level: 2, text: '2. Nhiệm vụ trong thời gian tới' });
  } else {
    blocks.push({ type: 'paragraph', text: `${input.chair ? `Đồng chí ${input.chair.name}` : 'Trưởng Ban Chỉ đạo'} kết luận như sau:` });
  }
  const letters = 'abcdđeghiklmnopqrstuvxy';
  input.conclusions.forEach((c, i) => {
    const prefix = input.communes.length ? `${letters[i] ?? String(i + 1)}) ` : `${i + 1}. `;
    blocks.push({ type: 'paragraph', text: `${prefix}${c.text}` });
    for (const t of c.tasks) {
      blocks.push({ type: 'paragraph', text: `- ${t.title}: giao ${t.assignee} thực hiện, hoàn thành trước ngày ${dateVi(t.dueOn)}${t.targets.length ? ` (${t.targets.join(', ')})` : ''}.` });
    }
  });
  const all = input.conclusions.flatMap((c) => c.tasks);
  if (all.length) blocks.push(taskTable(all, false));
  blocks.push({ type: 'paragraph', text: `${meeting.committeeName} thông báo để các cơ quan, đơn vị, cá nhân liên quan biết, thực hiện./.` });
  const header = officialHeader(meeting.committeeUnit, input.official ?? {}, {
    docType: 'THÔNG BÁO',
    summary: `Kết luận của Trưởng Ban Chỉ đạo tại ${kind}${withWhom}`,
    date: input.noticeOn ?? meeting.heldOn,
    symbol: 'TB-BCĐ',
  });
  header.parentBody = input.official?.parentBody ?? parentOf(meeting.committeeUnit);
  header.issuingBody = input.official?.issuingBody ?? issuingLines(meeting.committeeName);
  if (input.noticeNo) header.number = input.noticeNo;
  return {
    kind: 'conclusion-notice',
    title: m(`Thông báo kết luận: ${meeting.title}`, `Conclusion notice: ${meeting.title}`),
    meta: { date: meeting.heldOn, unitName: null, setId: null, setName: null, generatedAt: input.generatedAt ?? new Date().toISOString(), demo: input.demo, unverifiedIndicators: 0 },
    header,
    signature: signature(
      { signerAuthority: 'TM. BAN CHỈ ĐẠO', signerPosition: 'TRƯỞNG BAN', signerName: input.chair?.name ?? null, ...input.official },
      { recipients: [...input.communes.map((c) => `UBND ${unitInText(c.naming)}`), 'Các thành viên Ban Chỉ đạo', ...input.assignees.filter((a) => !a.startsWith('UBND '))] },
    ),
    blocks,
    fileName: fileStem('thong-bao-ket-luan', meeting.heldOn, ...input.communes.map((c) => c.naming.name)),
  };
}
