/**
 * Chi phí mặc định — the province's default cost and time per indicator of a criteria set (used
 * when a commune's plan has no action for it). The province office edits a row in place; the write
 * states the version it read, and a 409 says so in Vietnamese, reloads the table and keeps what the
 * user typed (Lưu again writes over the new version knowingly).
 */
import { Fragment, useMemo, useState } from 'react';
import { Button, Input } from 'antd';
import { parseNumberText } from '../../../src/domain/numbers.ts';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../components/ApiErrorView.tsx';
import { useT } from '../i18n/index.tsx';
import { useMe } from '../auth/session.ts';
import { useCan } from '../auth/useCan.ts';
import { formatDateTime, formatNumber, todayIso, withinPeriod } from '../format.ts';
import { useCostDefaults, useCostDefaultWrite, type CostDefaultView } from './api.ts';
import { millions } from './format.ts';
import { dongOfMillions } from './whatif.ts';
import { useS } from './strings.ts';
import { Toggle } from './Toggle.tsx';

export interface SetChoice {
  id: string;
  name: string;
  communes: number;
  /** Indicator codes some commune of the unit still needs. */
  short: ReadonlySet<string>;
}

/**
 * The table is the province's whose defaults apply (the answer's `province`): for a unit of a
 * province merged on 1/7/2025, the province it went into — so editable by that province's office,
 * whatever the unit's own (former) province.
 */
