/** The signed-in user's reminders: tasks overdue, due soon, returned, proposed for completion, newly assigned; dossiers awaiting them. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, StringEnum } from './common.schema.ts';
import { TaskViewSchema } from './task.schema.ts';
import { DossierToDoSchema } from './dossier.schema.ts';
import { RiskWatchSchema } from './forecast.schema.ts';

const INBOX_KINDS = ['overdue', 'due_soon', 'returned', 'proposed', 'assigned'] as const;

export const InboxItemSchema = Closed({ key: Type.String(), kind: StringEnum(INBOX_KINDS), label: Bilingual, message: Bilingual, task: TaskViewSchema });

export const UserInboxSchema = Closed({
  date: IsoDate,
  username: Type.String(),
  unitIds: Type.Array(Type.String()),
  items: Type.Array(InboxItemSchema),
  counts: Closed({ overdue: Type.Integer(), due_soon: Type.Integer(), returned: Type.Integer(), proposed: Type.Integer(), assigned: Type.Integer(), all: Type.Integer() }),
  dossiers: Type.Array(DossierToDoSchema),
  risks: Type.Array(RiskWatchSchema, { description: 'province office only: recognised communes near revocation, indicators met before and not now' }),
});
