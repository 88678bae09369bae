/**
 * The audit chain's key travels with the database handle: openDatabase installs it as a (no-op)
 * Kysely plugin, which every transaction of that handle inherits, so `recordAudit(trx, …)` finds
 * the key without a process-wide variable and without each caller passing it.
 */
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { createHash } from 'node:crypto';

export class AuditKeyPlugin implements KyselyPlugin {
  /** A short public name of the key (first 16 hex digits of a hash of it): anchors and messages quote it. */
  readonly keyId: string;
  constructor(readonly key: Buffer) {
    this.keyId = createHash('sha256').update('datchuan-audit-key-id\0').update(key).digest('hex').slice(0, 16);
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** The audit key of this handle (or of the database a transaction belongs to); null = none configured. */
export function auditKeyOf(db: Kysely<any>): AuditKeyPlugin | null {
  for (const p of db.getExecutor().plugins) if (p instanceof AuditKeyPlugin) return p;
  return null;
}
