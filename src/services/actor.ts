/** Who is acting, from where: passed to every service call that writes. */
export interface Actor {
  /** User name, token name, or `system`. */
  id: string;
  source: 'web' | 'api' | 'cli' | 'import' | 'system';
  ip?: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', source: 'system' });
export const CLI_ACTOR: Actor = Object.freeze({ id: process.env.USER ? `cli:${process.env.USER}` : 'cli', source: 'cli' });
