/**
 * Quy trình xét, công nhận — the recognition procedure as data (Decision 18/2022/QĐ-TTg, summarised
 * in ../shared/reference/ntm-domain.md §2), and the revocation procedure (thu hồi quyết định công
 * nhận). A procedure is a list of steps (states); each step names the role that must act, the
 * documents it must hold before it may move on, its time limit in working days, and its
 * transitions. `nextState` is the whole state machine: services call it, tests enumerate it, the
 * docs draw it (`toMermaid`). Pure: no I/O, no clock.
 *
 * Procedures:
 *  - `three-level` (trước 1/7/2025): commune → district examination (thẩm tra) → province
 *    appraisal (thẩm định) → decision. Historical dossiers keep this trail.
 *  - `two-level` (từ 1/7/2025, Decree 131/2025/NĐ-CP: no district level): commune → province.
 *  - `revocation`: opened by the province from a revocation alert; the commune explains; the
 *    province appraises; the chairman revokes (or the province dismisses).
 *
 * Time limits and comment periods are configuration: the defaults below follow common provincial
 * practice and must be checked against each province's guidance (ntm-domain.md: "make them
 * configuration"); `withLimits` overrides them.
 */
import type { BilingualMessage } from './errors.ts';
import type { Role } from './policy.ts';

export type ProcedureId = 'three-level' | 'two-level' | 'revocation';
export const PROCEDURE_IDS: readonly ProcedureId[] = ['three-level', 'two-level', 'revocation'];

/** Thao tác trên hồ sơ. */
export type DossierAction =
  | 'open_consultation' // công bố, lấy ý kiến nhân dân / công khai
  | 'close_consultation' // kết thúc lấy ý kiến
  | 'submit' // trình hồ sơ lên cấp trên
  | 'approve' // thẩm tra / thẩm định đạt
  | 'return' // trả lại hồ sơ, nêu lý do
  | 'decide' // ban hành quyết định (công nhận / thu hồi)
  | 'reject' // không công nhận / không thu hồi
  | 'withdraw'; // xã rút hồ sơ / tỉnh dừng

export const DOSSIER_ACTIONS: readonly DossierAction[] = [
  'open_consultation',
  'close_consultation',
  'submit',
  'approve',
  'return',
  'decide',
  'reject',
  'withdraw',
];

export const ACTION_LABELS: Readonly<Record<DossierAction, BilingualMessage>> = {
  open_consultation: { vi: 'Công khai, lấy ý kiến', en: 'Open public consultation' },
  close_consultation: { vi: 'Kết thúc lấy ý kiến', en: 'Close the consultation' },
  submit: { vi: 'Trình hồ sơ', en: 'Submit' },
  approve: { vi: 'Đạt, chuyển bước tiếp', en: 'Approve' },
  return: { vi: 'Trả lại hồ sơ (nêu lý do)', en: 'Return with reasons' },
  decide: { vi: 'Ban hành quyết định', en: 'Record the decision' },
  reject: { vi: 'Không công nhận / kết thúc', en: 'Decline' },
  withdraw: { vi: 'Rút / dừng hồ sơ', en: 'Withdraw' },
};

/** Loại tài liệu trong hồ sơ. */
export type DocumentType =
  | 'self_assessment_report' // Báo cáo kết quả tự đánh giá
  | 'comment_summary' // Báo cáo tổng hợp ý kiến tham gia của nhân dân
  | 'satisfaction_survey' // Kết quả lấy ý kiến sự hài lòng của người dân (MTTQ)
  | 'meeting_minutes' // Biên bản cuộc họp đề nghị xét công nhận (có biểu quyết)
  | 'submission_letter' // Tờ trình đề nghị xét công nhận
  | 'examination_report' // Báo cáo thẩm tra (cấp huyện)
  | 'appraisal_report' // Báo cáo thẩm định (Hội đồng thẩm định tỉnh)
  | 'decision' // Quyết định công nhận / thu hồi
  | 'review_report' // Báo cáo rà soát (hồ sơ thu hồi)
  | 'commune_explanation' // Báo cáo giải trình của xã
  | 'debt_confirmation' // Minh chứng không nợ đọng xây dựng cơ bản (xác nhận của Kho bạc / tài chính)
  | 'security_confirmation' // Xác nhận của Công an về tình hình an ninh, trật tự
  | 'public_notice'; // Thông báo công khai kết quả để lấy ý kiến nhân dân

