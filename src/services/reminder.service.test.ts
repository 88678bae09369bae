/**
 * Reminders by e-mail against a local SMTP sink on 127.0.0.1 (never the internet): due-soon
 * reminders on their milestone days, the committee digest to members, nothing sent twice a day,
 * a dead SMTP server logged as failed without stopping the run.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { listReminders } from '../db/reminder.repository.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { addMember, createCommittee } from './committee.service.ts';
import { addConclusion, createMeeting } from './meeting.service.ts';
import { createSmtpMailer } from '../platform/mailer.ts';
import { runReminders, startReminderScheduler } from './reminder.service.ts';
import { submittedReview } from '../test-support/committee.ts';

interface Received {
  to: string[];
  raw: string;
}

async function startSink(): Promise<{ port: number; mails: Received[]; close(): Promise<void> }> {
  const mails: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (raw += c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Decode the quoted-printable / base64 subject and body enough to search them. */
function readable(raw: string): string {
  const subject = /^Subject: (.*(?:\r?\n .*)*)/m.exec(raw)?.[1] ?? '';
  const words = subject.replace(/\r?\n /g, '').replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
  const qp = raw.replace(/=\r?\n/g, '').replace(/(=[0-9A-F]{2})+/gi, (m) => Buffer.from(m.split('=').slice(1).map((h) => parseInt(h, 16))).toString('utf8'));
  return `${words}\n${qp}`;
}

describeEachDialect('reminders by e-mail (local SMTP sink)', (ctx) => {
  let sink: Awaited<ReturnType<typeof startSink>>;
  beforeAll(async () => {
    sink = await startSink();
    const u = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    await submittedReview(ctx.db, u.id, '2023-03-20', []);
    const c = await createCommittee(ctx.db, SYSTEM_ACTOR, { unitId: u.parent_id!, name: 'Ban Chỉ đạo huyện Bình Lục', periodFrom: '2020-10-01' });
    const d = await addMember(ctx.db, SYSTEM_ACTOR, c.id, { personName: 'Lê Thị Hoa', position: 'Trưởng phòng Nông nghiệp', role: 'standing', joinedOn: '2020-10-01', email: 'hoa@binhluc.invalid' });
    await addMember(ctx.db, SYSTEM_ACTOR, c.id, { personName: 'Người đã thôi', role: 'member', joinedOn: '2020-10-01', leftOn: '2022-01-01', email: 'old@binhluc.invalid' });
    const hoa = d.members.find((m) => m.personName === 'Lê Thị Hoa')!;
    const m = await createMeeting(ctx.db, SYSTEM_ACTOR, { committeeId: c.id, title: 'Làm việc với xã Tràng An', heldOn: '2023-03-20', unitIds: [u.id] });
    await addConclusion(ctx.db, SYSTEM_ACTOR, m.id, {
      unitId: u.id,
      text: 'Hoàn thiện hồ sơ trước 30/9/2023',
      tasks: [{ title: 'Thẩm định hồ sơ tiêu chí 13', assignee: { kind: 'person', memberId: hoa.id }, dueOn: '2023-09-30' }],
    });
  }, 120_000);
  afterAll(async () => sink.close());

  it('sends the due-soon reminder on a milestone day and the digest to current members, never twice', async () => {
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${sink.port}`, 'Đạt Chuẩn <no-reply@datchuan.invalid>');
    try {
      const r = await runReminders(ctx.db, { date: '2023-09-23', mailer });
      expect(r.emailsFailed).toBe(0);
      expect(r.emailsSent).toBe(2);
      expect(sink.mails.map((x) => x.to[0]).sort()).toEqual(['hoa@binhluc.invalid', 'hoa@binhluc.invalid']);
      const texts = sink.mails.map((x) => readable(x.raw));
      expect(texts.some((t) => t.includes('Nhiệm vụ sắp đến hạn: Thẩm định hồ sơ tiêu chí 13') && t.includes('Còn 7 ngày (hạn 30/09/2023)'))).toBe(true);
      expect(texts.some((t) => t.includes('Ban Chỉ đạo huyện Bình Lục: 0 quá hạn, 1 sắp đến hạn'))).toBe(true);
      const again = await runReminders(ctx.db, { date: '2023-09-23', mailer });
      expect(again.emailsSent).toBe(0);
      expect(sink.mails).toHaveLength(2);
      // Not a milestone day (5 days left): the reminder is logged for the inbox, no e-mail; the digest goes out.
      const between = await runReminders(ctx.db, { date: '2023-09-25', mailer });
      expect(between.emailsSent).toBe(1);
      const log = await listReminders(ctx.db.kysely, { runOn: '2023-09-25' });
      expect(log.map((l) => `${l.kind}/${l.channel}/${l.status}`).sort()).toEqual(['digest/email/sent', 'due_soon/inbox/recorded']);
    } finally {
      mailer.close();
    }
  });

  it('logs a failed delivery and carries on when the SMTP server is down', async () => {
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${await freePort()}/?connectionTimeout=2000`, 'x@datchuan.invalid');
    try {
      const r = await runReminders(ctx.db, { date: '2023-09-29', mailer });
      expect(r.emailsFailed).toBeGreaterThanOrEqual(1);
      const log = await listReminders(ctx.db.kysely, { runOn: '2023-09-29' });
      expect(log.some((l) => l.status === 'failed' && (l.detail ?? '').length > 0)).toBe(true);
    } finally {
      mailer.close();
    }
  });

  it('the scheduler runs once per Vietnamese day', async () => {
    const days = ['2023-10-01', '2023-10-01', '2023-10-02'];
    const reports: string[] = [];
    let i = 0;
    const stop = startReminderScheduler(ctx.db, null, (msg) => reports.push(msg), 0.0005, () => days[Math.min(i++, days.length - 1)]!);
    // Wait for the runs themselves, not a fixed time: a run on a loaded machine can take a while.
    for (let waited = 0; waited < 20_000 && !reports.some((r) => r.startsWith('reminders 2023-10-02')); waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    stop();
    expect(reports.filter((r) => r.startsWith('reminders 2023-10-01')).length).toBe(1);
    expect(reports.some((r) => r.startsWith('reminders 2023-10-02'))).toBe(true);
  });
});
