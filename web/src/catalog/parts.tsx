/** Pieces of the criteria-set pages: status and provenance badges, targets in words, counts, diffs. */
import type { ReactNode } from 'react';
import { useT, type Lang } from '../i18n/index.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { provenanceLine } from '../../../src/domain/provenance.ts';
import type { ProvenanceCounts } from '../../../src/domain/provenance.ts';
import type { SetDiff } from '../api/criteria-authoring.ts';
import { CATALOG_STRINGS, useS, type StringKey } from './strings.ts';
import './catalog.css';

type S = ReturnType<typeof useS>;

export function StatusTag({ status }: { status: 'draft' | 'published' }) {
  const s = useS();
  return (
    <span className="ct-tag" data-status={status}>
      <span aria-hidden="true">{status === 'draft' ? '✎ ' : '✓ '}</span>
      {s(`status.${status}`)}
    </span>
  );
}

const PROV_MARK = { official: '✓', secondary: '◐', reconstructed: '?' } as const;

/** "chính thức" / "thứ cấp" / "tái dựng": symbol, word and colour. */
export function ProvenanceBadge({ level }: { level: 'official' | 'secondary' | 'reconstructed' }) {
  const s = useS();
  return (
    <span className="ct-tag" data-prov={level} data-testid="provenance-badge">
      <span aria-hidden="true">{PROV_MARK[level]} </span>
      {s(`prov.${level}`)}
    </span>
  );
}

/** "47 chỉ tiêu, 41 chính thức, 6 thứ cấp, 0 tái dựng" — wherever a set is named. */
export function CountsLine({ indicators, provenance }: { indicators: number | null | undefined; provenance: ProvenanceCounts | null | undefined }) {
  const { pick } = useT();
  const s = useS();
  if (indicators === null || indicators === undefined || !provenance) return <span className="ct-muted">{s('counts.unknown')}</span>;
  return <span data-testid="counts-line">{pick(provenanceLine(indicators, provenance))}</span>;
}

const REGION_NAMES: Record<string, { vi: string; en: string }> = {
  TDMNPB: { vi: 'Trung du và miền núi phía Bắc', en: 'Northern midlands and mountains' },
  DBSH: { vi: 'Đồng bằng sông Hồng', en: 'Red River Delta' },
  BTB: { vi: 'Bắc Trung Bộ', en: 'North Central' },
  DHNTB: { vi: 'Duyên hải Nam Trung Bộ', en: 'South Central Coast' },
  TN: { vi: 'Tây Nguyên', en: 'Central Highlands' },
  DNB: { vi: 'Đông Nam Bộ', en: 'Southeast' },
  DBSCL: { vi: 'Đồng bằng sông Cửu Long', en: 'Mekong Delta' },
};

const OP_TEXT: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=', is: '' };

function leafText(op: string, v: unknown, unit: string | null, lang: Lang, s: S): string {
  if (v === null || v === undefined) return s('target.unset');
  if (typeof v === 'boolean') return v ? s('target.yes') : s('target.no');
  const shown = typeof v === 'number' ? formatNumber(v, lang, { maxFraction: 3 }) : String(v);
  const o = OP_TEXT[op] ?? op;
  return `${o ? `${o} ` : ''}${shown}${unit && typeof v === 'number' ? ` ${unit}` : ''}`;
}

/**
 * A target in words, each table entry on its own: "≥ 90 %" or "Nhóm 1: ≥ 100; Nhóm 2: ≥ 100;
 * Nhóm 3: ≥ 90" or by region / year (nested tables nest).
 */
export function targetText(op: string, value: unknown, unit: string | null, lang: Lang, s: S): string {
  if (value === null || typeof value !== 'object') return leafText(op, value, unit, lang, s);
  const o = value as Record<string, unknown>;
  const part = (label: string, v: unknown) => `${label}: ${targetText(op, v, unit, lang, s)}`;
  if (o.byGroup && typeof o.byGroup === 'object') {
    return Object.entries(o.byGroup as Record<string, unknown>)
      .map(([g, v]) => part(s('target.group', { g }), v))
      .join('; ');
  }
  if (o.byRegion && typeof o.byRegion === 'object') {
    return Object.entries(o.byRegion as Record<string, unknown>)
      .map(([r, v]) => part(REGION_NAMES[r] ? (lang === 'vi' ? REGION_NAMES[r].vi : REGION_NAMES[r].en) : r, v))
      .join('; ');
  }
  if (o.byYear && typeof o.byYear === 'object') {
    return Object.entries(o.byYear as Record<string, unknown>)
      .map(([y, v]) => part(s('target.year', { y }), v))
      .join('; ');
  }
  if (o.byAttribute && typeof o.byAttribute === 'object') {
    const a = o.byAttribute as { attribute: string; bands: Array<{ min?: number; max?: number; value: unknown }> };
    return `${s('target.table', { attr: a.attribute })}: ${a.bands.map((b) => `${b.min ?? '…'}–${b.max ?? '…'}: ${targetText(op, b.value, unit, lang, s)}`).join('; ')}`;
  }
  return JSON.stringify(value);
}

