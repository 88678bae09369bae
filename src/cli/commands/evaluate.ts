import type { Command } from 'commander';
// Placeholder: the catalogue issue fills this in.
export function registerEvaluateCommand(_program: Command): void {}