export const DOCUMENT_TYPES: Readonly<Record<DocumentType, { name: BilingualMessage; /** A draft can be generated from the data. */ draft: boolean }>> = {
  self_assessment_report: { name: { vi: 'Báo cáo kết quả tự đánh giá', en: 'Self-assessment report' }, draft: true },
  comment_summary: { name: { vi: 'Báo cáo tổng hợp ý kiến của nhân dân', en: "Summary of residents' comments" }, draft: true },
  satisfaction_survey: { name: { vi: 'Kết quả lấy ý kiến sự hài lòng của người dân', en: 'Satisfaction survey result' }, draft: false },
  meeting_minutes: { name: { vi: 'Biên bản cuộc họp đề nghị xét công nhận (có biểu quyết)', en: 'Meeting minutes with the vote' }, draft: true },
  submission_letter: { name: { vi: 'Tờ trình đề nghị xét công nhận', en: 'Submission letter' }, draft: true },
  examination_report: { name: { vi: 'Báo cáo thẩm tra', en: 'Examination report' }, draft: true },
  appraisal_report: { name: { vi: 'Báo cáo thẩm định', en: 'Appraisal report' }, draft: true },
  decision: { name: { vi: 'Quyết định', en: 'Decision' }, draft: true },
  review_report: { name: { vi: 'Báo cáo rà soát mức độ đạt chuẩn', en: 'Review report' }, draft: true },
  commune_explanation: { name: { vi: 'Báo cáo giải trình của xã', en: "Commune's explanation" }, draft: false },
  debt_confirmation: { name: { vi: 'Minh chứng không nợ đọng xây dựng cơ bản', en: 'Evidence of no construction debt' }, draft: false },
  security_confirmation: { name: { vi: 'Xác nhận của Công an về an ninh, trật tự', en: 'Police confirmation on security and order' }, draft: false },
  public_notice: { name: { vi: 'Thông báo công khai kết quả, lấy ý kiến nhân dân', en: 'Public notice of the consultation' }, draft: true },
};

/**
 * Whether a dossier of this kind has a Word draft of this document: a revocation drafts its review
 * report and its (revocation) decision; a recognition every other drafted document.
 */
export function hasDraft(kind: 'recognition' | 'revocation', type: DocumentType): boolean {
  if (!DOCUMENT_TYPES[type].draft) return false;
  return kind === 'revocation' ? type === 'review_report' || type === 'decision' : type !== 'review_report';
}

export interface Transition {
  action: DossierAction;
  to: StateId;
  /** The preconditions must all hold (recognition: set met, satisfaction, no debt, security). */
  checksPreconditions?: boolean;
  /** A comment is required (returns, rejections, withdrawals). */
  needsComment?: boolean;
  /** What the move is called here when the generic action name does not fit (revocation). */
  label?: BilingualMessage;
}

/** The name of a move at its step: its own label, else the action's. */
export function transitionLabel(t: Transition): BilingualMessage {
  return t.label ?? ACTION_LABELS[t.action];
}

export interface Step {
  id: StateId;
  name: BilingualMessage;
  /** Who must act at this step; terminal steps have none. */
  role: Role | null;
  /** Documents that must be in the dossier before the step's forward action. */
  requires: readonly DocumentType[];
  /** Time limit in working days from entering the step (null: none). */
  limitDays: number | null;
  /** Residents and the press may read and comment while the dossier is at this step. */
  publicConsultation?: boolean;
  transitions: readonly Transition[];
  /** Steps a return from here may send the dossier back to (the step that must act). */
  returnTo?: readonly StateId[];
  terminal?: 'recognised' | 'not_recognised' | 'withdrawn' | 'revoked' | 'kept';
}

export type StateId =
  | 'commune_preparing'
  | 'commune_consultation'
  | 'commune_finalising'
  | 'district_examination'
  | 'district_publication'
  | 'province_appraisal'
  | 'province_publication'
  | 'awaiting_decision'
  | 'recognised'
  | 'not_recognised'
  | 'withdrawn'
  | 'revocation_review'
  | 'commune_explanation'
  | 'revocation_appraisal'
  | 'revoked'
  | 'kept';

