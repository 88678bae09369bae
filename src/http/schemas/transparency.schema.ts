/** The public portal's lists: dossiers open for residents' comments, recognised communes. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, Nullable, UnitId } from './common.schema.ts';

export const RecognitionQuery = Type.Object({ provinceId: Type.Optional(UnitId), q: Type.Optional(Type.String({ maxLength: 100 })) });

export const OpenConsultationSchema = Closed({
  dossierId: Type.Integer(),
  unitId: Type.String(),
  unitName: Type.String(),
  provinceName: Type.String(),
  level: Type.String(),
  levelName: Bilingual,
  stage: Type.String(),
  stageName: Bilingual,
  openedOn: IsoDate,
  closesOn: Nullable(IsoDate),
});

export const OpenConsultationListSchema = Closed({ items: Type.Array(OpenConsultationSchema) });

export const PublicRecognitionRowSchema = Closed({
  unitId: Type.String(),
  name: Type.String(),
  provinceId: Type.String(),
  provinceName: Type.String(),
  currentLevel: Nullable(Type.String()),
  currentLevelName: Nullable(Bilingual),
  recognitions: Type.Array(Closed({ level: Type.String(), levelName: Bilingual, decisionNo: Type.String(), decidedOn: IsoDate, revokedOn: Nullable(IsoDate) })),
});

export const PublicRecognitionListSchema = Closed({ items: Type.Array(PublicRecognitionRowSchema) });
