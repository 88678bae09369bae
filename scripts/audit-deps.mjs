#!/usr/bin/env node
// CI: `npm audit --omit=dev --audit-level=high` — fails on any high or critical advisory in the
// production dependencies. When the advisory service cannot be reached (offline CI, a registry
// mirror without the audit endpoint) it says so loudly and passes, unless DATCHUAN_REQUIRE_AUDIT=1,
// in which case an unanswered audit fails too.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8' });
let report = null;
try {
  report = JSON.parse(run.stdout || 'null');
} catch {
  report = null;
}
const counts = report?.metadata?.vulnerabilities;
if (counts) {
  const high = (counts.high ?? 0) + (counts.critical ?? 0);
  console.log(`npm audit (production dependencies): ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`);
  if (high > 0) {
    spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high'], { stdio: 'inherit' });
    console.error('✗ high or critical advisories in production dependencies');
    process.exit(1);
  }
  process.exit(0);
}
const why = report?.message ?? report?.error?.summary ?? (run.stderr || '').trim().split('\n').pop() ?? 'no answer';
if (process.env.DATCHUAN_REQUIRE_AUDIT === '1') {
  console.error(`✗ npm audit could not run: ${why}`);
  process.exit(1);
}
console.warn(`⚠ npm audit could not reach the advisory service (${why}); not checked. Set DATCHUAN_REQUIRE_AUDIT=1 to fail instead.`);
