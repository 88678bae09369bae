import { useHealth } from '../api/hooks.ts';
import { useT } from '../i18n/index.tsx';

/** "DỮ LIỆU MINH HỌA / DEMO DATA" across the top whenever the server runs on demo data. */
export function DemoBanner() {
  const { t, lang } = useT();
  const health = useHealth();
  if (!health.data?.demo) return null;
  const other = lang === 'vi' ? 'DEMO DATA' : 'DỮ LIỆU MINH HỌA';
  return (
    <div className="demo-banner" role="note" aria-label={t('demo.banner')} data-testid="demo-banner">
      <strong>
        {t('demo.banner')} / <span lang={lang === 'vi' ? 'en' : 'vi'}>{other}</span>
      </strong>{' '}
      <span className="demo-banner-detail">{t('demo.bannerDetail')}</span>
    </div>
  );
}
