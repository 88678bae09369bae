/**
 * Public consultation on real SQLite and PostgreSQL: what the public page shows, the form token,
 * the honeypot, per-purpose consent, rate limits, moderation, and the erasure of personal data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { DEFAULT_CALENDAR } from '../domain/working-days.ts';
import { defaultSecurityConfig } from '../config.ts';
import {
  commentSummary,
  COMMENT_RULES,
  eraseExpiredPersonalData,
  issueFormToken,
  listComments,
  moderateComment,
  publicComments,
  publicDossier,
  submitComment,
  withdrawConsent,
  type CommentInput,
} from './consultation.service.ts';
import { insertDossierFixture } from '../test-support/consultation.ts';
import { runJobs } from './jobs.service.ts';
import { SYSTEM_ACTOR } from './actor.ts';

const NOW = new Date('2026-12-01T03:00:00Z'); // 10:00 in Vietnam, 1/12/2026
const later = (d: Date, ms: number) => new Date(d.getTime() + ms);

describeEachDialect('consultation service', (ctx) => {
  let dossierId = 0;
  let unitId = '';

  beforeAll(async () => {
    const f = await insertDossierFixture(ctx.db, { review: { unmetCriteria: ['5', '8'] } });
    dossierId = f.dossier.id;
    unitId = f.unitId;
  }, 60_000);

  /** A valid comment: a token issued 10 s before `at`. */
  async function send(over: Partial<CommentInput> = {}, ip = '203.0.113.7', at = NOW, id = dossierId) {
    const token = await issueFormToken(ctx.db, id, later(at, -10_000));
    return submitComment(ctx.db, { dossierId: id, body: 'Đường trục xã còn nhiều ổ gà, đề nghị sửa trước khi công nhận.', consents: { publish_name: false, contact_reply: false }, token, website: '', ...over }, ip, at);
  }

  describe('the public page', () => {
    it('shows the dossier in consultation with the engine verdict, the period and a form', async () => {
      const p = await publicDossier(ctx.db, dossierId, NOW);
      expect(p.open).toBe(true);
      expect(p.stage).toBe('commune_consultation');
      expect(p.stageName.vi).toBe('Công khai, lấy ý kiến nhân dân');
      expect(p.openedOn).toBe('2026-11-30');
      expect(p.closesOn).toBe(DEFAULT_CALENDAR.addWorkingDays('2026-11-30', 15));
      expect(p.levelName.vi).toBe('xã nông thôn mới nâng cao');
      expect(p.unit.id).toBe(unitId);
      expect(p.unit.parentName).toBe('Huyện Bình Lục');
      expect(p.review).not.toBeNull();
      expect(p.review!.criteriaMet).toBe(p.review!.criteriaTotal - 2);
      expect(p.criteria.filter((c) => c.status === 'not_met').map((c) => c.code).sort()).toEqual(['5', '8']);
      expect(p.form.minSeconds).toBe(3);
      expect(p.form.maxLength).toBe(2000);
      expect(p.form.token).toMatch(new RegExp(`^${dossierId}\\.${NOW.getTime()}\\.[A-Za-z0-9_-]{43}$`));
      expect(p.form.notice.purposes.map((x) => x.purpose)).toEqual(['publish_name', 'contact_reply']);
      expect(p.form.notice.controller).toMatch(/^Ủy ban nhân dân xã /);
      expect(p.form.notice.retentionDays).toBe(365);
    });

    it('answers 404 for a dossier that never was in consultation, and for none at all', async () => {
      const prep = await insertDossierFixture(ctx.db, { state: 'commune_preparing', review: 'none' });
      await expect(publicDossier(ctx.db, prep.dossier.id, NOW)).rejects.toMatchObject({ code: 'not_found' });
      await expect(publicDossier(ctx.db, 999_999, NOW)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('still shows a dossier after its consultation, closed, and refuses comments on it', async () => {
      const f = await insertDossierFixture(ctx.db, {
        state: 'commune_finalising',
        stateSince: '2026-11-25',
        transitions: [
          { action: 'open_consultation', from: 'commune_preparing', to: 'commune_consultation', onDate: '2026-11-03' },
          { action: 'close_consultation', from: 'commune_consultation', to: 'commune_finalising', onDate: '2026-11-25' },
        ],
      });
      const p = await publicDossier(ctx.db, f.dossier.id, NOW);
      expect(p.open).toBe(false);
      expect(p.stage).toBe('commune_consultation');
      expect(p.openedOn).toBe('2026-11-03');
      await expect(send({}, '198.51.100.1', NOW, f.dossier.id)).rejects.toMatchObject({ code: 'conflict', details: { reason: 'consultation_closed' } });
    });

    it('closes the consultation when its period is over', async () => {
      const f = await insertDossierFixture(ctx.db, { stateSince: '2026-10-01' });
      const p = await publicDossier(ctx.db, f.dossier.id, NOW);
      expect(p.closesOn! < '2026-12-01').toBe(true);
      expect(p.open).toBe(false);
      await expect(send({}, '198.51.100.2', NOW, f.dossier.id)).rejects.toMatchObject({ code: 'conflict' });
    });
  });

  describe('sending a comment', () => {
    it('refuses a filled honeypot as an invalid form naming the field, and stores nothing', async () => {
      const before = await listComments(ctx.db, SYSTEM_ACTOR, dossierId);
      const err = await send({ website: 'http://spam.example' }, '198.51.100.3').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'website' }] } });
      expect((err as Error).message).not.toMatch(/honeypot/i);
      expect(await listComments(ctx.db, SYSTEM_ACTOR, dossierId)).toHaveLength(before.length);
    });

    it('refuses a token sent too fast, expired, forged or issued for another dossier', async () => {
      const fresh = await issueFormToken(ctx.db, dossierId, later(NOW, -1000));
      const base = { dossierId, body: 'Một ý kiến đủ dài để gửi.', consents: { publish_name: false, contact_reply: false } };
      await expect(submitComment(ctx.db, { ...base, token: fresh }, '198.51.100.4', NOW)).rejects.toMatchObject({ code: 'validation_failed', details: { reason: 'token_too_fast', fields: [{ field: 'token' }] } });
      const old = await issueFormToken(ctx.db, dossierId, later(NOW, -2 * 3600_000));
      await expect(submitComment(ctx.db, { ...base, token: old }, '198.51.100.4', NOW)).rejects.toMatchObject({ details: { reason: 'token_expired' } });
      const ok = await issueFormToken(ctx.db, dossierId, later(NOW, -60_000));
      const forged = ok.slice(0, -2) + (ok.endsWith('AA') ? 'BB' : 'AA');
      await expect(submitComment(ctx.db, { ...base, token: forged }, '198.51.100.4', NOW)).rejects.toMatchObject({ details: { reason: 'token_invalid' } });
      // A valid signature with a changed issue time is forged too.
      const [id, , mac] = ok.split('.');
      await expect(submitComment(ctx.db, { ...base, token: `${id}.${NOW.getTime() - 3_600_000}.${mac}` }, '198.51.100.4', NOW)).rejects.toMatchObject({ details: { reason: 'token_invalid' } });
      const other = await insertDossierFixture(ctx.db, { review: 'none' });
      const foreign = await issueFormToken(ctx.db, other.dossier.id, later(NOW, -60_000));
      await expect(submitComment(ctx.db, { ...base, token: foreign }, '198.51.100.4', NOW)).rejects.toMatchObject({ details: { reason: 'token_invalid' } });
      await expect(submitComment(ctx.db, { ...base, token: 'garbage' }, '198.51.100.4', NOW)).rejects.toMatchObject({ code: 'validation_failed' });
    });

    it('checks lengths after NFC and trimming, naming the field in both languages', async () => {
      const short = await send({ body: '   ngắn    ' }, '198.51.100.5').catch((e: unknown) => e);
      expect(short).toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'body' }] } });
      expect((short as { messageVi: string }).messageVi).toMatch(/từ 10 đến 2000 ký tự/);
      await expect(send({ body: 'x'.repeat(2001) }, '198.51.100.5')).rejects.toMatchObject({ details: { fields: [{ field: 'body' }] } });
      await expect(send({ name: 'N'.repeat(101) }, '198.51.100.5')).rejects.toMatchObject({ details: { fields: [{ field: 'name' }] } });
      await expect(send({ contact: 'c'.repeat(201) }, '198.51.100.5')).rejects.toMatchObject({ details: { fields: [{ field: 'contact' }] } });
      // "Tràng" typed with a combining grave accent is stored composed.
      const r = await send({ body: 'Xã Tra\u0300ng An cần thêm đèn chiếu sáng.' }, '198.51.100.5');
      const row = (await listComments(ctx.db, SYSTEM_ACTOR, dossierId)).find((c) => c.id === r.id)!;
      expect(row.body).toBe('Xã Tràng An cần thêm đèn chiếu sáng.');
      // Control characters (NUL, which PostgreSQL refuses) are dropped; line breaks stay.
      const ctl = await send({ body: 'Dòng một\u0000 có ký tự lạ\nDòng hai\u0007.', name: 'Tên\u0000' }, '198.51.100.5');
      const ctlRow = (await listComments(ctx.db, SYSTEM_ACTOR, dossierId)).find((c) => c.id === ctl.id)!;
      expect([ctlRow.body, ctlRow.authorName]).toEqual(['Dòng một có ký tự lạ\nDòng hai.', 'Tên']);
      expect(r.status).toBe('pending');
    });

    it('records each consent on its own with the notice shown; the name is published only with consent', async () => {
      const hidden = await send({ name: 'Nguyễn Văn An', contact: 'an@example.vn', consents: { publish_name: false, contact_reply: true } }, '198.51.100.6');
      const shown = await send({ name: 'Trần Thị Bình', contact: '0912345678', consents: { publish_name: true, contact_reply: false } }, '198.51.100.6');
      const all = await listComments(ctx.db, SYSTEM_ACTOR, dossierId);
      const h = all.find((c) => c.id === hidden.id)!;
      expect(h.status).toBe('pending');
      expect(h.authorName).toBe('Nguyễn Văn An');
      expect(h.contact).toBe('an@example.vn');
      expect(h.consents.map((c) => [c.purpose, c.granted])).toEqual([
        ['publish_name', false],
        ['contact_reply', true],
      ]);
      // Without consent to be contacted, the contact given is not kept.
      expect(all.find((c) => c.id === shown.id)!.contact).toBeNull();
      const records = await ctx.db.kysely.selectFrom('consent_record').selectAll().where('comment_id', '=', shown.id).orderBy('id').execute();
      expect(records.map((r) => [r.purpose, r.granted])).toEqual([
        ['publish_name', 1],
        ['contact_reply', 0],
      ]);
      expect(records[0]!.notice_version).toBe('2026-11-27');
      expect(records[0]!.notice_text).toContain('công khai họ tên');
      expect(records[1]!.notice_text).toContain('trả lời ý kiến');
      // Nothing is public before moderation.
      expect((await publicComments(ctx.db, dossierId)).map((c) => c.id)).not.toContain(hidden.id);
      await moderateComment(ctx.db, SYSTEM_ACTOR, hidden.id, { status: 'published' }, NOW);
      await moderateComment(ctx.db, SYSTEM_ACTOR, shown.id, { status: 'published' }, NOW);
      const pub = await publicComments(ctx.db, dossierId);
      expect(pub.find((c) => c.id === hidden.id)!.authorName).toBeNull();
      expect(pub.find((c) => c.id === shown.id)!.authorName).toBe('Trần Thị Bình');
      expect(JSON.stringify(pub)).not.toContain('an@example.vn');
      expect(JSON.stringify(pub)).not.toContain('0912345678');
      // A withdrawn consent hides the name again.
      await ctx.db.kysely.updateTable('consent_record').set({ withdrawn_at: NOW.toISOString() }).where('comment_id', '=', shown.id).where('purpose', '=', 'publish_name').execute();
      expect((await publicComments(ctx.db, dossierId)).find((c) => c.id === shown.id)!.authorName).toBeNull();
    });

    it('lets the commenter withdraw consent with the code given once: name and contact erased, consents withdrawn, audited', async () => {
      const r = await send({ name: 'Lê Văn Cường', contact: 'cuong@example.vn', consents: { publish_name: true, contact_reply: true } }, '192.0.2.77');
      expect(r.withdrawCode).toMatch(/^[A-Za-z0-9_-]{16}$/);
      // Only its hash is kept.
      const stored = await ctx.db.kysely.selectFrom('public_comment').select('withdraw_hash').where('id', '=', r.id).executeTakeFirstOrThrow();
      expect(stored.withdraw_hash).not.toContain(r.withdrawCode);
      await moderateComment(ctx.db, SYSTEM_ACTOR, r.id, { status: 'published' }, NOW);
      expect((await publicComments(ctx.db, dossierId)).find((c) => c.id === r.id)!.authorName).toBe('Lê Văn Cường');
      await expect(withdrawConsent(ctx.db, 'AAAAAAAAAAAAAAAA', NOW)).rejects.toMatchObject({ code: 'validation_failed', messageVi: expect.stringContaining('không đúng') });
      const done = await withdrawConsent(ctx.db, r.withdrawCode, later(NOW, 60_000));
      expect(done.id).toBe(r.id);
      const mod = (await listComments(ctx.db, SYSTEM_ACTOR, dossierId)).find((c) => c.id === r.id)!;
      expect([mod.authorName, mod.contact, mod.personalDataErased]).toEqual([null, null, true]);
      expect(mod.consents.every((c) => !c.granted)).toBe(true);
      expect((await publicComments(ctx.db, dossierId)).find((c) => c.id === r.id)).toMatchObject({ authorName: null, body: expect.stringContaining('ổ gà') });
      const trail = await ctx.db.kysely.selectFrom('audit_event').select(['action', 'after_json']).where('action', '=', 'public_comment.withdraw_consent').where('entity_id', '=', String(r.id)).execute();
      expect(trail).toHaveLength(1);
      expect(trail[0]!.after_json).not.toContain('Cường');
    });

    it('never stores the address: only a salted hash; the audit trail has no name, contact or address', async () => {
      const r = await send({ name: 'Lê Văn Cường', contact: 'cuong@example.vn' }, '192.0.2.55');
      const row = await ctx.db.kysely.selectFrom('public_comment').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
      expect(row.client_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain('192.0.2.55');
      const { createHash } = await import('node:crypto');
      expect(row.client_hash).not.toBe(createHash('sha256').update('192.0.2.55').digest('hex'));
      const audit = await ctx.db.kysely.selectFrom('audit_event').selectAll().where('entity', '=', 'public_comment').where('entity_id', '=', String(r.id)).execute();
      expect(audit.map((a) => [a.action, a.actor, a.source])).toEqual([['public_comment.create', 'anonymous', 'web']]);
      const text = JSON.stringify(audit);
      for (const secret of ['Lê Văn Cường', 'cuong@example.vn', '192.0.2.55']) expect(text).not.toContain(secret);
    });

    it('stores markup verbatim (it is data, shown as text)', async () => {
      const r = await send({ body: '<script>alert(1)</script> <img src=x onerror=alert(2)>' }, '198.51.100.8');
      const row = (await listComments(ctx.db, SYSTEM_ACTOR, dossierId)).find((c) => c.id === r.id)!;
      expect(row.body).toBe('<script>alert(1)</script> <img src=x onerror=alert(2)>');
    });

    it('limits a client to 3 comments in 10 minutes and 20 a day; other clients are not affected', async () => {
      const ip = '198.51.100.9';
      for (let i = 0; i < 3; i++) await send({}, ip, later(NOW, i * 1000));
      const err = await send({}, ip, later(NOW, 5000)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'rate_limited', details: { limit: 'per_10_minutes' } });
      expect((err as Error).message).toMatch(/3 comments in 10 minutes/);
      await expect(send({}, '198.51.100.10', later(NOW, 5000))).resolves.toMatchObject({ status: 'pending' });
      // Spread over the day: the per-10-minute limit is respected, the daily one stops the 21st.
      const ip2 = '198.51.100.11';
      for (let i = 0; i < COMMENT_RULES.perDay; i++) await send({}, ip2, later(NOW, i * 4 * 60_000));
      await expect(send({}, ip2, later(NOW, 20 * 4 * 60_000))).rejects.toMatchObject({ code: 'rate_limited', details: { limit: 'per_day' } });
      await expect(send({}, ip2, later(NOW, 25 * 3600_000))).resolves.toMatchObject({ status: 'pending' });
    }, 60_000);

    it('lets exactly 3 of 8 parallel comments from one client through, the rest refused', async () => {
      const ip = '198.51.100.77';
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => send({}, ip, later(NOW, i))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(COMMENT_RULES.perTenMinutes);
      for (const r of results.filter((x) => x.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'rate_limited' });
      const { clientHash } = await import('./consultation.service.ts');
      const stored = await ctx.db.kysely.selectFrom('public_comment').select('id').where('client_hash', '=', await clientHash(ctx.db, ip)).execute();
      expect(stored).toHaveLength(COMMENT_RULES.perTenMinutes);
    }, 60_000);
  });

  describe('moderation, summary and retention', () => {
    it('moderates only pending comments, recording who, when and why, audited', async () => {
      const r = await send({}, '198.51.100.20');
      const m = await moderateComment(ctx.db, { id: 'xa.tranganh', source: 'web' }, r.id, { status: 'rejected', note: 'Nội dung trùng lặp' }, later(NOW, 60_000));
      expect(m).toMatchObject({ status: 'rejected', moderatedBy: 'xa.tranganh', moderatedAt: later(NOW, 60_000).toISOString(), moderationNote: 'Nội dung trùng lặp' });
      await expect(moderateComment(ctx.db, SYSTEM_ACTOR, r.id, { status: 'published' }, NOW)).rejects.toMatchObject({ code: 'conflict', details: { current: { status: 'rejected', moderatedBy: 'xa.tranganh' } } });
      const audit = await ctx.db.kysely.selectFrom('audit_event').selectAll().where('action', '=', 'public_comment.moderate').where('entity_id', '=', String(r.id)).execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.after_json!)).toEqual({ status: 'rejected', note: 'Nội dung trùng lặp' });
      expect(audit[0]!.unit_id).toBe(unitId);
      await expect(moderateComment(ctx.db, SYSTEM_ACTOR, 999_999, { status: 'published' })).rejects.toMatchObject({ code: 'not_found' });
    });

    it('summarises a dossier: counts by status and the published comments', async () => {
      const f = await insertDossierFixture(ctx.db, { review: 'none' });
      const a = await send({ body: 'Ý kiến thứ nhất về hồ sơ.', name: 'Phạm Dũng', consents: { publish_name: true, contact_reply: false } }, '198.51.100.30', NOW, f.dossier.id);
      const b = await send({ body: 'Ý kiến thứ hai về hồ sơ.' }, '198.51.100.30', NOW, f.dossier.id);
      await send({ body: 'Ý kiến thứ ba về hồ sơ.' }, '198.51.100.30', NOW, f.dossier.id);
      await moderateComment(ctx.db, SYSTEM_ACTOR, a.id, { status: 'published' }, NOW);
      await moderateComment(ctx.db, SYSTEM_ACTOR, b.id, { status: 'rejected' }, NOW);
      const s = await commentSummary(ctx.db, f.dossier.id);
      expect(s.counts).toEqual({ pending: 1, published: 1, rejected: 1, total: 3 });
      expect(s.published).toEqual([expect.objectContaining({ id: a.id, body: 'Ý kiến thứ nhất về hồ sơ.', authorName: 'Phạm Dũng', stage: 'commune_consultation' })]);
    });

    it('erases name and contact after delete_after (the body stays), as one audited event; the daily jobs do it', async () => {
      const f = await insertDossierFixture(ctx.db, { review: 'none' });
      const r = await send({ name: 'Hoàng Thị Em', contact: 'em@example.vn', consents: { publish_name: true, contact_reply: true } }, '198.51.100.40', NOW, f.dossier.id);
      await moderateComment(ctx.db, SYSTEM_ACTOR, r.id, { status: 'published' }, NOW);
      const [before] = await listComments(ctx.db, SYSTEM_ACTOR, f.dossier.id);
      expect(before!.deleteAfter).toBe('2027-12-01');
      expect(before!.personalDataErased).toBe(false);
      expect(await eraseExpiredPersonalData(ctx.db, '2027-12-01')).toBe(0);
      expect((await publicComments(ctx.db, f.dossier.id))[0]!.authorName).toBe('Hoàng Thị Em');
      const erased = await eraseExpiredPersonalData(ctx.db, '2027-12-02');
      expect(erased).toBeGreaterThanOrEqual(1); // every comment of this file created on NOW
      const [after] = await listComments(ctx.db, SYSTEM_ACTOR, f.dossier.id);
      expect(after).toMatchObject({ authorName: null, contact: null, personalDataErased: true, body: before!.body, status: 'published' });
      expect((await publicComments(ctx.db, f.dossier.id))[0]!.authorName).toBeNull();
      const events = await ctx.db.kysely.selectFrom('audit_event').selectAll().where('action', '=', 'public_comment.erase_personal_data').execute();
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]!.after_json!)).toMatchObject({ count: erased });
      expect(JSON.parse(events[0]!.after_json!).ids).toContain(r.id);
      // Nothing left to erase that day: no second event.
      expect(await eraseExpiredPersonalData(ctx.db, '2027-12-02')).toBe(0); // run again the same day
      expect(await ctx.db.kysely.selectFrom('audit_event').select('id').where('action', '=', 'public_comment.erase_personal_data').execute()).toHaveLength(1);
      // The daily jobs erase what has expired since: a comment sent three days after NOW.
      const late = await send({ name: 'Vũ Văn Giang' }, '198.51.100.41', later(NOW, 3 * 86400_000), f.dossier.id);
      await eraseExpiredPersonalData(ctx.db, '2027-12-04'); // the others of this file, sent up to a day after NOW
      const jobs = await runJobs({ db: ctx.db, config: defaultSecurityConfig(), clock: () => new Date('2027-12-05T03:00:00Z') });
      expect(jobs.commentsErased).toBe(1);
      const lateRow = await ctx.db.kysely.selectFrom('public_comment').selectAll().where('id', '=', late.id).executeTakeFirstOrThrow();
      expect(lateRow.author_name).toBeNull();
      expect(lateRow.personal_data_erased_at).toBe('2027-12-05T03:00:00.000Z');
    });

  });
});
