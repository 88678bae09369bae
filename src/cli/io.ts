/** What commands print and how they read what the operator typed. */
import { parseDateVi } from '../domain/dates.ts';

// `datchuan … | head` closes the pipe early: stop quietly, as Unix tools do, instead of a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

/** One line on stdout. */
export function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

/** A date as typed (dd/mm/yyyy or ISO) → ISO; left as is when unreadable (the service says why). */
export function isoDate(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  return parseDateVi(s) ?? s;
}