export interface Procedure {
  id: ProcedureId;
  name: BilingualMessage;
  /** Dossiers opened in [validFrom, validTo] use this procedure by default. */
  validFrom: string | null;
  validTo: string | null;
  initial: StateId;
  steps: readonly Step[];
}

const KEEP: BilingualMessage = { vi: 'Không thu hồi (giữ công nhận)', en: 'Keep the recognition' };

const WITHDRAW: Transition = { action: 'withdraw', to: 'withdrawn', needsComment: true };

const communeSteps = (nextAfterSubmit: StateId): Step[] => [
  {
    id: 'commune_preparing',
    name: { vi: 'Xã tự đánh giá, lập hồ sơ', en: 'Commune self-assesses and drafts the dossier' },
    role: 'commune_officer',
    requires: ['self_assessment_report'],
    limitDays: null,
    transitions: [{ action: 'open_consultation', to: 'commune_consultation' }, WITHDRAW],
  },
  {
    id: 'commune_consultation',
    name: { vi: 'Công khai, lấy ý kiến nhân dân', en: "Public consultation of residents" },
    role: 'commune_officer',
    requires: [],
    limitDays: 15,
    publicConsultation: true,
    transitions: [{ action: 'close_consultation', to: 'commune_finalising' }, WITHDRAW],
  },
  {
    id: 'commune_finalising',
    name: { vi: 'Khảo sát sự hài lòng, họp xã, lập tờ trình', en: 'Satisfaction survey, commune meeting, submission' },
    role: 'commune_officer',
    requires: ['self_assessment_report', 'comment_summary', 'satisfaction_survey', 'meeting_minutes', 'submission_letter'],
    limitDays: 20,
    transitions: [{ action: 'submit', to: nextAfterSubmit, checksPreconditions: true }, WITHDRAW],
  },
];

const provinceSteps = (returnTo: StateId[], recognised: StateId = 'recognised'): Step[] => [
  {
    id: 'province_appraisal',
    name: { vi: 'Hội đồng thẩm định tỉnh thẩm định', en: 'Province appraisal council' },
    role: 'province_office',
    requires: ['appraisal_report'],
    limitDays: 20,
    transitions: [
      { action: 'approve', to: 'province_publication', checksPreconditions: true },
      { action: 'return', to: returnTo[0]!, needsComment: true },
      { action: 'reject', to: 'not_recognised', needsComment: true },
    ],
    returnTo,
  },
  {
    id: 'province_publication',
    name: { vi: 'Công khai kết quả thẩm định', en: 'Publication of the appraisal result' },
    role: 'province_office',
    requires: [],
    limitDays: 5,
    publicConsultation: true,
    transitions: [
      { action: 'close_consultation', to: 'awaiting_decision' },
      { action: 'return', to: returnTo[0]!, needsComment: true },
    ],
    returnTo,
  },
  {
    id: 'awaiting_decision',
    name: { vi: 'Chủ tịch UBND tỉnh quyết định công nhận', en: 'Chairman of the provincial People’s Committee decides' },
    role: 'province_office',
    requires: ['decision'],
    limitDays: 10,
    transitions: [
      { action: 'decide', to: recognised },
      { action: 'return', to: 'province_appraisal', needsComment: true },
      { action: 'reject', to: 'not_recognised', needsComment: true },
    ],
    returnTo: ['province_appraisal'],
  },
];

const TERMINAL_RECOGNITION: Step[] = [
  { id: 'recognised', name: { vi: 'Đã công nhận', en: 'Recognised' }, role: null, requires: [], limitDays: null, transitions: [], terminal: 'recognised' },
  { id: 'not_recognised', name: { vi: 'Không công nhận', en: 'Not recognised' }, role: null, requires: [], limitDays: null, transitions: [], terminal: 'not_recognised' },
  { id: 'withdrawn', name: { vi: 'Đã rút / dừng', en: 'Withdrawn' }, role: null, requires: [], limitDays: null, transitions: [], terminal: 'withdrawn' },
];

