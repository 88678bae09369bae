/** What route plugins receive: the database (repositories are opened from it by services). */
import type { Db } from '../db/database.ts';

export interface RouteContext {
  db: Db;
}
