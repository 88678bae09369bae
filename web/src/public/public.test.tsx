// @vitest-environment jsdom
/**
 * The public consultation page against a fake API: two separate consent boxes, never pre-ticked;
 * the honeypot hidden from people and assistive technology; comment text shown as text, never as
 * HTML; what is sent (one consent ticked) and the "after moderation" message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import ConsultationPage from './ConsultationPage.tsx';
import TransparencyPage from './TransparencyPage.tsx';
import { fakeApi, renderAt } from '../test-utils.tsx';
import type { PublicDossier, PublicRecognitionRow } from '../api/dossier.ts';

afterEach(() => cleanup());

const XSS = '<img src=x onerror=alert(1)>';

function dossier(): PublicDossier {
  return {
    dossierId: 5,
    unit: { id: '13504@2025-07', name: 'Xã Bình Lục', parentName: 'Tỉnh Ninh Bình' },
    level: 'ntm',
    levelName: { vi: 'Nông thôn mới', en: 'New rural' },
    stage: 'commune_consultation',
    stageName: { vi: 'Công khai, lấy ý kiến nhân dân', en: 'Public consultation of residents' },
    open: true,
    openedOn: '2026-11-20',
    closesOn: '2026-12-11',
    review: { date: '2026-11-15', criteriaMet: 18, criteriaTotal: 19, indicatorsMet: 70, indicatorsTotal: 75 },
    criteria: [
      { code: '1', name: 'Quy hoạch', status: 'met', indicatorsMet: 2, indicatorsTotal: 2 },
      { code: '5', name: 'Giáo dục', status: 'not_met', indicatorsMet: 1, indicatorsTotal: 3 },
    ],
    comments: [
      { id: 1, body: XSS, authorName: null, createdAt: '2026-11-21T03:00:00Z' },
      { id: 2, body: 'Đường liên thôn đã được bê tông hóa.', authorName: 'Nguyễn Văn A', createdAt: '2026-11-22T03:00:00Z' },
    ],
    form: {
      token: 'tok-123',
      minSeconds: 3,
      maxLength: 2000,
      notice: {
        version: '2026-11',
        controller: 'UBND xã Bình Lục',
        purposes: [
          { purpose: 'publish_name', text: { vi: 'Tôi đồng ý công bố họ tên cùng ý kiến.', en: 'Publish my name with my comment.' } },
          { purpose: 'contact_reply', text: { vi: 'Tôi đồng ý được liên hệ để trả lời.', en: 'Contact me for a reply.' } },
        ],
        retentionDays: 365,
      },
    },
  };
}

describe('ConsultationPage', () => {
  it('has two separate consent boxes, unticked, with the notice texts, and a hidden honeypot', async () => {
    fakeApi([{ url: /\/api\/v1\/public\/dossiers\/5$/, respond: () => ({ body: dossier() }) }]);
    renderAt(<ConsultationPage />, { url: '/cong-khai/ho-so/5', path: '/cong-khai/ho-so/:dossierId' });
    await screen.findByTestId('comment-form');
    const boxes = within(screen.getByTestId('consents')).getAllByRole('checkbox');
    expect(boxes).toHaveLength(2);
    for (const b of boxes) expect((b as HTMLInputElement).checked).toBe(false);
    const publish = screen.getByRole('checkbox', { name: 'Tôi đồng ý công bố họ tên cùng ý kiến.' }) as HTMLInputElement;
    const contact = screen.getByRole('checkbox', { name: 'Tôi đồng ý được liên hệ để trả lời.' }) as HTMLInputElement;
    expect(publish).not.toBe(contact);
    fireEvent.click(contact);
    expect(contact.checked).toBe(true);
    expect(publish.checked).toBe(false);
    // Honeypot: named website, out of the tab order, no autofill, hidden from assistive technology.
    const hp = document.querySelector('input[name="website"]') as HTMLInputElement;
    expect(hp).toBeTruthy();
    expect(hp.tabIndex).toBe(-1);
    expect(hp.getAttribute('autocomplete')).toBe('off');
    expect(hp.closest('[aria-hidden="true"]')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: /Để trống/ })).toBeNull();
  });

  it('shows comment text as text, never as HTML, and names only the authors the server names', async () => {
    fakeApi([{ url: /\/api\/v1\/public\/dossiers\/5$/, respond: () => ({ body: dossier() }) }]);
    renderAt(<ConsultationPage />, { url: '/cong-khai/ho-so/5', path: '/cong-khai/ho-so/:dossierId' });
    const list = await screen.findByTestId('published-comments');
    expect(list.querySelector('img')).toBeNull();
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect(within(list).getByText(XSS)).toBeTruthy();
    const authors = within(list).getAllByTestId('comment-author').map((a) => a.textContent);
    expect(authors).toEqual(['Người dân', 'Nguyễn Văn A']);
    // Result per criterion: word and colour class, not colour alone.
    const row = document.querySelector('tr[data-criterion="5"]')!;
    expect(row.textContent).toContain('Chưa đạt');
  });

  it('sends the body, the consents as ticked, the token and the empty honeypot, then says it awaits moderation', async () => {
    const calls = fakeApi([
      { url: /\/api\/v1\/public\/dossiers\/5$/, respond: () => ({ body: dossier() }) },
      { method: 'POST', url: /\/api\/v1\/public\/dossiers\/5\/comments$/, respond: () => ({ status: 202, body: { id: 9, status: 'pending', message: { vi: 'x', en: 'x' } } }) },
    ]);
    renderAt(<ConsultationPage />, { url: '/cong-khai/ho-so/5', path: '/cong-khai/ho-so/:dossierId' });
    await screen.findByTestId('comment-form');
    fireEvent.change(screen.getByRole('textbox', { name: 'Nội dung ý kiến' }), { target: { value: 'Đề nghị xem lại tiêu chí giáo dục của xã.' } });
    fireEvent.change(screen.getByRole('textbox', { name: /Họ và tên/ }), { target: { value: 'Trần Thị B' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Tôi đồng ý được liên hệ để trả lời.' }));
    fireEvent.click(screen.getByRole('button', { name: 'Gửi ý kiến' }));
    const sent = await screen.findByTestId('comment-sent');
    expect(sent.textContent).toContain('Ý kiến của bạn đã được gửi và sẽ được đăng sau khi kiểm duyệt');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({
      body: 'Đề nghị xem lại tiêu chí giáo dục của xã.',
      name: 'Trần Thị B',
      consents: { publish_name: false, contact_reply: true },
      token: 'tok-123',
      website: '',
    });
  });

  it('refuses a too short comment before sending', async () => {
    const calls = fakeApi([{ url: /\/api\/v1\/public\/dossiers\/5$/, respond: () => ({ body: dossier() }) }]);
    renderAt(<ConsultationPage />, { url: '/cong-khai/ho-so/5', path: '/cong-khai/ho-so/:dossierId' });
    await screen.findByTestId('comment-form');
    fireEvent.change(screen.getByRole('textbox', { name: 'Nội dung ý kiến' }), { target: { value: 'ngắn' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi ý kiến' }));
    expect((await screen.findByTestId('comment-error')).textContent).toContain('ít nhất 10 ký tự');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });
});

describe('TransparencyPage', () => {
  it('lists communes with level and decisions (dd/mm/yyyy, revoked date) and asks the server to search', async () => {
    const rows: PublicRecognitionRow[] = [
      {
        unitId: '13510@2025-03',
        name: 'Xã Tràng An',
        provinceId: '35@2025-03',
        provinceName: 'Hà Nam',
        currentLevel: 'ntm',
        currentLevelName: { vi: 'Nông thôn mới', en: 'New rural' },
        recognitions: [
          { level: 'ntm', levelName: { vi: 'Nông thôn mới', en: 'New rural' }, decisionNo: '1234/QĐ-UBND', decidedOn: '2023-12-20', revokedOn: null },
          { level: 'nang-cao', levelName: { vi: 'NTM nâng cao', en: 'Advanced' }, decisionNo: '99/QĐ-UBND', decidedOn: '2024-05-02', revokedOn: '2025-01-15' },
        ],
      },
    ];
    const calls = fakeApi([
      { url: /\/api\/v1\/public\/recognitions/, respond: () => ({ body: { items: rows } }) },
      { url: /\/api\/v1\/public\/consultations$/, respond: () => ({ body: { items: [] } }) },
    ]);
    renderAt(<TransparencyPage />, { url: '/cong-khai' });
    const table = await screen.findByTestId('public-recognitions');
    expect(table.textContent).toContain('1234/QĐ-UBND ngày 20/12/2023');
    expect(table.textContent).toContain('đã thu hồi ngày 15/01/2025');
    fireEvent.change(screen.getByTestId('public-search'), { target: { value: 'trang an' } });
    await waitFor(() => expect(calls.some((c) => c.url.includes('q=trang+an'))).toBe(true));
    // Only public endpoints.
    expect(calls.filter((c) => c.url.startsWith('/api/')).every((c) => c.url.startsWith('/api/v1/public/'))).toBe(true);
  });
});