export function TargetText({ op, value, unit }: { op: string; value: unknown; unit: string | null }) {
  const { lang } = useT();
  const s = useS();
  return <>{targetText(op, value, unit, lang, s)}</>;
}

/** A level code in words ("Nông thôn mới"), or "chưa đạt mức nào". */
export function useLevelName(): (level: string | null) => string {
  const { t } = useT();
  const s = useS();
  return (level) => (level ? t(`ntmLevel.${level}` as Parameters<typeof t>[0]) : s('level.none'));
}

function show(v: unknown, lang: Lang, s: S): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return formatNumber(v, lang, { maxFraction: 3 });
  if (typeof v === 'boolean') return v ? s('diff.yes') : s('diff.no');
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'op' in (v as object) && 'value' in (v as object)) {
    const target = v as { op: string; value: unknown };
    return targetText(target.op, target.value, null, lang, s);
  }
  if (Array.isArray(v)) return v.map((x) => show(x, lang, s)).join(', ');
  return JSON.stringify(v);
}

/** "ngưỡng ≥ 92,5 → ≥ 80; đã xác minh: có → không". */
function changesText(changes: Array<{ field: string; from: unknown; to: unknown }>, lang: Lang, s: S): string {
  return changes
    .map((f) => {
      const key = `field.${f.field}` as StringKey;
      const label = key in CATALOG_STRINGS.vi ? s(key) : f.field;
      return `${label}: ${show(f.from, lang, s)} → ${show(f.to, lang, s)}`;
    })
    .join('; ');
}

function DiffList({ title, items, testId }: { title: string; items: ReactNode[]; testId?: string }) {
  if (items.length === 0) return null;
  return (
    <div className="ct-diff-group" data-testid={testId}>
      <h4>{title}</h4>
      <ul>{items}</ul>
    </div>
  );
}

/** What one resolved set changes against another (`datchuan catalog diff`). */
export function DiffView({ diff, testId }: { diff: SetDiff; testId: string }) {
  const s = useS();
  const { lang } = useT();
  const empty =
    diff.criteria.added.length + diff.criteria.removed.length + diff.criteria.changed.length + diff.indicators.added.length + diff.indicators.removed.length + diff.indicators.changed.length + diff.thresholdOverrides.length === 0;
  return (
    <div data-testid={testId}>
      <p className="ct-muted">
        {s('diff.counts', { fc: diff.counts.from.criteria, fi: diff.counts.from.indicators, tc: diff.counts.to.criteria, ti: diff.counts.to.indicators })}
      </p>
      {empty && <p>{s('diff.none')}</p>}
      <DiffList title={s('diff.criteriaAdded')} items={diff.criteria.added.map((c) => <li key={c.code}>{`${c.code}. ${c.name}`}</li>)} />
      <DiffList title={s('diff.criteriaRemoved')} items={diff.criteria.removed.map((c) => <li key={c.code}>{`${c.code}. ${c.name}`}</li>)} />
      <DiffList
        title={s('diff.criteriaChanged')}
        items={diff.criteria.changed.map((c) => (
          <li key={c.code}>
            {`${c.code}. ${c.name}: `}
            {changesText(c.changes, lang, s)}
          </li>
        ))}
      />
      <DiffList
        title={s('diff.indicatorsAdded')}
        testId={`${testId}-added`}
        items={diff.indicators.added.map((i) => (
          <li key={i.code}>
            <strong>{i.code}</strong> {i.name} — <TargetText op={i.target.op} value={i.target.value} unit={null} />
          </li>
        ))}
      />
      <DiffList
        title={s('diff.indicatorsRemoved')}
        items={diff.indicators.removed.map((i) => (
          <li key={i.code}>
            <strong>{i.code}</strong> {i.name}
          </li>
        ))}
      />
      <DiffList
        title={s('diff.indicatorsChanged')}
        items={diff.indicators.changed.map((i) => (
          <li key={i.code}>
            <strong>{i.code}</strong> {i.name}: {changesText(i.changes, lang, s)}
          </li>
        ))}
      />
      <DiffList
        title={s('diff.thresholds')}
        testId={`${testId}-thresholds`}
        items={diff.thresholdOverrides.map((o) => (
          <li key={o.code}>
            <strong>{o.code}</strong> {o.name}: <TargetText op={o.from.op} value={o.from.value} unit={null} /> → <TargetText op={o.to.op} value={o.to.value} unit={null} />
          </li>
        ))}
      />
    </div>
  );
}

export function validityText(from: string, to: string | null, lang: Lang): string {
  return `${formatDate(from)} – ${to ? formatDate(to) : lang === 'vi' ? 'không thời hạn' : 'open-ended'}`;
}

export function kindName(s: S, kind: string): string {
  const key = `kind.${kind}` as StringKey;
  return s(key) || kind;
}

export function versionPath(setId: string, version: number): string {
  return `/bo-tieu-chi/${encodeURIComponent(setId)}/${version}`;
}
