import type { Command } from 'commander';
// Placeholder.
export function registerServerCommands(_program: Command): void {}
