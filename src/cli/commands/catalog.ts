import type { Command } from 'commander';
// Placeholder: the catalogue issue fills this in.
export function registerCatalogCommands(_program: Command): void {}
