/**
 * The layer rules of docs/architecture.md, read from the imports of every source file. A rule
 * broken anywhere fails this test with the file, the line and the rule; the second block shows
 * that each rule does catch the leak it is written for (a checker that never fires proves nothing).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Layers from the bottom up; a layer may import only itself and the layers before it. */
const LAYERS = ['domain', 'catalog', 'db', 'files', 'platform', 'config', 'services', 'seed', 'http', 'cli'] as const;
type Layer = (typeof LAYERS)[number] | 'test-support' | 'web' | 'other';

interface SourceFile {
  /** Path from the repository root, with forward slashes. */
  file: string;
  text: string;
}

interface ImportRef {
  line: number;
  /** Resolved path from the repository root for relative imports, else the package name. */
  target: string;
  typeOnly: boolean;
}

export interface Violation {
  file: string;
  line: number;
  rule: string;
}

function layerOf(file: string): Layer {
  if (file.startsWith('web/')) return 'web';
  if (file === 'src/config.ts') return 'config';
  const m = /^src\/([^/]+)\//.exec(file);
  if (!m) return 'other';
  const top = m[1]!;
  if (top === 'test-support') return 'test-support';
  return (LAYERS as readonly string[]).includes(top) ? (top as Layer) : 'other';
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file) || file.startsWith('src/test-support/');
const isRepository = (target: string) => /^src\/db\/[^/]+\.repository\.ts$/.test(target);

/** Every import and re-export of a file, with its line and whether only types come through it. */
function importsOf(f: SourceFile): ImportRef[] {
  const out: ImportRef[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of f.text.matchAll(re)) {
    const spec = m[4] ?? m[5]!;
    const clause = m[3] ?? '';
    const braces = /^\{([^}]*)\}$/.exec(clause.trim());
    const allTypeSpecifiers = braces ? braces[1]!.split(',').filter((s) => s.trim()).every((s) => s.trim().startsWith('type ')) : false;
    const typeOnly = m[5] === undefined && (m[2] !== undefined || allTypeSpecifiers);
    const line = f.text.slice(0, m.index + (m[0].startsWith('\n') ? 1 : 0)).split('\n').length;
    const target = spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(f.file), spec)) : spec;
    out.push({ line, target, typeOnly });
  }
  return out;
}

