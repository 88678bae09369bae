/** "Danh mục" in the header: opens the unit tree (its drawer and antd's Drawer load on first use). */
import { lazy, Suspense, useState } from 'react';
import { useT } from '../i18n/index.tsx';

const UnitTreeDrawer = lazy(() => import('./UnitTreeDrawer.tsx'));

export function UnitTreeButton() {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn tree-button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(true)} data-testid="tree-button">
        <span aria-hidden="true">☰ </span>
        <span className="tree-button-text">{t('tree.open')}</span>
      </button>
      {open && (
        <Suspense fallback={null}>
          <UnitTreeDrawer onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
