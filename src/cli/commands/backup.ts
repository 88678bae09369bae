import type { Command } from 'commander';
// Placeholder.
export function registerBackupCommands(_program: Command): void {}
