/**
 * Demo dossiers (minh họa): Tràng An's advanced-level dossier of 2023 along the three-level
 * procedure — returned once by the district, recognised on 14/12/2023, with the committee's
 * "complete the dossier by 30/9/2023" deadline attached — and Bình Lục's 2026 dossier on the
 * two-level procedure, in public consultation now. Moves go through the same service as users'
 * (as the named demo officers), so the trail, documents and recognition are what the UI shows.
 */
import { loadServiceSettings, type ServiceSettings } from '../config.ts';
import type { Db } from '../db/database.ts';
import { listReviewsOfUnits } from '../db/review.repository.ts';
import { listTasks } from '../db/task.repository.ts';
import type { DocumentType } from '../domain/dossier-workflow.ts';
import { addCalendarDays, DEFAULT_CALENDAR } from '../domain/working-days.ts';
import { todayInVietnam } from '../domain/dates.ts';
import type { Actor } from '../services/actor.ts';
import { actOnDossier, openDossier, setDeadline, updateDeclarations, type DossierDetail } from '../services/dossier.service.ts';
import { uploadDocument } from '../services/dossier-document.service.ts';
import { draftDocument } from '../services/dossier-document.service.ts';

export const TRANG_AN_DOSSIER_REVIEW = '2023-09-30';
export const BINH_LUC = '13504@2025-07';

