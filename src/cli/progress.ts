/** Progress on the terminal (stderr, so --json output stays clean): a bar when interactive, lines otherwise. */
export function progressReporter(label: string): (done: number, total: number) => void {
  let lastPct = -1;
  const tty = process.stderr.isTTY;
  return (done, total) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    if (pct === lastPct) return;
    if (!tty && pct % 25 !== 0 && pct !== 100) return;
    lastPct = pct;
    const width = 24;
    const filled = Math.round((pct / 100) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    process.stderr.write(tty ? `\r${label} ${bar} ${pct}%${pct === 100 ? '\n' : ''}` : `${label} ${pct}%\n`);
  };
}