export const PROCEDURES: Readonly<Record<ProcedureId, Procedure>> = {
  'three-level': {
    id: 'three-level',
    name: { vi: 'Ba cấp: xã → huyện → tỉnh (trước 1/7/2025)', en: 'Three levels: commune → district → province (before 1/7/2025)' },
    validFrom: null,
    validTo: '2025-06-30',
    initial: 'commune_preparing',
    steps: [
      ...communeSteps('district_examination'),
      {
        id: 'district_examination',
        name: { vi: 'Huyện thẩm tra hồ sơ', en: 'District examination' },
        role: 'district_office',
        requires: ['examination_report'],
        limitDays: 20,
        transitions: [
          { action: 'approve', to: 'district_publication', checksPreconditions: true },
          { action: 'return', to: 'commune_finalising', needsComment: true },
        ],
        returnTo: ['commune_finalising', 'commune_preparing'],
      },
      {
        id: 'district_publication',
        name: { vi: 'Huyện công khai kết quả thẩm tra, trình tỉnh', en: 'District publishes the examination and submits to the province' },
        role: 'district_office',
        requires: ['examination_report'],
        limitDays: 10,
        publicConsultation: true,
        transitions: [
          { action: 'submit', to: 'province_appraisal' },
          { action: 'return', to: 'commune_finalising', needsComment: true },
        ],
        returnTo: ['commune_finalising'],
      },
      ...provinceSteps(['district_examination', 'commune_finalising']),
      ...TERMINAL_RECOGNITION,
    ],
  },
  'two-level': {
    id: 'two-level',
    name: { vi: 'Hai cấp: xã → tỉnh (từ 1/7/2025)', en: 'Two levels: commune → province (from 1/7/2025)' },
    validFrom: '2025-07-01',
    validTo: null,
    initial: 'commune_preparing',
    steps: [...communeSteps('province_appraisal'), ...provinceSteps(['commune_finalising', 'commune_preparing']), ...TERMINAL_RECOGNITION],
  },
  revocation: {
    id: 'revocation',
    name: { vi: 'Thu hồi quyết định công nhận', en: 'Revocation of recognition' },
    validFrom: null,
    validTo: null,
    initial: 'revocation_review',
    steps: [
      {
        id: 'revocation_review',
        name: { vi: 'Tỉnh rà soát, yêu cầu xã giải trình', en: 'Province reviews and asks the commune to explain' },
        role: 'province_office',
        requires: ['review_report'],
        limitDays: 10,
        transitions: [
          { action: 'submit', to: 'commune_explanation', label: { vi: 'Yêu cầu xã giải trình', en: 'Ask the commune to explain' } },
          { action: 'reject', to: 'kept', needsComment: true, label: KEEP },
        ],
      },
      {
        id: 'commune_explanation',
        name: { vi: 'Xã giải trình', en: 'Commune explains' },
        role: 'commune_officer',
        requires: ['commune_explanation'],
        limitDays: 15,
        transitions: [{ action: 'submit', to: 'revocation_appraisal', label: { vi: 'Gửi báo cáo giải trình', en: 'Send the explanation' } }],
      },
      {
        id: 'revocation_appraisal',
        name: { vi: 'Tỉnh thẩm định, đề xuất thu hồi', en: 'Province appraises' },
        role: 'province_office',
        requires: ['appraisal_report'],
        limitDays: 20,
        transitions: [
          { action: 'decide', to: 'revoked', label: { vi: 'Ban hành quyết định thu hồi', en: 'Record the revocation decision' } },
          { action: 'return', to: 'commune_explanation', needsComment: true },
          { action: 'reject', to: 'kept', needsComment: true, label: KEEP },
        ],
        returnTo: ['commune_explanation'],
      },
      { id: 'revoked', name: { vi: 'Đã thu hồi công nhận', en: 'Recognition revoked' }, role: null, requires: [], limitDays: null, transitions: [], terminal: 'revoked' },
      { id: 'kept', name: { vi: 'Giữ công nhận (không thu hồi)', en: 'Recognition kept' }, role: null, requires: [], limitDays: null, transitions: [], terminal: 'kept' },
    ],
  },
};

