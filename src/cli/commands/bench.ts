import type { Command } from 'commander';
// Placeholder.
export function registerBenchCommand(_program: Command): void {}
