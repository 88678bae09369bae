/**
 * The offline boundaries (`/geo/*.topo.json`, simplified at build time) and the map series both
 * choropleths — the overview's and the public portal's — draw them with.
 */
import { useQuery } from '@tanstack/react-query';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import { registerMap } from './EChart.tsx';

export interface Region {
  code: string;
  name: string;
}

/** Fetch a boundary file, register it with ECharts under its file name, and list its regions. */
async function loadGeo(file: string): Promise<Region[]> {
  const res = await fetch(`/geo/${file}`);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const topo = (await res.json()) as Topology<{ units: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.units);
  for (const f of fc.features) f.properties = { ...f.properties, code: String(f.id) } as typeof f.properties;
  registerMap(file, fc);
  return fc.features.map((f) => ({ code: String(f.id), name: f.properties.name }));
}

/** The regions of a boundary file (null: none wanted); one download per file and visit. */
export function useGeo(file: string | null) {
  return useQuery({ queryKey: ['geo', file], queryFn: () => loadGeo(file!), enabled: !!file, staleTime: Infinity, retry: 1 });
}

/** A map series over a registered file, regions keyed by unit code; add `label` and `data`. */
export function choroplethSeries(file: string) {
  return {
    type: 'map',
    map: file,
    nameProperty: 'code',
    roam: false,
    aspectScale: 1,
    layoutCenter: ['50%', '50%'],
    layoutSize: '98%',
    selectedMode: false,
    itemStyle: { borderColor: '#555', borderWidth: 0.6, areaColor: '#ffffff' },
    emphasis: { itemStyle: { areaColor: '#ffd54f' }, label: { show: true, color: '#000' } },
  } as const;
}
