/**
 * /cong-khai — the transparency portal, open to anyone: the communes with their current level and
 * recognition decisions (search without accents — the server folds them; province filter), a map
 * of the current level (lazy, ECharts) and the dossiers open for residents' comments.
 */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { usePublicConsultations, usePublicRecognitions, type PublicRecognitionRow } from '../api/dossier.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { formatDate, todayIso } from '../format.ts';
import { useT } from '../i18n/index.tsx';
import { usePS } from './strings.ts';
import { LEVEL_STYLE } from './levels.ts';
import './public.css';

const PublicMap = lazy(() => import('./PublicMap.tsx'));

export function LevelTag({ row }: { row: PublicRecognitionRow }) {
  const s = usePS();
  const { pick } = useT();
  const st = LEVEL_STYLE[row.currentLevel ?? ''] ?? LEVEL_STYLE['']!;
  return (
    <span className="pub-level" data-level={row.currentLevel ?? 'none'} style={{ background: st.color, color: st.text }}>
      {row.currentLevel ? pick(row.currentLevelName) || row.currentLevel : s('portal.noLevel')}
    </span>
  );
}

function Consultations() {
  const s = usePS();
  const { pick } = useT();
  const q = usePublicConsultations();
  return (
    <section className="pub-box" aria-labelledby="consult-h" data-testid="public-consultations">
      <h2 id="consult-h" style={{ marginTop: 0 }}>
        {s('portal.consultations')}
      </h2>
      {q.isPending && <PageLoading />}
      {q.isError && <ApiErrorView error={q.error} date={todayIso()} onRetry={() => void q.refetch()} />}
      {q.data && q.data.length === 0 && <p>{s('portal.noConsultations')}</p>}
      {q.data && q.data.length > 0 && (
        <ul className="pub-consultations">
          {q.data.map((c) => (
            <li key={c.dossierId} data-dossier-id={c.dossierId}>
              <p style={{ margin: 0 }}>{s('portal.consultation', { unit: c.unitName, province: c.provinceName, level: pick(c.levelName), stage: pick(c.stageName) })}</p>
              <p style={{ margin: '2px 0' }} className="muted">
                {formatDate(c.openedOn)}
                {c.closesOn ? ` — ${s('portal.closesOn', { date: formatDate(c.closesOn) })}` : ''}
              </p>
              <Link to={`/cong-khai/ho-so/${c.dossierId}`}>
                {s('portal.giveComment')}
                <span className="sr-only">: {c.unitName}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function TransparencyPage() {
  const s = usePS();
  const { pick } = useT();
  useDocumentTitle(s('portal.title'));
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [provinceId, setProvinceId] = useState('');
  // Ask the server a moment after typing stops (it folds accents: "trang an" finds Tràng An).
  useEffect(() => {
    const h = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(h);
  }, [text]);
  const all = usePublicRecognitions({});
  const filtered = usePublicRecognitions({ ...(provinceId ? { provinceId } : {}), ...(q ? { q } : {}) });
  const provinces = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of all.data ?? []) m.set(r.provinceId, r.provinceName);
    return [...m].sort((a, b) => a[1].localeCompare(b[1], 'vi'));
  }, [all.data]);
  const rows = filtered.data ?? [];
  return (
    <div className="pub-page" data-testid="transparency-page">
      <h1>{s('portal.title')}</h1>
      <p className="muted">{s('portal.intro')}</p>
      <div className="pub-cols">
        <div>
          <form className="pub-filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <label>
              {s('portal.search')}
              <input type="search" value={text} placeholder={s('portal.searchPlaceholder')} onChange={(e) => setText(e.target.value)} data-testid="public-search" />
            </label>
            <label>
              {s('portal.province')}
              <select value={provinceId} onChange={(e) => setProvinceId(e.target.value)} data-testid="public-province">
                <option value="">{s('portal.allProvinces')}</option>
                {provinces.map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            {filtered.data && (
              <span className="muted" role="status">
                {s('portal.count', { n: rows.length })}
              </span>
            )}
          </form>
          {filtered.isPending && <PageLoading />}
          {filtered.isError && <ApiErrorView error={filtered.error} date={todayIso()} onRetry={() => void filtered.refetch()} />}
          {filtered.data && rows.length === 0 && <p>{s('portal.empty')}</p>}
          {rows.length > 0 && (
            <p className="muted" data-testid="merger-rule">
              {s('portal.mergerRule')}
            </p>
          )}
          {rows.length > 0 && (
            <div style={{ overflowX: 'auto' }}>
              <table className="pub-table" data-testid="public-recognitions">
                <caption className="sr-only">{s('portal.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s('portal.col.commune')}</th>
                    <th scope="col">{s('portal.col.province')}</th>
                    <th scope="col">{s('portal.col.level')}</th>
                    <th scope="col">{s('portal.col.decisions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.unitId} data-unit-id={r.unitId}>
                      <th scope="row">{r.name}</th>
                      <td>{r.provinceName}</td>
                      <td>
                        <LevelTag row={r} />
                      </td>
                      <td>
                        {r.recognitions.length > 0 && (
                          <ul>
                            {r.recognitions.map((x) => (
                              <li key={`${x.level}-${x.decisionNo}`} data-revoked={!!x.revokedOn}>
                                {s('portal.decision', { level: pick(x.levelName), no: x.decisionNo, date: formatDate(x.decidedOn) })}
                                {x.revokedOn && <strong> — {s('portal.revoked', { date: formatDate(x.revokedOn) })}</strong>}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <div>
          <Consultations />
          <section aria-labelledby="map-h">
            <h2 id="map-h">{s('portal.map')}</h2>
            {all.data && (
              <Suspense fallback={<div className="chart-placeholder">{s('portal.loadingMap')}</div>}>
                <PublicMap rows={all.data} />
              </Suspense>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
