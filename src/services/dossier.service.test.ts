import { expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import type { Db } from '../db/database.ts';
import { DEFAULT_SATISFACTION_REQUIRED } from '../config.ts';
import type { Principal, Role } from '../domain/policy.ts';
import type { DocumentType } from '../domain/dossier-workflow.ts';
import { isDomainError } from '../domain/errors.ts';
import { ScopeResolver } from './access.service.ts';
import type { Actor } from './actor.ts';
import { spreadIndicators, submittedReview } from '../test-support/committee.ts';
import { actOnDossier, getDossier, listDossiers, openDossier, setDeadline, updateDeclarations, type DossierDetail } from './dossier.service.ts';
import { uploadDocument } from './dossier-document.service.ts';
import { dossiersAwaiting } from './inbox.service.ts';
import { dismissAlert, listAlerts, openRevocationDossier } from './revocation-alert.service.ts';
import { draftDocument } from './dossier-document.service.ts';
import { mkdtempSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The text of a .docx body, paragraphs joined by spaces. */
function docxText(buf: Buffer): string {
  const xml = strFromU8(unzipSync(new Uint8Array(buf))['word/document.xml']!);
  return (xml.match(/<w:p\b[\s\S]*?<\/w:p>/g) ?? []).map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')).join(' ').replace(/\u00a0/g, ' ');
}

const DIR = mkdtempSync(path.join(tmpdir(), 'datchuan-dossier-'));

/** A tiny valid PDF: the checklist takes files by content. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

function actor(name: string, role: Role, unitId: string | null, today: string): Actor {
  const principal: Principal = { kind: 'user', userId: name.length, username: name, grants: [{ role, unitId, validFrom: null, validTo: null }] };
  return { id: name, source: 'web', access: { principal, scopes: new ScopeResolver(), today: () => today } };
}

async function expectRefused(p: Promise<unknown>, code: string, refusal?: string): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    expect(e.code).toBe(code);
    if (refusal) expect(e.details?.refusal).toBe(refusal);
    // Both languages, and really two texts.
    expect(e.messageVi.length).toBeGreaterThan(10);
    expect(e.message.length).toBeGreaterThan(10);
    expect(e.message).not.toBe(e.messageVi);
    return e.details ?? {};
  }
  throw new Error(`expected a ${code} refusal`);
}

async function upload(db: Db, who: Actor, d: DossierDetail, ...types: DocumentType[]): Promise<DossierDetail> {
  let cur = d;
  for (const t of types) cur = await uploadDocument(db, who, d.id, { type: t, filename: `${t}.pdf`, data: PDF }, path.join(DIR, 'attachments'));
  return cur;
}

describeEachDialect('recognition dossiers', (ctx) => {
  it('takes Tràng An through the three-level procedure of 2023, with one return, to the recognition decision', async () => {
    const db = ctx.db;
    const commune = await insertCommune(db.kysely, { name: 'Tràng An', code: '13510' });
    const district = commune.parent_id!;
    const province = commune.province_id!;
    const review = await submittedReview(db, commune.id, '2023-09-30', []);
    expect(review.evaluation.totals.criteriaMet).toBe(review.evaluation.totals.criteriaTotal);
    const xa = (d: string) => actor('xa.trangan', 'commune_officer', commune.id, d);
    const huyen = (d: string) => actor('huyen.binhluc', 'district_office', district, d);
    const tinh = (d: string) => actor('tinh.hanam', 'province_office', province, d);

    let d = await openDossier(db, xa('2023-10-02'), { unitId: commune.id, level: 'nang-cao', baseReviewId: review.id }, DEFAULT_SATISFACTION_REQUIRED);
    expect(d).toMatchObject({ procedure: 'three-level', state: 'commune_preparing', version: 1, openedOn: '2023-10-02' });
    // Skipping straight to submission is refused with the reason.
    await expectRefused(actOnDossier(db, xa('2023-10-02'), d.id, { action: 'submit', version: 1 }), 'transition_refused', 'not_allowed_here');
    // No self-assessment report yet: cannot publish.
    await expectRefused(actOnDossier(db, xa('2023-10-02'), d.id, { action: 'open_consultation', version: 1 }), 'transition_refused', 'missing_documents');
    d = await upload(db, xa('2023-10-02'), d, 'self_assessment_report');
    expect(d.documents.find((x) => x.type === 'self_assessment_report')!.versions).toHaveLength(1);
    // The district cannot act at the commune's step.
    await expectRefused(actOnDossier(db, huyen('2023-10-03'), d.id, { action: 'open_consultation', version: d.version }), 'forbidden', 'wrong_role');
    d = await actOnDossier(db, xa('2023-10-03'), d.id, { action: 'open_consultation', version: d.version });
    expect(d).toMatchObject({ state: 'commune_consultation', consultationOpen: true, publicUrl: `/cong-khai/ho-so/${d.id}` });
    // 15 working days from 3/10/2023.
    expect(d.dueOn).toBe('2023-10-24');
    d = await actOnDossier(db, xa('2023-10-18'), d.id, { action: 'close_consultation', version: d.version });
    expect(d.state).toBe('commune_finalising');

    // Preconditions are computed; submission is refused while one fails, naming it.
    d = await upload(db, xa('2023-10-20'), d, 'comment_summary', 'satisfaction_survey', 'meeting_minutes', 'submission_letter');
    const failing = await expectRefused(actOnDossier(db, xa('2023-10-20'), d.id, { action: 'submit', version: d.version }), 'transition_refused', 'preconditions_failed');
    expect(failing.preconditions).toEqual(['satisfaction', 'no_construction_debt', 'security']);
    d = await updateDeclarations(db, xa('2023-10-20'), d.id, { version: d.version, satisfactionRate: 96.5, noConstructionDebt: true, securityOk: true });
    // Declared without evidence: still failing.
    expect(d.preconditions.filter((p) => !p.met).map((p) => p.code)).toEqual(['no_construction_debt', 'security']);
    d = await upload(db, xa('2023-10-20'), d, 'debt_confirmation', 'security_confirmation');
    expect(d.preconditions.every((p) => p.met)).toBe(true);
    // A stale version cannot move it.
    await expectRefused(actOnDossier(db, xa('2023-10-25'), d.id, { action: 'submit', version: d.version - 1 }), 'version_conflict');
    d = await actOnDossier(db, xa('2023-10-25'), d.id, { action: 'submit', version: d.version, comment: 'Tờ trình số 45/TTr-UBND' });
    expect(d).toMatchObject({ state: 'district_examination', stepRole: 'district_office' });

    // The district returns it with reasons; the commune completes and resubmits.
    await expectRefused(actOnDossier(db, huyen('2023-11-01'), d.id, { action: 'return', version: d.version }), 'validation_failed', 'comment_required');
    d = await actOnDossier(db, huyen('2023-11-01'), d.id, { action: 'return', version: d.version, comment: 'Biên bản họp thiếu kết quả biểu quyết; bổ sung.' });
    expect(d.state).toBe('commune_finalising');
    d = await upload(db, xa('2023-11-03'), d, 'meeting_minutes');
    expect(d.documents.find((x) => x.type === 'meeting_minutes')!.versions.map((v) => v.version)).toEqual([2, 1]);
    d = await actOnDossier(db, xa('2023-11-03'), d.id, { action: 'submit', version: d.version });
    d = await upload(db, huyen('2023-11-08'), d, 'examination_report');
    d = await actOnDossier(db, huyen('2023-11-08'), d.id, { action: 'approve', version: d.version });
    d = await actOnDossier(db, huyen('2023-11-15'), d.id, { action: 'submit', version: d.version });
    expect(d.state).toBe('province_appraisal');
    d = await upload(db, tinh('2023-12-01'), d, 'appraisal_report');
    d = await actOnDossier(db, tinh('2023-12-01'), d.id, { action: 'approve', version: d.version });
    d = await actOnDossier(db, tinh('2023-12-08'), d.id, { action: 'close_consultation', version: d.version });
    expect(d.state).toBe('awaiting_decision');
    d = await upload(db, tinh('2023-12-14'), d, 'decision');
    await expectRefused(actOnDossier(db, tinh('2023-12-14'), d.id, { action: 'decide', version: d.version }), 'validation_failed');
    d = await actOnDossier(db, tinh('2023-12-14'), d.id, { action: 'decide', version: d.version, decision: { decisionNo: '3456/QĐ-UBND', decidedOn: '2023-12-14', signer: 'Chủ tịch UBND tỉnh' } });
    expect(d).toMatchObject({ state: 'recognised', closed: true, closedOn: '2023-12-14', recognition: { level: 'nang-cao', decisionNo: '3456/QĐ-UBND', decidedOn: '2023-12-14' } });

    // The trail: who, when, from, to, comment — every move, in order.
    expect(d.transitions.map((t) => [t.action, t.to, t.onDate, t.actor])).toEqual([
      ['open', 'commune_preparing', '2023-10-02', 'xa.trangan'],
      ['open_consultation', 'commune_consultation', '2023-10-03', 'xa.trangan'],
      ['close_consultation', 'commune_finalising', '2023-10-18', 'xa.trangan'],
      ['submit', 'district_examination', '2023-10-25', 'xa.trangan'],
      ['return', 'commune_finalising', '2023-11-01', 'huyen.binhluc'],
      ['submit', 'district_examination', '2023-11-03', 'xa.trangan'],
      ['approve', 'district_publication', '2023-11-08', 'huyen.binhluc'],
      ['submit', 'province_appraisal', '2023-11-15', 'huyen.binhluc'],
      ['approve', 'province_publication', '2023-12-01', 'tinh.hanam'],
      ['close_consultation', 'awaiting_decision', '2023-12-08', 'tinh.hanam'],
      ['decide', 'recognised', '2023-12-14', 'tinh.hanam'],
    ]);
    expect(d.transitions[4]!.comment).toBe('Biên bản họp thiếu kết quả biểu quyết; bổ sung.');
    // Closed: nothing moves any more, and every move was audited.
    await expectRefused(actOnDossier(db, tinh('2023-12-20'), d.id, { action: 'return', version: d.version, comment: 'Thử trả lại' }), 'transition_refused', 'closed');
    const audited = await db.kysely.selectFrom('audit_event').select('action').where('entity', '=', 'dossier').where('entity_id', '=', String(d.id)).execute();
    // Opening, ten moves and the declarations (document uploads are audited on their own rows).
    expect(audited.filter((a) => a.action.startsWith('dossier.')).length).toBe(12);
    // The Word drafts are generated from the data.
    const letter = await draftDocument(db, tinh('2026-12-03'), d.id, 'submission_letter', '2026-12-03');
    expect(letter.body.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(letter.fileName).toMatch(/^to-trinh-de-nghi-cong-nhan-.*\.docx$/);
    // Dated from the dossier's own data, printed in 2026 or not: the commune's last submission
    // (3/11/2023), recognition proposed for 2023, addressed to the district that existed then.
    const text = docxText(letter.body);
    expect(text).toContain('ngày 03 tháng 11 năm 2023');
    expect(text).toContain('nông thôn mới nâng cao năm 2023');
    expect(text).toContain('Kính gửi: Ủy ban nhân dân huyện');
    expect(text).not.toContain('2026');
    // The residents' comment summary: the day the consultation closed.
    const summary = docxText((await draftDocument(db, tinh('2026-12-03'), d.id, 'comment_summary', '2026-12-03')).body);
    expect(summary).toContain('ngày 18 tháng 10 năm 2023');
    expect(summary).not.toContain('2026');
    // The dossier's other documents, each from its data and dated by its own move (issue 14.6).
    const draft = async (type: string) => docxText((await draftDocument(db, tinh('2026-12-03'), d.id, type, '2026-12-03')).body);
    const expected: Record<string, string[]> = {
      public_notice: ['THÔNG BÁO', 'Công khai kết quả thực hiện các tiêu chí nông thôn mới nâng cao của xã Tràng An', 'ngày 03 tháng 10 năm 2023', 'từ ngày 03/10/2023 đến ngày 18/10/2023'],
      meeting_minutes: ['BIÊN BẢN', 'Cuộc họp đề nghị xét, công nhận xã Tràng An đạt chuẩn nông thôn mới nâng cao năm 2023', 'III. KẾT QUẢ BIỂU QUYẾT', 'Số đại biểu đồng ý', 'ngày 18 tháng 10 năm 2023', 'Tỷ lệ người dân hài lòng: 96,5%'],
      examination_report: ['ỦY BAN NHÂN DÂN HUYỆN', 'Kết quả thẩm tra hồ sơ và mức độ đạt chuẩn nông thôn mới nâng cao năm 2023 của xã Tràng An', 'I. KẾT QUẢ THẨM TRA HỒ SƠ', 'Biên bản cuộc họp đề nghị xét công nhận (có biểu quyết)', 'ngày 08 tháng 11 năm 2023', 'đủ điều kiện, tiêu chuẩn'],
      appraisal_report: ['Kết quả thẩm định hồ sơ', 'ngày 01 tháng 12 năm 2023', 'Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh', 'Báo cáo thẩm tra'],
      decision: ['QUYẾT ĐỊNH', 'Về việc công nhận xã Tràng An đạt chuẩn nông thôn mới nâng cao năm 2023', 'Số: 3456/QĐ-UBND', 'ngày 14 tháng 12 năm 2023', 'Điều 1. Công nhận xã Tràng An, huyện', 'Điều 3.', 'Như Điều 3'],
    };
    // The examination lists what the commune sent, not the documents that came after it.
    expect(await draft('examination_report')).not.toMatch(/Hồ sơ gồm:[^.]*(Báo cáo thẩm định|Quyết định)/);
    for (const [type, texts] of Object.entries(expected)) {
      const text = await draft(type);
      for (const t of texts) expect(text, `${type}: ${t}`).toContain(t);
      expect(text, type).not.toContain('2026');
      expect(text, type).not.toContain('undefined');
    }
  });

  it('takes a commune through the two-level procedure in 2026, returned once by the province, with limits across Tết', async () => {
    const db = ctx.db;
    const commune = await insertCommune(db.kysely, { listId: '2025-07', name: 'Bình Lục', code: '13504' });
    const province = commune.province_id!;
    const review = await submittedReview(db, commune.id, '2025-12-15', []);
    const xa = (d: string) => actor('xa.binhluc', 'commune_officer', commune.id, d);
    const tinh = (d: string) => actor('tinh.ninhbinh', 'province_office', province, d);
    // Nobody from another commune may open it.
    const other = await insertCommune(db.kysely, { listId: '2025-07' });
    await expectRefused(openDossier(db, actor('xa.khac', 'commune_officer', other.id, '2026-01-05'), { unitId: commune.id, level: 'nang-cao', baseReviewId: review.id }, DEFAULT_SATISFACTION_REQUIRED), 'forbidden');

    let d = await openDossier(db, xa('2026-01-05'), { unitId: commune.id, level: 'nang-cao', baseReviewId: review.id }, DEFAULT_SATISFACTION_REQUIRED);
    expect(d.procedure).toBe('two-level');
    expect(d.steps.map((s) => s.id)).not.toContain('district_examination');
    // One open dossier per commune and level.
    await expectRefused(openDossier(db, xa('2026-01-05'), { unitId: commune.id, level: 'nang-cao', baseReviewId: review.id }, DEFAULT_SATISFACTION_REQUIRED), 'conflict');
    d = await setDeadline(db, xa('2026-01-05'), d.id, { version: d.version, deadline: '2026-03-31', note: 'Thông báo kết luận: hoàn thành hồ sơ trước 31/3/2026' });
    expect(d).toMatchObject({ deadline: '2026-03-31', deadlineDaysLeft: 85, deadlineRisk: 'ok' });
    d = await upload(db, xa('2026-01-05'), d, 'self_assessment_report');
    d = await actOnDossier(db, xa('2026-01-06'), d.id, { action: 'open_consultation', version: d.version });
    d = await actOnDossier(db, xa('2026-01-27'), d.id, { action: 'close_consultation', version: d.version });
    d = await upload(db, xa('2026-02-02'), d, 'comment_summary', 'satisfaction_survey', 'meeting_minutes', 'submission_letter', 'debt_confirmation', 'security_confirmation');
    d = await updateDeclarations(db, xa('2026-02-02'), d.id, { version: d.version, satisfactionRate: 97, noConstructionDebt: true, securityOk: true });
    d = await actOnDossier(db, xa('2026-02-09'), d.id, { action: 'submit', version: d.version });
    expect(d.state).toBe('province_appraisal');
    // 20 working days from 9/2/2026 skip Tết Bính Ngọ (16–20/2): due 16/3, not 9/3.
    expect(d.dueOn).toBe('2026-03-09'.replace('09', '16'));
    const onTet = await getDossier(db, tinh('2026-02-18'), d.id);
    expect(onTet.workingDaysLeft).toBe(16);
    const late = await getDossier(db, tinh('2026-03-17'), d.id);
    expect(late).toMatchObject({ stepRisk: 'overdue' });
    const soon = await getDossier(db, tinh('2026-03-12'), d.id);
    expect(soon).toMatchObject({ stepRisk: 'at_risk', workingDaysLeft: 2 });
    // The province office finds it in its inbox; the commune, whose step is past, does not.
    const mine = (who: Actor, on: string) => dossiersAwaiting(db, who, on).then((xs) => xs.filter((x) => x.dossier.id === d.id));
    const forProvince = await mine(tinh('2026-03-12'), '2026-03-12');
    expect(forProvince).toHaveLength(1);
    expect(forProvince[0]).toMatchObject({ returned: null, dossier: { state: 'province_appraisal', stepRisk: 'at_risk', dueOn: '2026-03-16' } });
    expect(forProvince[0]!.message.vi).toContain('hạn 16/03/2026');
    expect(await mine(xa('2026-03-12'), '2026-03-12')).toHaveLength(0);
    expect(await mine(actor('tinh.khac', 'province_office', other.province_id!, '2026-03-12'), '2026-03-12')).toHaveLength(other.province_id === province ? 1 : 0);

    // The province returns it to the commune with reasons; only to a step the procedure allows.
    await expectRefused(
      actOnDossier(db, tinh('2026-02-25'), d.id, { action: 'return', version: d.version, comment: 'Bổ sung minh chứng', returnTo: 'province_publication' }),
      'validation_failed',
      'bad_return_target',
    );
    d = await actOnDossier(db, tinh('2026-02-25'), d.id, { action: 'return', version: d.version, comment: 'Kết quả khảo sát hài lòng chưa có chữ ký của MTTQ xã.', returnTo: 'commune_finalising' });
    expect(d).toMatchObject({ state: 'commune_finalising', stepRole: 'commune_officer' });
    // Back in the commune's inbox, marked returned, with the province's reasons.
    const back = await mine(xa('2026-02-26'), '2026-02-26');
    expect(back).toHaveLength(1);
    expect(back[0]!.returned).toEqual({ on: '2026-02-25', by: 'tinh.ninhbinh', comment: 'Kết quả khảo sát hài lòng chưa có chữ ký của MTTQ xã.' });
    expect(back[0]!.message.vi).toContain('bị trả lại ngày 25/02/2026: Kết quả khảo sát hài lòng');
    expect(back[0]!.message.en).toContain('returned on 2026-02-25');
    expect(await mine(tinh('2026-02-26'), '2026-02-26')).toHaveLength(0);
    const forCommune = d.actions.find((a) => a.action === 'submit')!;
    expect(forCommune.allowed).toBe(false);
    expect((await getDossier(db, xa('2026-02-26'), d.id)).actions.find((a) => a.action === 'submit')!.allowed).toBe(true);
    d = await upload(db, xa('2026-02-27'), d, 'satisfaction_survey');
    d = await actOnDossier(db, xa('2026-02-27'), d.id, { action: 'submit', version: d.version });
    d = await upload(db, tinh('2026-03-10'), d, 'appraisal_report');
    d = await actOnDossier(db, tinh('2026-03-10'), d.id, { action: 'approve', version: d.version });
    d = await actOnDossier(db, tinh('2026-03-17'), d.id, { action: 'close_consultation', version: d.version });
    d = await upload(db, tinh('2026-03-20'), d, 'decision');
    d = await actOnDossier(db, tinh('2026-03-20'), d.id, { action: 'decide', version: d.version, decision: { decisionNo: '512/QĐ-UBND', decidedOn: '2026-03-20', signer: null } });
    expect(d).toMatchObject({ state: 'recognised', deadlineRisk: 'none', recognition: { decisionNo: '512/QĐ-UBND' } });
    expect(d.transitions.filter((t) => t.action === 'return')).toHaveLength(1);
    expect(d.steps.map((s) => s.status)).toEqual(d.steps.map(() => 'done'));
    const listed = await listDossiers(db, tinh('2026-03-20'), { unitId: commune.id });
    expect(listed.map((x) => x.id)).toContain(d.id);
  });

  it('raises a revocation alert when a recognised commune falls below, and the province can open a revocation dossier', async () => {
    const db = ctx.db;
    const commune = await insertCommune(db.kysely);
    const province = commune.province_id!;
    const xa = actor('xa.a', 'commune_officer', commune.id, '2025-06-30');
    const tinh = actor('tinh.a', 'province_office', province, '2025-06-30');
    const base = await submittedReview(db, commune.id, '2023-09-30', []);
    await db.kysely
      .insertInto('recognition')
      .values({ unit_id: commune.id, level: 'nang-cao', set_id: base.setId, decision_no: '99/QĐ-UBND', decided_on: '2023-12-01', signer: null, note: null, is_demo: 0, created_at: new Date().toISOString() })
      .execute();
    // Boundary: 5 of 19 criteria (26%) below, one critical (17 Môi trường) → no alert.
    await submittedReview(db, commune.id, '2024-03-31', spreadIndicators(['5', '8', '13', '14', '17']));
    expect(await listAlerts(db, tinh, { unitId: commune.id })).toHaveLength(0);
    // 6 of 19 (31.6%) including a critical one → alert.
    const bad = await submittedReview(db, commune.id, '2024-09-30', spreadIndicators(['5', '8', '13', '14', '15', '17']));
    const alerts = await listAlerts(db, tinh, { unitId: commune.id, status: 'open' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ reviewId: bad.id, level: 'nang-cao', decisionNo: '99/QĐ-UBND', rule: 'share_30_with_critical' });
    // A commune officer may read it but not act on it.
    await expectRefused(openRevocationDossier(db, xa, alerts[0]!.id), 'forbidden');
    const d = await openRevocationDossier(db, tinh, alerts[0]!.id, '2024-10-07');
    expect(d).toMatchObject({ kind: 'revocation', procedure: 'revocation', state: 'revocation_review', recognition: { decisionNo: '99/QĐ-UBND', revokedOn: null } });
    // The revocation procedure names its own moves.
    expect(d.actions.map((a) => a.name.vi)).toEqual(['Yêu cầu xã giải trình', 'Không thu hồi (giữ công nhận)']);
    expect(d.transitions[0]).toMatchObject({ action: 'open', actionName: { vi: 'Lập hồ sơ' }, comment: alerts[0]!.reason.vi });
    await expectRefused(openRevocationDossier(db, tinh, alerts[0]!.id), 'conflict');
    await expectRefused(dismissAlert(db, tinh, alerts[0]!.id, 'nhập nhầm số liệu'), 'conflict');
    // The province's review report (Báo cáo rà soát), the document its first step requires, is drafted
    // from the alerting review and dated the day the dossier was opened, whatever day it is printed.
    const draft = await draftDocument(db, tinh, d.id, 'review_report', '2026-12-03');
    expect(draft.contentType).toContain('wordprocessingml');
    const text = docxText(draft.body);
    expect(text).toContain('BÁO CÁO');
    expect(text).toContain('Kết quả rà soát mức độ đạt chuẩn nông thôn mới nâng cao');
    expect(text).toContain('Quyết định số 99/QĐ-UBND ngày 01/12/2023');
    expect(text).toContain('Theo kết quả rà soát ngày 30/09/2024');
    expect(text).toContain('13/19 tiêu chí');
    expect(text).toContain('6/19 tiêu chí không đạt (31,6%)');
    expect(text).toContain('yêu cầu Ủy ban nhân dân');
    expect(text).toContain('ngày 07 tháng 10 năm 2024');
    expect(text).not.toContain('năm 2026');
    // Its decision is a revocation, never a recognition; the recognition's documents are refused.
    const decision = docxText((await draftDocument(db, tinh, d.id, 'decision', '2026-12-03')).body);
    expect(decision).toContain('Về việc thu hồi quyết định công nhận');
    expect(decision).toContain('Điều 1. Thu hồi Quyết định số 99/QĐ-UBND ngày 01/12/2023');
    expect(decision).not.toContain('Về việc công nhận');
    await expectRefused(draftDocument(db, tinh, d.id, 'meeting_minutes', '2026-12-03'), 'validation_failed');
    // The checklist offers only the drafts this kind of dossier has.
    expect(d.documents.find((x) => x.type === 'review_report')!.draft).toBe(true);
    expect(d.documents.find((x) => x.type === 'appraisal_report')!.draft).toBe(false);
  });
});
