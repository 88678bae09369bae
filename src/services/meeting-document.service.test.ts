/**
 * The documents a meeting produces, parsed back: the .docx unzipped and its document.xml read
 * (Decree 30 parts: national title, motto, number/symbol, place and date, type and summary,
 * signature, recipients; the content: frozen status, unmet list, tasks, funding, conclusions),
 * then converted by LibreOffice to PDF and read with pdftotext; page 1 is rendered to PNG under
 * artifacts/committee/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { addMember, createCommittee } from './committee.service.ts';
import { addConclusion, createMeeting, getMeeting, updateMeeting } from './meeting.service.ts';
import { reportProgress, transitionTask } from './task.service.ts';
import { addAction, createBudgetRequest, createPlan } from './action-plan.service.ts';
import { conclusionNotice, progressReport } from './meeting-document.service.ts';
import { spreadIndicators, submittedReview } from '../test-support/committee.ts';
import { DomainError } from '../domain/errors.ts';

const UNMET = ['5', '8', '13', '14', '15', '17'];

function documentXml(buffer: Buffer, dir: string, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, buffer);
  return execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Visible text of document.xml: runs joined, paragraphs on lines. */
function textOf(xml: string): string {
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

function hasSoffice(): boolean {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

describeEachDialect('meeting documents (Decree 30/2020 .docx)', (ctx) => {
  let dir = '';
  let meetingId = 0;
  let trangAn = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'datchuan-docs-'));
    const u = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    trangAn = u.id;
    await submittedReview(ctx.db, trangAn, '2023-03-20', spreadIndicators(UNMET, 11));
    const c = await createCommittee(ctx.db, SYSTEM_ACTOR, { unitId: u.parent_id!, name: 'Ban Chỉ đạo các chương trình MTQG huyện Bình Lục', periodFrom: '2020-10-01' });
    await addMember(ctx.db, SYSTEM_ACTOR, c.id, { personName: 'Đinh Văn Hà', position: 'Bí thư Huyện ủy', role: 'head', joinedOn: '2020-10-01' });
    const m = await createMeeting(ctx.db, SYSTEM_ACTOR, {
      committeeId: c.id,
      title: 'Làm việc với xã Tràng An về xây dựng xã NTM nâng cao',
      heldOn: '2023-03-20',
      place: 'UBND xã Tràng An',
      unitIds: [trangAn],
      participants: [
        { personName: 'Đinh Văn Hà', position: 'Bí thư Huyện ủy, Trưởng Ban Chỉ đạo', role: 'chair' },
        { personName: 'Lê Thị Hoa', position: 'Trưởng phòng Nông nghiệp và PTNT', role: 'member' },
        { personName: 'Nguyễn Văn Bình', position: 'Chủ tịch UBND xã Tràng An', role: 'commune' },
      ],
    });
    meetingId = m.id;
    await addConclusion(ctx.db, SYSTEM_ACTOR, m.id, {
      unitId: trangAn,
      text: 'Tập trung hoàn thành 06 tiêu chí chưa đạt.',
      tasks: [
        { title: 'Hoàn thành tiêu chí số 5 về Giáo dục', assignee: { kind: 'unit', unitId: trangAn }, targets: { criteria: ['5'] }, dueOn: '2023-09-30' },
        { title: 'Hỗ trợ xã hoàn thành tiêu chí số 13', assignee: { kind: 'agency', name: 'Phòng Nông nghiệp và PTNT' }, targets: { criteria: ['13'] }, dueOn: '2023-09-30' },
      ],
    });
    await addConclusion(ctx.db, SYSTEM_ACTOR, m.id, {
      unitId: trangAn,
      text: 'Hoàn thiện hồ sơ đề nghị công nhận xã đạt chuẩn NTM nâng cao trước ngày 30/9/2023.',
      tasks: [{ title: 'Hoàn thiện hồ sơ đề nghị công nhận', assignee: { kind: 'unit', unitId: trangAn }, dueOn: '2023-09-30', priority: 'urgent' }],
    });
    const plan = await createPlan(ctx.db, SYSTEM_ACTOR, { unitId: trangAn, title: 'Kế hoạch hoàn thành các tiêu chí NTM nâng cao năm 2023' });
    await addAction(ctx.db, SYSTEM_ACTOR, plan.id, {
      criterionCode: '5',
      action: 'Xây dựng 06 phòng học trường mầm non',
      fromValue: '70%',
      toValue: '100%',
      estimatedCost: 2_500_000_000,
      targetOn: '2023-08-31',
      owner: 'UBND xã',
      funding: [
        { source: 'province_budget', planned: 1_500_000_000, mobilised: 1_500_000_000, disbursed: 900_000_000 },
        { source: 'diaspora', planned: 300_000_000, mobilised: 350_000_000, disbursed: 350_000_000 },
      ],
    });
    await createBudgetRequest(ctx.db, SYSTEM_ACTOR, { unitId: trangAn, toUnitId: u.parent_id!, planId: plan.id, title: 'Hỗ trợ xây dựng phòng học', source: 'district_budget', amount: 700_000_000, requestedOn: '2023-03-15', submit: true });
    const mm = await updateMeeting(ctx.db, SYSTEM_ACTOR, m.id, { version: m.version, noticeNo: '05/TB-BCĐ', noticeOn: '2023-03-22' });
    expect(mm.noticeNo).toBe('05/TB-BCĐ');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the commune progress report: header block, frozen status, unmet list, tasks, funding, requests', async () => {
    const doc = await progressReport(ctx.db, SYSTEM_ACTOR, meetingId, trangAn, '2023-04-01');
    expect(doc.fileName).toBe('bao-cao-trang-an-2023-03-20.docx');
    expect(doc.buffer.subarray(0, 2).toString()).toBe('PK');
    const xml = documentXml(doc.buffer, dir, doc.fileName);
    const text = textOf(xml);
    for (const s of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'ỦY BAN NHÂN DÂN',
      'XÃ TRÀNG AN',
      '/BC-UBND',
      'Tràng An, ngày 20 tháng 3 năm 2023',
      'BÁO CÁO',
      'Kính gửi: Ban Chỉ đạo các chương trình MTQG huyện Bình Lục.',
      'I. KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ',
      'đạt 13/19 tiêu chí, 64/75 chỉ tiêu',
      'II. CÁC TIÊU CHÍ, CHỈ TIÊU CHƯA ĐẠT',
      'Còn 6 tiêu chí với 11 chỉ tiêu chưa đạt',
      'Hoàn thành tiêu chí số 5 về Giáo dục',
      'Phòng Nông nghiệp và PTNT',
      'Xây dựng 06 phòng học trường mầm non',
      'Ngân sách tỉnh',
      'Con em quê hương xa quê',
      '2.500',
      'Đề nghị UBND huyện Bình Lục hỗ trợ 700 triệu đồng',
      'TM. ỦY BAN NHÂN DÂN',
      'CHỦ TỊCH',
      'Nguyễn Văn Bình',
      'Nơi nhận:',
      '- Lưu: VT.',
    ]) {
      expect(text, s).toContain(s);
    }
    // Decree 30: Times New Roman, A4 portrait, left margin 30 mm, page numbers from page 2.
    expect(xml).toContain('w:w="11906"');
    expect(xml).toContain('w:h="16838"');
    expect(xml).toContain('w:left="1701"');
    expect(xml).toContain('<w:titlePg/>');
    expect(text).not.toContain('undefined');
  });

  it('the conclusion notice: from the structured conclusions, with the tasks and deadlines', async () => {
    const doc = await conclusionNotice(ctx.db, SYSTEM_ACTOR, meetingId);
    const text = textOf(documentXml(doc.buffer, dir, doc.fileName));
    for (const s of [
      // The parent body abbreviated (Decree 30, Appendix I); the committee broken between phrases only.
      'UBND HUYỆN BÌNH LỤC\nBAN CHỈ ĐẠO\nCÁC CHƯƠNG TRÌNH\nMTQG HUYỆN BÌNH LỤC\n',
      'THÔNG BÁO',
      'Kết luận của Trưởng Ban Chỉ đạo tại buổi làm việc với xã Tràng An',
      'Ngày 20/03/2023, tại UBND xã Tràng An, đồng chí Đinh Văn Hà, Bí thư Huyện ủy, Trưởng Ban Chỉ đạo đã chủ trì',
      'Tham dự có: đồng chí Lê Thị Hoa, Trưởng phòng Nông nghiệp và PTNT',
      '1. Đánh giá chung',
      'Theo kết quả rà soát ngày 20/03/2023, xã Tràng An đạt 13/19 tiêu chí, 64/75 chỉ tiêu',
      '2. Nhiệm vụ trong thời gian tới',
      'a) Tập trung hoàn thành 06 tiêu chí chưa đạt.',
      '- Hoàn thành tiêu chí số 5 về Giáo dục: giao UBND xã Tràng An thực hiện, hoàn thành trước ngày 30/09/2023 (tiêu chí 5).',
      'b) Hoàn thiện hồ sơ đề nghị công nhận xã đạt chuẩn NTM nâng cao trước ngày 30/9/2023.',
      'Khẩn',
      'TM. BAN CHỈ ĐẠO',
      'TRƯỞNG BAN',
      'Đinh Văn Hà',
      '- UBND xã Tràng An;',
      '- Phòng Nông nghiệp và PTNT;',
      'Số: 05/TB-BCĐ',
      'Bình Lục, ngày 22 tháng 3 năm 2023',
    ]) {
      expect(text, s).toContain(s);
    }
  });

  it('opens cleanly in LibreOffice: converted to PDF, text read back, page 1 rendered to artifacts/committee/', async (t) => {
    if (ctx.dialect !== 'sqlite' || !hasSoffice()) return t.skip();
    const out = path.resolve('artifacts/committee');
    mkdirSync(out, { recursive: true });
    for (const [doc, stem, expected] of [
      [await progressReport(ctx.db, SYSTEM_ACTOR, meetingId, trangAn, '2023-04-01'), 'progress-report', ['BÁO CÁO', '13/19 tiêu chí', 'Nơi nhận']],
      [await conclusionNotice(ctx.db, SYSTEM_ACTOR, meetingId), 'conclusion-notice', ['THÔNG BÁO', 'Kết luận của Trưởng Ban Chỉ đạo', 'TRƯỞNG BAN']],
    ] as const) {
      const docx = path.join(out, `${stem}.docx`);
      writeFileSync(docx, doc.buffer);
      const profile = mkdtempSync(path.join(tmpdir(), 'lo-profile-'));
      try {
        execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, docx], { stdio: 'ignore', timeout: 120_000 });
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
      const pdf = path.join(out, `${stem}.pdf`);
      expect(existsSync(pdf)).toBe(true);
      const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      for (const s of expected) expect(text).toContain(s);
      expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
      expect(pages).toBeGreaterThanOrEqual(1);
      const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))!;
      expect(Math.round(Number(size[1]))).toBe(595); // A4 portrait
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(out, `${stem}-page1`)]);
      expect(readFileSync(path.join(out, `${stem}-page1.png`)).subarray(1, 4).toString()).toBe('PNG');
    }
  }, 300_000);

  it('the progress report for the meeting shows the tasks as they stood on the meeting day, not today', async () => {
    const tasks = (await getMeeting(ctx.db, SYSTEM_ACTOR, meetingId)).conclusions.flatMap((c) => c.tasks);
    const education = tasks.find((t) => t.title.startsWith('Hoàn thành tiêu chí số 5'))!;
    const p = await reportProgress(ctx.db, SYSTEM_ACTOR, education.id, { version: education.version, progress: 60, on: '2023-05-15' });
    await transitionTask(ctx.db, SYSTEM_ACTOR, education.id, { version: p.version, transition: 'complete', on: '2023-09-29' });
    const onTheDay = textOf(documentXml((await progressReport(ctx.db, SYSTEM_ACTOR, meetingId, trangAn)).buffer, dir, 'on-the-day.docx'));
    expect(onTheDay).toContain('1. Nhiệm vụ được giao (tình hình đến ngày 20/03/2023)');
    expect(onTheDay).toContain('Mới (0%)');
    expect(onTheDay).not.toContain('Hoàn thành (100%)');
    expect(onTheDay).not.toContain('Quá hạn');
    const june = textOf(documentXml((await progressReport(ctx.db, SYSTEM_ACTOR, meetingId, trangAn, '2023-06-01')).buffer, dir, 'june.docx'));
    expect(june).toContain('Đang thực hiện (60%)');
    const october = textOf(documentXml((await progressReport(ctx.db, SYSTEM_ACTOR, meetingId, trangAn, '2023-10-15')).buffer, dir, 'october.docx'));
    expect(october).toContain('Hoàn thành (100%)');
    expect(october).toContain('Quá hạn (0%)');
  });

  it('refuses a notice before any conclusion and a report for a commune not on the agenda', async () => {
    const other = await insertCommune(ctx.db.kysely, { code: '13516', name: 'Bình Nghĩa' });
    await expect(progressReport(ctx.db, SYSTEM_ACTOR, meetingId, other.id)).rejects.toBeInstanceOf(DomainError);
  });
});
