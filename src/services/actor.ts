/** Who is acting, from where: passed to every service call that writes (and to scoped reads). */
import type { Principal } from '../domain/policy.ts';
import type { ScopeResolver } from './access.service.ts';

export interface Actor {
  /** User name, `token:<name>`, `anonymous`, `cli:<os user>` or `system`. */
  id: string;
  source: 'web' | 'api' | 'cli' | 'import' | 'system';
  ip?: string | null;
  /**
   * What the actor may do. Every HTTP actor carries it (`actorOf(req)` always sets it, anonymous
   * included); only trusted in-process callers — the CLI run by the server operator, scheduled
   * jobs, the demo seed — act without it, and are then not limited by the policy.
   */
  access?: Access;
}

export interface Access {
  principal: Principal;
  scopes: ScopeResolver;
  /** Today in Vietnam (YYYY-MM-DD), from the app's clock: grants are valid for a period. */
  today(): string;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', source: 'system' });
/** The operator at the command line, named by their operating-system account (Config `osUser`). */
export function cliActor(osUser: string | null): Actor {
  return Object.freeze({ id: osUser ? `cli:${osUser}` : 'cli', source: 'cli' });
}