export function CostDefaultsSection({ unitId, sets }: { unitId: string; sets: SetChoice[] }) {
  const s = useS();
  const { lang } = useT();
  const can = useCan();
  const me = useMe();
  const [setId, setSetId] = useState<string | null>(null);
  const set = sets.find((x) => x.id === setId) ?? sets[0] ?? null;
  const q = useCostDefaults(unitId, set?.id ?? null);
  const province = q.data?.province ?? null;
  const editable = mayEditDefaults(can('plan.defaults.write'), me.data?.user?.grants ?? [], province?.id ?? null, todayIso());
  const provinceName = province?.name ?? '';
  const [onlyShort, setOnlyShort] = useState(true);
  const rows = useMemo(() => (q.data?.items ?? []).filter((i) => !onlyShort || !set || set.short.has(i.code) || i.version !== null), [q.data, onlyShort, set]);
  return (
    <section aria-labelledby="ds-def-h" data-testid="cost-defaults" data-set-id={q.data?.set.id ?? ''}>
      <h2 id="ds-def-h" className="ds-h2">
        {s('def.title')}
      </h2>
      <p className="ds-help-block">{s('def.intro')}</p>
      {province && !editable && (
        <p className="notice notice-info" data-testid="defaults-read-only">
          {s('def.readOnly', { province: provinceName })}
        </p>
      )}
      {sets.length > 1 && (
        <Toggle legend={s('def.set')} name="ds-def-set" value={set?.id ?? ''} onChange={setSetId} options={sets.map((x) => ({ value: x.id, label: x.name }))} />
      )}
      {q.isError && <p className="ds-field-error" role="alert">{errorMessage(q.error, lang)}</p>}
      {q.data && (
        <>
          <p className="ds-sub" data-testid="defaults-filled">
            {s('def.of', { province: provinceName, set: q.data.set.name, filled: q.data.filled, total: q.data.total })}
          </p>
          <label className="ds-check">
            <input type="checkbox" checked={onlyShort} onChange={(e) => setOnlyShort(e.target.checked)} /> {s('def.onlyShort')}
          </label>
          <div className="ds-scroll">
            <table className="ds-table ds-defaults">
              <thead>
                <tr>
                  <th scope="col">{s('col.indicator')}</th>
                  <th scope="col">{s('col.defCost')}</th>
                  <th scope="col">{s('col.days')}</th>
                  <th scope="col">{s('col.note')}</th>
                  <th scope="col">{s('col.setBy')}</th>
                  {editable && <th scope="col">{s('col.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <Fragment key={r.code}>
                    {(i === 0 || rows[i - 1]!.criterion !== r.criterion) && (
                      <tr className="ds-group">
                        <th colSpan={editable ? 6 : 5} scope="colgroup">
                          {s('col.criterion')} {r.criterion}: {r.criterionName}
                        </th>
                      </tr>
                    )}
                    <DefaultRow row={r} provinceId={q.data.province.id} setId={q.data.set.id} editable={editable} />
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** A province office's grant in force today covering the province whose defaults these are. */
export function mayEditDefaults(mayWrite: boolean, grants: ReadonlyArray<{ role: string; unitId: string | null; validFrom: string | null; validTo: string | null }>, provinceId: string | null, today: string): boolean {
  return mayWrite && provinceId !== null && grants.some((g) => g.role === 'province_office' && (g.unitId === null || g.unitId === provinceId) && withinPeriod(today, g.validFrom, g.validTo));
}

/** Writes name the province whose defaults these are (the answer's), not the unit the page is on. */
function DefaultRow({ row, provinceId, setId, editable }: { row: CostDefaultView; provinceId: string; setId: string; editable: boolean }) {
  const s = useS();
  const { lang } = useT();
  const write = useCostDefaultWrite();
  const [edit, setEdit] = useState<{ cost: string; days: string; note: string; version: number | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const start = () => {
    setSaved(false);
    setProblem(null);
    setEdit({ cost: row.cost === null ? '' : millions(row.cost, lang), days: row.days === null ? '' : String(row.days), note: row.note ?? '', version: row.version });
  };
  const submit = () => {
    if (!edit) return;
    const costText = edit.cost.trim();
    const cost = costText === '' ? null : dongOfMillions(parseNumberText(costText));
    if (costText !== '' && cost === null) return setProblem(s('def.costInvalid'));
    const daysText = edit.days.trim();
    const days = daysText === '' ? null : Number(daysText);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) return setProblem(s('def.daysInvalid'));
    setProblem(null);
    write.mutate(
      { method: 'PUT', body: { unitId: provinceId, setId, code: row.code, cost, days, ...(edit.note.trim() ? { note: edit.note.trim() } : {}), ...(edit.version !== null ? { version: edit.version } : {}) } },
      {
        onSuccess: () => {
          setEdit(null);
          setSaved(true);
        },
        onError: (e) => {
          if (e instanceof ApiError && e.code === 'version_conflict') {
            // Keep what was typed; the next save states the version now stored (details.currentVersion).
            const current = typeof e.details?.currentVersion === 'number' ? e.details.currentVersion : null;
            setEdit((x) => (x ? { ...x, version: current } : x));
            setProblem(`${e.messageVi && lang === 'vi' ? e.messageVi : e.message} ${s('def.conflict')}`);
          } else setProblem(errorMessage(e, lang));
        },
      },
    );
  };
  const remove = () => {
    if (row.version === null || !window.confirm(s('def.deleteConfirm', { code: row.code }))) return;
    write.mutate(
      { method: 'DELETE', params: { unitId: provinceId, setId, code: row.code, version: row.version } },
      {
        onSuccess: () => setEdit(null),
        onError: (e) => setProblem(errorMessage(e, lang)),
      },
    );
  };
  const label = `${row.code} ${row.name}`;
  return (
    <tr data-indicator={row.code} data-version={row.version ?? ''}>
      <th scope="row">
        <span className="ds-code">{row.code}</span> {row.name}
        {row.unit && <span className="ds-sub"> ({row.unit})</span>}
        {problem && (
          <span className="ds-field-error ds-row-error" role="alert" data-testid={`default-error-${row.code}`}>
            {problem}
          </span>
        )}
      </th>
      {edit ? (
        <>
          <td>
            <Input aria-label={`${s('col.defCost')} — ${label}`} inputMode="decimal" value={edit.cost} onChange={(e) => setEdit({ ...edit, cost: e.target.value })} className="ds-num-input" />
          </td>
          <td>
            <Input aria-label={`${s('col.days')} — ${label}`} inputMode="numeric" value={edit.days} onChange={(e) => setEdit({ ...edit, days: e.target.value })} className="ds-num-input" />
          </td>
          <td>
            <Input aria-label={`${s('col.note')} — ${label}`} value={edit.note} maxLength={500} onChange={(e) => setEdit({ ...edit, note: e.target.value })} />
          </td>
        </>
      ) : (
        <>
          <td className="num">{row.cost === null ? <span className="muted">{s('def.unset')}</span> : millions(row.cost, lang)}</td>
          <td className="num">{row.days === null ? <span className="muted">{s('def.unset')}</span> : formatNumber(row.days, lang)}</td>
          <td>{row.note}</td>
        </>
      )}
      <td className="ds-setby">{row.setBy ? `${row.setBy}, ${formatDateTime(row.setAt)}` : ''}</td>
      {editable && (
        <td className="ds-row-actions">
          {edit ? (
            <>
              <Button size="small" type="primary" onClick={submit} loading={write.isPending} aria-label={`${s('def.save')} ${row.code}`}>
                {s('def.save')}
              </Button>
              <Button size="small" onClick={() => (setEdit(null), setProblem(null))}>
                {s('def.cancel')}
              </Button>
            </>
          ) : (
            <>
              <Button size="small" onClick={start} aria-label={s('def.editLabel', { code: row.code })}>
                {s('def.edit')}
              </Button>
              {row.version !== null && (
                <Button size="small" danger onClick={remove} aria-label={`${s('def.delete')} ${row.code}`}>
                  {s('def.delete')}
                </Button>
              )}
              {saved && (
                <span className="ds-sub" role="status">
                  {s('def.saved')}
                </span>
              )}
            </>
          )}
        </td>
      )}
    </tr>
  );
}
