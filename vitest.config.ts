import { defineConfig } from 'vitest/config';

/**
 * Three tiers (`npm test` runs them all): `fast` — the pure code and the web units, seconds, no
 * database; `db` — repositories, services, HTTP and CLI on SQLite and PostgreSQL; `e2e` — the
 * real outside programs: the web app in Debian's Chromium, documents through LibreOffice.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          // No database, no child processes: threads start faster than forks (35 s against 48 s here).
          pool: 'threads',
          include: ['src/*.test.ts', 'src/{domain,catalog,files}/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
          exclude: ['src/files/reports/office.test.ts', 'src/files/sets/office.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['src/{db,platform,services,seed,http,cli}/**/*.test.ts'],
          globalSetup: ['scripts/test-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['e2e/**/*.test.ts', 'src/files/reports/office.test.ts', 'src/files/sets/office.test.ts'] },
      },
    ],
  },
});