/** A one-page PDF saying what it stands for (ASCII: the standard PDF fonts have no Vietnamese). */
export function placeholderPdf(title: string): Buffer {
  const text = title.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[()\\]/g, ' ');
  const stream = `BT /F1 14 Tf 60 780 Td (${text}) Tj 0 -24 Td (Tai lieu minh hoa - du lieu demo) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const DOC_TITLES: Partial<Record<DocumentType, string>> = {
  satisfaction_survey: 'Ket qua lay y kien su hai long cua nguoi dan',
  meeting_minutes: 'Bien ban hop de nghi xet cong nhan',
  debt_confirmation: 'Xac nhan khong no dong xay dung co ban',
  security_confirmation: 'Xac nhan cua Cong an ve an ninh trat tu',
  examination_report: 'Bao cao tham tra',
  appraisal_report: 'Bao cao tham dinh',
  decision: 'Quyet dinh cong nhan',
};

async function attachDocuments(db: Db, dir: string, who: Actor, d: DossierDetail, on: string, types: DocumentType[]): Promise<DossierDetail> {
  let cur = d;
  for (const t of types) {
    const draft = DOC_TITLES[t] ? null : await draftDocument(db, who, d.id, t, on);
    cur = await uploadDocument(db, who, d.id, {
      type: t,
      filename: draft ? draft.fileName : `${t.replace(/_/g, '-')}.pdf`,
      note: 'Minh họa',
      data: draft ? draft.body : placeholderPdf(DOC_TITLES[t]!),
    }, dir);
  }
  return cur;
}

const officer = (id: string): Actor => ({ id, source: 'system' });

export interface DemoDossierResult {
  dossiers: number;
}

/** `settings`: where the documents go and the satisfaction rate (default: from the environment). */
export async function seedDemoDossiers(db: Db, settings: ServiceSettings = loadServiceSettings()): Promise<DemoDossierResult> {
  const attach = (who: Actor, d: DossierDetail, on: string, types: DocumentType[]) => attachDocuments(db, settings.attachmentDir, who, d, on, types);
  let dossiers = 0;
  const trangAn = '13510@2025-03';
  const base = (await listReviewsOfUnits(db.kysely, [trangAn])).find((r) => r.reviewed_on === TRANG_AN_DOSSIER_REVIEW && r.status === 'submitted');
  if (base) {
    const xa = officer('xa.tranganh');
    const huyen = officer('huyen.binhluc');
    const tinh = officer('tinh.hanam');
    let d = await openDossier(db, xa, { unitId: trangAn, level: 'nang-cao', baseReviewId: base.id, openedOn: '2023-10-02', isDemo: true }, settings.satisfactionRequired);
    // The steering committee's task for Tràng An (demo-committee.ts) carries the deadline.
    const task = (await listTasks(db.kysely, { unitIds: [trangAn] })).find((t) => t.title.startsWith('Hoàn thiện hồ sơ đề nghị công nhận'));
    d = await setDeadline(db, xa, d.id, { version: d.version, deadline: '2023-09-30', taskId: task?.id ?? null, note: task ? null : 'Hoàn thiện hồ sơ trước 30/9/2023' });
    d = await attach(xa, d, '2023-10-02', ['self_assessment_report']);
    const move = async (who: Actor, action: string, onDate: string, extra: Record<string, unknown> = {}) => (d = await actOnDossier(db, who, d.id, { action, version: d.version, onDate, ...extra }));
    await move(xa, 'open_consultation', '2023-10-03');
    await move(xa, 'close_consultation', '2023-10-18');
    d = await attach(xa, d, '2023-10-20', ['comment_summary', 'satisfaction_survey', 'meeting_minutes', 'submission_letter', 'debt_confirmation', 'security_confirmation']);
    d = await updateDeclarations(db, xa, d.id, { version: d.version, satisfactionRate: 96.8, noConstructionDebt: true, securityOk: true });
    await move(xa, 'submit', '2023-10-25', { comment: 'Tờ trình số 45/TTr-UBND ngày 25/10/2023 (minh họa)' });
    await move(huyen, 'return', '2023-11-01', { comment: 'Biên bản họp chưa ghi kết quả biểu quyết; đề nghị xã bổ sung.' });
    d = await attach(xa, d, '2023-11-03', ['meeting_minutes']);
    await move(xa, 'submit', '2023-11-03', { comment: 'Đã bổ sung biên bản có kết quả biểu quyết.' });
    d = await attach(huyen, d, '2023-11-08', ['examination_report']);
    await move(huyen, 'approve', '2023-11-08');
    await move(huyen, 'submit', '2023-11-15');
    d = await attach(tinh, d, '2023-12-01', ['appraisal_report']);
    await move(tinh, 'approve', '2023-12-01');
    await move(tinh, 'close_consultation', '2023-12-08');
    d = await attach(tinh, d, '2023-12-14', ['decision']);
    await move(tinh, 'decide', '2023-12-14', { decision: { decisionNo: '3456/QĐ-UBND', decidedOn: '2023-12-14', signer: 'Chủ tịch UBND tỉnh Hà Nam (minh họa)' } });
    dossiers++;
  }

  // Bình Lục (after the merger): opened on its latest review, in public consultation since a few working days.
  // Newest first: the first submitted one is the latest.
  const latest = (await listReviewsOfUnits(db.kysely, [BINH_LUC])).find((r) => r.status === 'submitted');
  if (latest) {
    const xa = officer('xa.binhluc');
    const today = todayInVietnam();
    // Three working days ago (at least a day after the review) the consultation opened.
    let opened = today;
    for (let n = 0; n < 3; ) if (DEFAULT_CALENDAR.isWorkingDay((opened = addCalendarDays(opened, -1)))) n++;
    if (opened <= latest.reviewed_on) opened = addCalendarDays(latest.reviewed_on, 1) > today ? today : addCalendarDays(latest.reviewed_on, 1);
    let d = await openDossier(db, xa, { unitId: BINH_LUC, level: 'nang-cao', baseReviewId: latest.id, openedOn: opened, isDemo: true }, settings.satisfactionRequired);
    d = await attach(xa, d, opened, ['self_assessment_report']);
    d = await actOnDossier(db, xa, d.id, { action: 'open_consultation', version: d.version, onDate: opened });
    await setDeadline(db, xa, d.id, { version: d.version, deadline: addCalendarDays(today, 45), note: 'Ban Chỉ đạo tỉnh: hoàn thành hồ sơ trong quý (minh họa)' });
    dossiers++;
  }
  return { dossiers };
}
