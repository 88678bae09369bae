// @vitest-environment jsdom
/** Evidence and meeting links: opened without handing over this page, never a script link. */
import { afterEach, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { DocLink } from './DocLink.tsx';
import { EvidenceList } from '../review/EvidenceList.tsx';
import { I18nProvider } from '../i18n/index.tsx';

afterEach(() => cleanup());

it('links http(s) evidence with rel="noopener noreferrer" in a new tab, and shows a javascript: link as plain text', () => {
  render(
    <I18nProvider>
      <EvidenceList
        code="1.1"
        disabled
        uploading={false}
        onAttach={() => {}}
        onDetach={() => {}}
        evidence={[
          { title: 'Quyết định 123', url: 'https://ninhbinh.gov.vn/qd-123.pdf' },
          { title: 'Ảnh hiện trạng', url: '/api/v1/attachments/7' },
          { title: 'Bấm vào đây', url: 'javascript:alert(document.cookie)' },
        ]}
      />
    </I18nProvider>,
  );
  for (const name of ['Quyết định 123', 'Ảnh hiện trạng']) {
    const a = screen.getByRole('link', { name });
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    expect(a.getAttribute('target')).toBe('_blank');
  }
  expect(screen.queryByRole('link', { name: 'Bấm vào đây' })).toBeNull();
  expect(screen.getByText('Bấm vào đây')).toBeTruthy();
});

it('shows a title without a link as text', () => {
  render(<DocLink title="Biên bản" url={null} />);
  expect(screen.queryByRole('link')).toBeNull();
  expect(screen.getByText('Biên bản')).toBeTruthy();
});