const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql`|\bsql\.(raw|ref|table|id|lit|join)\(/;

/** The rules, over a set of files. Pure: the tests below feed it the repository and made-up leaks. */
export function findViolations(files: readonly SourceFile[]): Violation[] {
  const v: Violation[] = [];
  const cliDatabaseOpeners: Array<{ file: string; line: number }> = [];
  for (const f of files) {
    const layer = layerOf(f.file);
    const test = isTest(f.file);
    for (const imp of importsOf(f)) {
      const to = imp.target.startsWith('src/') || imp.target.startsWith('web/') ? layerOf(imp.target) : null;
      const at = { file: f.file, line: imp.line };
      if (layer === 'web') {
        if (imp.target.startsWith('src/') && !imp.typeOnly && to !== 'domain') v.push({ ...at, rule: 'web/ imports the server only as types (and the pure domain)' });
        continue;
      }
      if (test || layer === 'other' || layer === 'test-support') continue;
      if (to && to !== 'web' && to !== 'other' && to !== 'test-support') {
        const below = LAYERS.indexOf(to as (typeof LAYERS)[number]) <= LAYERS.indexOf(layer as (typeof LAYERS)[number]);
        if (!below) v.push({ ...at, rule: `${layer} may not import ${to} (layers: ${LAYERS.join(' < ')})` });
      }
      if (to === 'test-support') v.push({ ...at, rule: 'production code may not import test support' });
      if ((layer === 'http' || layer === 'cli') && isRepository(imp.target)) v.push({ ...at, rule: `${layer} never imports repositories: call a service` });
      if (layer === 'cli' && imp.target === 'src/db/database.ts' && !imp.typeOnly) cliDatabaseOpeners.push(at);
      if (layer !== 'db' && imp.target === 'kysely' && !imp.typeOnly) v.push({ ...at, rule: 'Kysely queries only in src/db (value import of kysely)' });
      if (layer === 'domain' && (imp.target.startsWith('node:') || ['kysely', 'pg', 'better-sqlite3', 'fastify', 'exceljs', 'docx'].includes(imp.target))) {
        v.push({ ...at, rule: 'the domain does no I/O' });
      }
      if (layer === 'files' && ['node:fs', 'node:fs/promises', 'kysely', 'pg', 'better-sqlite3'].includes(imp.target)) v.push({ ...at, rule: 'src/files is pure: no files or database' });
    }
    if (test || layer === 'other' || layer === 'test-support' || layer === 'web') continue;
    const lines = f.text.split('\n');
    lines.forEach((text, i) => {
      if (layer !== 'db' && QUERY.test(text)) v.push({ file: f.file, line: i + 1, rule: 'Kysely queries only in src/db' });
      if (f.file !== 'src/config.ts' && /\bprocess\.env\b/.test(text)) v.push({ file: f.file, line: i + 1, rule: 'process.env is read only in src/config.ts' });
    });
  }
  if (cliDatabaseOpeners.length > 1) {
    for (const at of cliDatabaseOpeners) v.push({ ...at, rule: 'one composition root opens the database for the CLI commands' });
  }
  return v;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(path.join(ROOT, dir))) {
    if (name === 'node_modules' || name === 'dist') continue;
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel, out);
    else if (/\.tsx?$/.test(name)) out.push(rel);
  }
  return out;
}

describe('architecture', () => {
  it('every source file keeps the layer rules', () => {
    const files = [...walk('src'), ...walk('web/src')].map((file) => ({ file, text: readFileSync(path.join(ROOT, file), 'utf8') }));
    expect(files.length).toBeGreaterThan(200);
    const found = findViolations(files).map((x) => `${x.file}:${x.line} — ${x.rule}`);
    expect(found).toEqual([]);
  });
});

describe('architecture rules catch the leaks they are written for', () => {
  const cases: Array<[string, SourceFile[], RegExp]> = [
    ['an inline query in a service', [{ file: 'src/services/feed.service.ts', text: "const rows = await db.kysely.selectFrom('review').selectAll().execute();" }], /queries only in src\/db/],
    ['raw SQL in the demo seed', [{ file: 'src/seed/demo-dossier.ts', text: "import { sql } from 'kysely';\nawait sql`delete from x`.execute(db);" }], /queries only in src\/db/],
    ['a route calling a repository', [{ file: 'src/http/routes/auth.routes.ts', text: "import { listSessionsOfUser } from '../../db/session.repository.ts';" }], /never imports repositories/],
    ['a CLI command calling a repository', [{ file: 'src/cli/commands/units.ts', text: "import { findUnits } from '../../db/unit.repository.ts';" }], /never imports repositories/],
    ['db importing Actor from services', [{ file: 'src/db/audit.repository.ts', text: "import type { Actor } from '../services/actor.ts';" }], /db may not import services/],
    ['files importing services (reports ↔ services)', [{ file: 'src/files/reports/builders/matrix.report.ts', text: "import type { UnitSummary } from '../../../services/summary.service.ts';" }], /files may not import services/],
    ['the domain importing the database', [{ file: 'src/domain/evaluation.ts', text: "import { findReview } from '../db/review.repository.ts';" }], /domain may not import db/],
    ['the catalog importing services', [{ file: 'src/catalog/catalog.ts', text: "import { getUnit } from '../services/unit.service.ts';" }], /catalog may not import services/],
    ['the web app importing a service value', [{ file: 'web/src/api/x.ts', text: "import { getUnit } from '../../../src/services/unit.service.ts';" }], /only as types/],
    ['process.env outside config', [{ file: 'src/services/dossier.service.ts', text: 'const n = Number(process.env.DATCHUAN_X ?? 3);' }], /process\.env/],
    [
      'two CLI commands opening the database',
      [
        { file: 'src/cli/commands/feed.ts', text: "import { openDatabase } from '../../db/database.ts';" },
        { file: 'src/cli/commands/reviews.ts', text: "import { openDatabase } from '../../db/database.ts';" },
      ],
      /one composition root/,
    ],
    ['the domain doing I/O', [{ file: 'src/domain/dates.ts', text: "import { readFileSync } from 'node:fs';" }], /no I\/O/],
  ];
  for (const [name, files, rule] of cases) {
    it(name, () => {
      const found = findViolations(files);
      expect(found.some((x) => rule.test(x.rule)), JSON.stringify(found)).toBe(true);
    });
  }

  it('allows what the rules allow', () => {
    const ok: SourceFile[] = [
      { file: 'web/src/api/types.ts', text: "import type { ReviewDetail } from '../../../src/http/schemas/review.schema.ts';\nimport { evaluateCommune } from '../../../src/domain/evaluation.ts';" },
      { file: 'src/services/review.service.ts', text: "import type { Kysely, Transaction } from 'kysely';\nimport * as reviews from '../db/review.repository.ts';" },
      { file: 'src/http/routes/review.routes.ts', text: "import { createReview } from '../../services/review.service.ts';\nimport type { Db } from '../../db/database.ts';" },
      { file: 'src/cli/context.ts', text: "import { openDatabase } from '../db/database.ts';" },
      { file: 'src/services/x.test.ts', text: "const n = process.env.X; import { sql } from 'kysely';" },
    ];
    expect(findViolations(ok)).toEqual([]);
  });
});
