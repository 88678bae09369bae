/** What route plugins receive: the database (repositories are opened from it by services) and the authentication context. */
import type { Db } from '../db/database.ts';
import type { AuthContext } from '../services/auth.service.ts';
import type { ServiceSettings } from '../config.ts';

export interface RouteContext {
  db: Db;
  auth: AuthContext;
  services: ServiceSettings;
}