/** The procedure a new recognition dossier follows when opened on `date`. */
export function procedureForDate(date: string): ProcedureId {
  return date < '2025-07-01' ? 'three-level' : 'two-level';
}

export function stepOf(procedure: ProcedureId, state: string): Step | undefined {
  return PROCEDURES[procedure].steps.find((s) => s.id === state);
}

/** What the caller knows when asking for a move. */
export interface MoveRequest {
  procedure: ProcedureId;
  state: string;
  action: DossierAction;
  /** The roles the actor holds on the dossier's unit (from the policy's grants). */
  roles: readonly Role[];
  comment?: string | null;
  /** For `return`: the step to send it back to (default: the first of the step's returnTo). */
  returnTo?: string | null;
  /** Documents present in the dossier. */
  documents: ReadonlySet<DocumentType>;
  /** Failing preconditions (codes); only consulted when the transition checks them. */
  failingPreconditions: readonly string[];
}

export type MoveRefusal =
  | 'closed' // the dossier is in a terminal state
  | 'unknown_state'
  | 'not_allowed_here' // the action does not exist at this step (e.g. skipping a step)
  | 'wrong_role'
  | 'comment_required'
  | 'bad_return_target'
  | 'missing_documents'
  | 'preconditions_failed';

export type MoveResult =
  | { ok: true; to: StateId; transition: Transition }
  | { ok: false; refusal: MoveRefusal; message: BilingualMessage; details?: Record<string, unknown> };

const refuse = (refusal: MoveRefusal, message: BilingualMessage, details?: Record<string, unknown>): MoveResult => ({ ok: false, refusal, message, details });

/** The state machine: may this move happen, and where does it lead? Checks in a fixed order. */
export function nextState(req: MoveRequest): MoveResult {
  const proc = PROCEDURES[req.procedure];
  const step = proc?.steps.find((s) => s.id === req.state);
  if (!step) return refuse('unknown_state', { vi: `Trạng thái hồ sơ không hợp lệ: ${req.state}.`, en: `Unknown dossier state: ${req.state}.` });
  if (step.terminal) {
    return refuse('closed', {
      vi: `Hồ sơ đã kết thúc (${step.name.vi}); không thể thực hiện "${ACTION_LABELS[req.action]?.vi ?? req.action}".`,
      en: `The dossier is closed (${step.name.en}); "${ACTION_LABELS[req.action]?.en ?? req.action}" is not possible.`,
    });
  }
  const t = step.transitions.find((x) => x.action === req.action);
  if (!t) {
    const allowed = step.transitions.map((x) => ACTION_LABELS[x.action].vi).join(', ');
    const allowedEn = step.transitions.map((x) => ACTION_LABELS[x.action].en).join(', ');
    return refuse(
      'not_allowed_here',
      {
        vi: `Ở bước "${step.name.vi}" không thể "${ACTION_LABELS[req.action]?.vi ?? req.action}"; các thao tác được phép: ${allowed}.`,
        en: `At "${step.name.en}" "${ACTION_LABELS[req.action]?.en ?? req.action}" is not possible; allowed: ${allowedEn}.`,
      },
      { allowed: step.transitions.map((x) => x.action) },
    );
  }
  if (!step.role || !req.roles.includes(step.role)) {
    return refuse(
      'wrong_role',
      { vi: `Bước "${step.name.vi}" do ${roleName(step.role).vi} thực hiện.`, en: `"${step.name.en}" is done by the ${roleName(step.role).en}.` },
      { role: step.role },
    );
  }
  const comment = (req.comment ?? '').trim();
  if (t.needsComment && comment.length < 5) {
    return refuse('comment_required', {
      vi: `"${ACTION_LABELS[t.action].vi}" cần nêu rõ lý do (ít nhất 5 ký tự).`,
      en: `"${ACTION_LABELS[t.action].en}" needs the reasons stated (at least 5 characters).`,
    });
  }
  let to = t.to;
  if (t.action === 'return') {
    const targets = step.returnTo ?? [t.to];
    if (req.returnTo != null && req.returnTo !== '') {
      if (!targets.includes(req.returnTo as StateId)) {
        return refuse(
          'bad_return_target',
          {
            vi: `Chỉ có thể trả hồ sơ về: ${targets.map((s) => stepOf(req.procedure, s)!.name.vi).join('; ')}.`,
            en: `The dossier can only be returned to: ${targets.map((s) => stepOf(req.procedure, s)!.name.en).join('; ')}.`,
          },
          { returnTo: targets },
        );
      }
      to = req.returnTo as StateId;
    }
  }
  // Documents are needed to move forward, never to send back or stop.
  const forward = t.action !== 'return' && t.action !== 'withdraw' && t.action !== 'reject';
  if (forward) {
    const missing = step.requires.filter((d) => !req.documents.has(d));
    if (missing.length > 0) {
      return refuse(
        'missing_documents',
        {
          vi: `Hồ sơ còn thiếu: ${missing.map((d) => DOCUMENT_TYPES[d].name.vi).join('; ')}.`,
          en: `The dossier lacks: ${missing.map((d) => DOCUMENT_TYPES[d].name.en).join('; ')}.`,
        },
        { missing },
      );
    }
    if (t.checksPreconditions && req.failingPreconditions.length > 0) {
      return refuse(
        'preconditions_failed',
        {
          vi: `Chưa đủ điều kiện: ${req.failingPreconditions.map((c) => PRECONDITION_NAMES[c as PreconditionCode]?.vi ?? c).join('; ')}.`,
          en: `Conditions not met: ${req.failingPreconditions.map((c) => PRECONDITION_NAMES[c as PreconditionCode]?.en ?? c).join('; ')}.`,
        },
        { preconditions: req.failingPreconditions },
      );
    }
  }
  return { ok: true, to, transition: t };
}

