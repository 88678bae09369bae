import { Type } from 'typebox';
import { Closed, StringEnum } from './common.schema.ts';

export const HealthSchema = Closed({
  status: StringEnum(['ok']),
  database: Type.String(),
  dialect: StringEnum(['sqlite', 'postgres']),
  demo: Type.Boolean({ description: 'demo data (DỮ LIỆU MINH HỌA)' }),
  version: Type.String(),
});
