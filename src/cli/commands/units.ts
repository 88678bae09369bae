import type { Command } from 'commander';
// Placeholder: the units import fills this in.
export function registerUnitsCommands(_program: Command): void {}