const ROLE_NAMES: Partial<Record<Role, BilingualMessage>> = {
  commune_officer: { vi: 'cán bộ xã', en: 'commune officer' },
  district_office: { vi: 'Văn phòng Điều phối NTM huyện', en: 'district NTM office' },
  province_office: { vi: 'Văn phòng Điều phối NTM tỉnh', en: 'province NTM office' },
};

function roleName(role: Role | null): BilingualMessage {
  return (role && ROLE_NAMES[role]) || { vi: 'không ai (bước kết thúc)', en: 'nobody (final step)' };
}

/** Điều kiện xét công nhận (Decision 18/2022 Art. 3 as summarised in ntm-domain.md §2). */
export type PreconditionCode = 'set_met' | 'satisfaction' | 'no_construction_debt' | 'security';
export const PRECONDITION_CODES: readonly PreconditionCode[] = ['set_met', 'satisfaction', 'no_construction_debt', 'security'];
export const PRECONDITION_NAMES: Readonly<Record<PreconditionCode, BilingualMessage>> = {
  set_met: { vi: 'Đạt đầy đủ các tiêu chí của bộ tiêu chí', en: 'Every criterion of the set met' },
  satisfaction: { vi: 'Tỷ lệ người dân hài lòng đạt mức quy định', en: "Residents' satisfaction at the required rate" },
  no_construction_debt: { vi: 'Không có nợ đọng xây dựng cơ bản', en: 'No outstanding construction debt' },
  security: { vi: 'Không phải xã trọng điểm, phức tạp về an ninh, trật tự', en: 'Not a complex security and order area' },
};

export interface PreconditionInput {
  /** From the engine, at the review the dossier is based on (null: no base review). */
  verdict: { criteriaMet: number; criteriaTotal: number; criteriaNotMet: readonly string[] } | null;
  satisfactionRate: number | null;
  satisfactionRequired: number;
  /** Declared with evidence: true = no debt; false = debt; null = not declared. */
  noConstructionDebt: boolean | null;
  constructionDebtEvidence: boolean;
  /** Declared with evidence: true = not a complex security area. */
  securityOk: boolean | null;
  securityEvidence: boolean;
}

export interface PreconditionResult {
  code: PreconditionCode;
  met: boolean;
  name: BilingualMessage;
  detail: BilingualMessage;
}

