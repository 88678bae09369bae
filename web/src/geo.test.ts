/** The simplified maps in web/public/geo are what web/scripts/build-geo.mjs makes from assets/geo. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('web/public/geo is in sync with assets/geo (rerun node web/scripts/build-geo.mjs if not)', () => {
  const r = spawnSync(process.execPath, ['web/scripts/build-geo.mjs', '--check'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

it('keeps every unit with its code as feature id, small enough to load on demand', () => {
  const expected: Record<string, number> = { 'communes-37@2025-07.topo.json': 129, 'provinces-2025-07.topo.json': 34, 'provinces-2025-03.topo.json': 63 };
  for (const [file, n] of Object.entries(expected)) {
    const text = readFileSync(`web/public/geo/${file}`, 'utf8');
    expect(text.length).toBeLessThan(150 * 1024);
    const topo = JSON.parse(text) as { objects: { units: { geometries: Array<{ id: string; properties: { name: string } }> } } };
    const ids = topo.objects.units.geometries.map((g) => g.id);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
    for (const g of topo.objects.units.geometries) {
      expect(g.id).toMatch(/^\d{2,5}$/);
      expect(g.properties.name.length).toBeGreaterThan(2);
    }
  }
});
