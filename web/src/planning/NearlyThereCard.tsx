/**
 * The overview's card "Xã gần đạt chuẩn": the communes at most two criteria from their level with
 * nothing pending (the server's list and sentences), each linking to its decision-support view, and
 * a link to the unit's. Its own lazy chunk (the overview is the first view); nothing when the reader
 * may not read plans or no commune is nearly there.
 */
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import type { UnitDetail } from '../api/types.ts';
import { useCan } from '../auth/useCan.ts';
import { useT } from '../i18n/index.tsx';
// Types only; the query is written here (same key as api.ts's useGaps) so this chunk needs no other.
import type { GapAnalysis } from './api.ts';

function path(unitId: string, date: string | null): string {
  return `/ho-tro-quyet-dinh/${encodeURIComponent(unitId).replace(/%40/g, '@')}${date ? `?date=${date}` : ''}`;
}

export default function NearlyThereCard({ unit, date }: { unit: UnitDetail; date: string }) {
  const { pick } = useT();
  // A date named in the URL is kept in the links (none: today).
  const explicit = new URLSearchParams(window.location.search).has('date');
  const unitId = unit.id;
  const unitName = unit.fullName;
  const can = useCan();
  const may = can('plan.read');
  const q = useQuery({ queryKey: ['plans', 'gaps', unitId, date], queryFn: ({ signal }) => apiGet<GapAnalysis>('/plans/gaps', { unitId, date }, signal), enabled: may });
  if (!may || !q.data) return null;
  const near = q.data.communes.filter((c) => q.data.nearlyThere.includes(c.id));
  const keep = explicit ? date : null;
  return (
    <section className="notice notice-info" aria-labelledby="nearly-h" data-testid="card-nearly-there">
      <h2 id="nearly-h" className="section-title-sm">{pick({ vi: 'Xã gần đạt chuẩn', en: 'Communes nearly there' })}</h2>
      <p style={{ margin: 0 }}>{pick(q.data.nearlyThereLine)}</p>
      {near.length > 0 && (
        <ul style={{ margin: '4px 0' }}>
          {near.map((c) => (
            <li key={c.id}>
              <Link to={path(c.id, keep)}>{c.name}</Link>: {pick(c.sentence).replace(`${c.name}: `, '')}
            </li>
          ))}
        </ul>
      )}
      <p style={{ margin: 0 }}>
        <Link to={path(unitId, keep)} data-testid="decision-support-link">
          {pick({ vi: `Hỗ trợ quyết định: ${unitName} — khoảng cách đến chuẩn, thử phân bổ kinh phí`, en: `Decision support: ${unitName} — gaps to the standard, budget what-if` })}
        </Link>
      </p>
    </section>
  );
}