/** The four conditions, computed (never typed in as "met"). */
export function checkPreconditions(p: PreconditionInput): PreconditionResult[] {
  const v = p.verdict;
  const out: PreconditionResult[] = [];
  out.push({
    code: 'set_met',
    met: !!v && v.criteriaTotal > 0 && v.criteriaMet === v.criteriaTotal,
    name: PRECONDITION_NAMES.set_met,
    detail: !v
      ? { vi: 'Chưa chọn bản rà soát làm căn cứ.', en: 'No base review chosen.' }
      : {
          vi: `Đạt ${v.criteriaMet}/${v.criteriaTotal} tiêu chí${v.criteriaNotMet.length ? `; chưa đạt: ${v.criteriaNotMet.join(', ')}` : ''}.`,
          en: `${v.criteriaMet}/${v.criteriaTotal} criteria met${v.criteriaNotMet.length ? `; not met: ${v.criteriaNotMet.join(', ')}` : ''}.`,
        },
  });
  const rate = p.satisfactionRate;
  out.push({
    code: 'satisfaction',
    met: rate !== null && rate >= p.satisfactionRequired,
    name: PRECONDITION_NAMES.satisfaction,
    detail:
      rate === null
        ? { vi: `Chưa nhập kết quả khảo sát (yêu cầu ≥ ${p.satisfactionRequired}%).`, en: `No survey result yet (required ≥ ${p.satisfactionRequired}%).` }
        : { vi: `${rate}% hài lòng (yêu cầu ≥ ${p.satisfactionRequired}%).`, en: `${rate}% satisfied (required ≥ ${p.satisfactionRequired}%).` },
  });
  out.push(declared('no_construction_debt', p.noConstructionDebt, p.constructionDebtEvidence));
  out.push(declared('security', p.securityOk, p.securityEvidence));
  return out;
}

function declared(code: PreconditionCode, value: boolean | null, evidence: boolean): PreconditionResult {
  const name = PRECONDITION_NAMES[code];
  if (value === null) return { code, met: false, name, detail: { vi: 'Chưa kê khai.', en: 'Not declared.' } };
  if (!value) return { code, met: false, name, detail: { vi: 'Kê khai: chưa đáp ứng.', en: 'Declared: not satisfied.' } };
  if (!evidence) return { code, met: false, name, detail: { vi: 'Đã kê khai nhưng chưa có minh chứng.', en: 'Declared without evidence.' } };
  return { code, met: true, name, detail: { vi: 'Đã kê khai, có minh chứng.', en: 'Declared with evidence.' } };
}

/** The steps a dossier goes through in order (the happy path), for a progress bar. */
export function mainPath(procedure: ProcedureId): StateId[] {
  const proc = PROCEDURES[procedure];
  const path: StateId[] = [];
  let cur: Step | undefined = proc.steps.find((s) => s.id === proc.initial);
  while (cur && !path.includes(cur.id)) {
    path.push(cur.id);
    if (cur.terminal) break;
    const fwd = cur.transitions.find((t) => t.action !== 'return' && t.action !== 'withdraw' && t.action !== 'reject');
    cur = fwd ? proc.steps.find((s) => s.id === fwd.to) : undefined;
  }
  return path;
}

/** Override the time limits (working days) per step, e.g. from a province's configuration. */
export function withLimits(proc: Procedure, limits: Partial<Record<StateId, number | null>>): Procedure {
  return { ...proc, steps: proc.steps.map((s) => (s.id in limits ? { ...s, limitDays: limits[s.id] ?? null } : s)) };
}

/** The state diagram as Mermaid (docs/dossier.md is generated from this). */
export function toMermaid(procedure: ProcedureId): string {
  const proc = PROCEDURES[procedure];
  const lines = ['stateDiagram-v2', `  [*] --> ${proc.initial}`];
  for (const s of proc.steps) {
    lines.push(`  ${s.id}: ${s.name.vi}${s.role ? ` (${roleName(s.role).vi}${s.limitDays ? `, ${s.limitDays} ngày làm việc` : ''})` : ''}`);
  }
  for (const s of proc.steps) {
    for (const t of s.transitions) {
      const targets = t.action === 'return' ? (s.returnTo ?? [t.to]) : [t.to];
      for (const to of targets) lines.push(`  ${s.id} --> ${to}: ${transitionLabel(t).vi}`);
    }
    if (s.terminal) lines.push(`  ${s.id} --> [*]`);
  }
  return lines.join('\n');
}
