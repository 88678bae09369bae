/**
 * Danh mục đơn vị — the administrative units valid on the chosen date as a collapsible tree
 * (province → district before 7/2025 → commune), each a link keeping the date. Nested lists with
 * disclosure buttons (keyboard and screen readers for free); the path to the unit on screen opens
 * by itself. A drawer from the left (full width on a phone); lazy.
 */
import { useMemo, useState } from 'react';
import { Drawer } from 'antd';
import { Link, useMatch } from 'react-router';
import { useUnit, useUnitTree } from '../api/hooks.ts';
import type { UnitTreeNode } from '../api/types.ts';
import { useDateParam, useUnitLink } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { foldVi } from './CriteriaMatrix.tsx';
import { PageLoading } from './AppLayout.tsx';

function Node({ node, open, toggle, current, link }: { node: UnitTreeNode; open: Set<string>; toggle: (id: string) => void; current: string | undefined; link: (id: string) => string }) {
  const { t } = useT();
  const isOpen = open.has(node.id);
  const kids = node.children ?? [];
  return (
    <li>
      <div className="tree-row">
        {kids.length > 0 ? (
          <button type="button" className="tree-toggle" aria-expanded={isOpen} onClick={() => toggle(node.id)} aria-label={`${isOpen ? t('tree.collapse') : t('tree.expand')} ${node.type} ${node.name}`}>
            <span aria-hidden="true">{isOpen ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="tree-leaf" aria-hidden="true" />
        )}
        <Link to={link(node.id)} aria-current={current === node.id ? 'page' : undefined} className={current === node.id ? 'tree-current' : undefined}>
          {node.type} {node.name}
        </Link>
        {kids.length > 0 && <span className="muted tree-count">({formatNumber(kids.length, 'vi')})</span>}
      </div>
      {isOpen && kids.length > 0 && (
        <ul>
          {kids.map((k) => (
            <Node key={k.id} node={k} open={open} toggle={toggle} current={current} link={link} />
          ))}
        </ul>
      )}
    </li>
  );
}

export default function UnitTreeDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  const { date } = useDateParam();
  const link = useUnitLink();
  // The drawer lives in the layout: read the unit from the URL.
  const unitId = useMatch('/units/:unitId')?.params.unitId;
  const unit = useUnit(unitId);
  const tree = useUnitTree(date);
  const [filter, setFilter] = useState('');
  const [opened, setOpened] = useState<Set<string>>(() => new Set());
  const [closed, setClosed] = useState<Set<string>>(() => new Set());
  const path = useMemo(() => (unit.data ? [...unit.data.parents.map((p) => p.id), unit.data.id] : []), [unit.data]);
  const effectiveOpen = useMemo(() => new Set([...opened, ...path.filter((id) => !closed.has(id))]), [opened, closed, path]);
  const toggle = (id: string) => {
    const isOpen = effectiveOpen.has(id);
    setOpened((prev) => {
      const next = new Set(prev);
      if (isOpen) next.delete(id);
      else next.add(id);
      return next;
    });
    setClosed((prev) => {
      const next = new Set(prev);
      if (isOpen) next.add(id);
      else next.delete(id);
      return next;
    });
  };
  const provinces = useMemo(() => {
    const all = tree.data?.provinces ?? [];
    const f = foldVi(filter);
    return f ? all.filter((p) => foldVi(p.name).includes(f)) : all;
  }, [tree.data, filter]);
  const narrow = typeof window !== 'undefined' && window.innerWidth < 640;
  return (
    <Drawer open onClose={onClose} placement="left" size={narrow ? '100%' : 420} title={t('tree.title', { date: formatDate(date) })} closable={{ 'aria-label': t('app.close') }} rootClassName="unit-tree-drawer">
      <nav aria-label={t('tree.title', { date: formatDate(date) })} data-testid="unit-tree">
        <div className="field">
          <label htmlFor="tree-filter">{t('tree.filter')}</label>
          <input id="tree-filter" className="text-input" value={filter} onChange={(e) => setFilter(e.target.value)} autoComplete="off" />
        </div>
        {tree.isPending && <PageLoading />}
        {tree.data && (
          <>
            <p className="muted">
              {t('tree.counts', { p: tree.data.counts.province, d: tree.data.counts.district, c: tree.data.counts.commune })}
            </p>
            <ul className="unit-tree">
              {provinces.map((p) => (
                <Node key={p.id} node={p} open={effectiveOpen} toggle={toggle} current={unitId} link={link} />
              ))}
            </ul>
          </>
        )}
      </nav>
    </Drawer>
  );
}
