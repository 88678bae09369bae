import type { Command } from 'commander';
// Placeholder.
export function registerReviewsCommands(_program: Command): void {}
