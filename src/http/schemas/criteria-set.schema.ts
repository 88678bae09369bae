/**
 * Criteria sets (bộ tiêu chí): the catalogue list, a set with its targets resolved for a region,
 * group and year, and the full resolved set as the evaluation engine takes it.
 */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, Nullable, ReadonlyArray, StringEnum } from './common.schema.ts';
import { CommuneGroupSchema, IndicatorKindSchema, LevelSchema, RegionSchema, SpecialStatusSchema, TargetLeafSchema, TargetOpSchema } from './evaluation.schema.ts';
import { CONDITION_KINDS, PHASES, REGION_CODES, SET_STATUSES, SPECIAL_STATUSES, type SpecialStatus, type TargetValueSpec } from '../../domain/criteria.ts';
import { PROVENANCE_LEVELS } from '../../domain/provenance.ts';

export const SetIdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

export const ShowSetQuery = Type.Object({
  region: Type.Optional(Type.Union(REGION_CODES.map((r) => Type.Literal(r)))),
  group: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  special: Type.Optional(Type.Union(SPECIAL_STATUSES.map((s) => Type.Literal(s)))),
  date: Type.Optional(IsoDate),
});

/** Which version of a set: the one valid on `date` (default: the latest). */
export const SetVersionQuery = Type.Object({
  date: Type.Optional(IsoDate),
});

// ── Responses ────────────────────────────────────────────────────────────────────────────────

export const PhaseSchema = StringEnum(PHASES);
export const ScopeSchema = StringEnum(['national', 'provincial']);

export const DecisionRefSchema = Closed({
  number: Type.String(),
  date: IsoDate,
  appendix: Nullable(Type.String()),
  issuer: Nullable(Type.String()),
  url: Nullable(Type.String()),
});

export const ProvenanceSourceSchema = Closed({
  number: Type.String(),
  date: Nullable(IsoDate),
  issuer: Nullable(Type.String()),
  ref: Nullable(Type.String()),
  url: Nullable(Type.String()),
});

/** Nguồn gốc: official (checked against the official text), secondary (cited source) or reconstructed (no source). */
export const ProvenanceSchema = Closed({ level: StringEnum(PROVENANCE_LEVELS), source: Nullable(ProvenanceSourceSchema) });

export const ProvenanceCountsSchema = Closed(
  { official: Type.Integer(), secondary: Type.Integer(), reconstructed: Type.Integer() },
  { description: 'indicators per provenance level' },
);

/** A set in the catalogue list: counts and whether every indicator is verified. */
export const CriteriaSetSummarySchema = Closed({
  id: Type.String(),
  name: Type.String(),
  phase: PhaseSchema,
  level: LevelSchema,
  basedOn: Nullable(Type.String()),
  criteria: Type.Integer(),
  indicators: Type.Integer(),
  verified: Type.Boolean({ description: 'true only when every indicator is verified (and there is at least one)' }),
  verifiedIndicators: Type.Integer(),
  scope: ScopeSchema,
  demo: Type.Boolean(),
  validFrom: IsoDate,
  validTo: Nullable(IsoDate),
  decision: DecisionRefSchema,
  version: Type.Integer({ minimum: 1, description: 'version of the set id (each version has its own validity)' }),
  status: StringEnum(SET_STATUSES, { description: 'shipped files are published' }),
  provenance: ProvenanceCountsSchema,
});

export const CriteriaSetListSchema = Closed({ items: Type.Array(CriteriaSetSummarySchema) });

/** A set with each indicator's target resolved for the context asked (region, group, year, special status). */
export const ShownSetSchema = Closed({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  validFrom: IsoDate,
  validTo: Nullable(IsoDate),
  name: Type.String(),
  phase: PhaseSchema,
  level: LevelSchema,
  basedOn: Nullable(Type.String()),
  demo: Type.Boolean(),
  context: Closed({ region: Nullable(RegionSchema), group: Nullable(CommuneGroupSchema), year: Nullable(Type.Integer()), special: Nullable(SpecialStatusSchema) }),
  criteria: Type.Array(
    Closed({
      code: Type.String(),
      name: Type.String(),
      critical: Type.Boolean(),
      pendingIndicators: Nullable(Bilingual),
      indicators: Type.Array(
        Closed({
          code: Type.String(),
          name: Type.String(),
          kind: IndicatorKindSchema,
          unit: Nullable(Type.String()),
          target: Closed({ op: TargetOpSchema, value: Nullable(TargetLeafSchema) }),
          basis: Bilingual,
          scale: Nullable(ReadonlyArray(Type.String())),
          applicableIf: Nullable(Closed({ flag: Type.String() })),
          verified: Type.Boolean(),
          provenance: ProvenanceSchema,
          conditions: Nullable(
            Type.Array(
              Closed({ code: Type.String(), name: Type.String(), kind: IndicatorKindSchema, unit: Nullable(Type.String()), target: Closed({ op: TargetOpSchema, value: Nullable(TargetLeafSchema) }), basis: Bilingual }),
              { description: 'compound indicators: each condition, entered under its code (e.g. "5.toi_thieu")' },
            ),
          ),
        }),
      ),
    }),
  ),
});

/** A reference to the shared, recursive target schema (registered once with `app.addSchema`). */
export const TargetValueSpecRef = Type.Unsafe<TargetValueSpec>(Type.Ref('TargetValueSpec'));

const optionalSpec = Type.Optional(TargetValueSpecRef);

/**
 * Ngưỡng — a threshold that may vary: a value, null (to be set by the province), or a table by
 * region, commune group or year whose entries are thresholds again. Shared (recursive).
 */
export const TargetValueSpecSchema = Type.Union(
  [
    TargetLeafSchema,
    Type.Null(),
    Closed({ byRegion: Closed({ TDMNPB: optionalSpec, DBSH: optionalSpec, BTB: optionalSpec, DHNTB: optionalSpec, TN: optionalSpec, DNB: optionalSpec, DBSCL: optionalSpec }) }),
    Closed({ byGroup: Closed({ '1': optionalSpec, '2': optionalSpec, '3': optionalSpec }) }),
    Closed({ byYear: Type.Record(Type.String(), TargetValueSpecRef) }),
    Closed({
      byAttribute: Closed({
        attribute: Type.String(),
        bands: Type.Array(Closed({ min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()), value: TargetValueSpecRef })),
      }),
    }),
  ],
  { $id: 'TargetValueSpec', description: 'a number, boolean or grade label; null (to be set by the province); or a table {byRegion|byGroup|byYear: {key: threshold}}' },
);

/** The resolved set exactly as the evaluation engine takes it (the review form evaluates as the officer types). */
export const CriteriaSetDefinitionSchema = Closed({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  status: StringEnum(SET_STATUSES),
  name: Type.String(),
  phase: PhaseSchema,
  level: LevelSchema,
  scope: ScopeSchema,
  province: Nullable(Closed({ code: Type.String(), name: Type.String() })),
  decision: DecisionRefSchema,
  validFrom: IsoDate,
  validTo: Nullable(IsoDate),
  basedOn: Nullable(Type.String()),
  basedOnVersion: Nullable(Type.Integer()),
  lineage: ReadonlyArray(Type.String()),
  demo: Type.Boolean(),
  requires: ReadonlyArray(LevelSchema),
  specialRegion: Closed(Object.fromEntries(SPECIAL_STATUSES.map((k) => [k, Type.Optional(Nullable(RegionSchema))])) as Record<SpecialStatus, ReturnType<typeof Type.Optional<ReturnType<typeof Nullable<typeof RegionSchema>>>>>, {
    description: 'special status → the region whose thresholds apply (null: another region, not shown by the source)',
  }),
  flags: ReadonlyArray(Closed({ code: Type.String(), name: Type.String() })),
  attributes: ReadonlyArray(Closed({ code: Type.String(), name: Type.String(), unit: Nullable(Type.String()) }), { description: 'numeric facts reported with the values that targets may depend on' }),
  notes: Nullable(Type.String()),
  criteria: ReadonlyArray(
    Closed({
      code: Type.String(),
      name: Type.String(),
      group: Nullable(Type.String()),
      critical: Type.Boolean(),
      nameVerified: Type.Boolean(),
      indicators: ReadonlyArray(
        Closed({
          code: Type.String(),
          name: Type.String(),
          kind: IndicatorKindSchema,
          unit: Nullable(Type.String()),
          target: Closed({
            op: TargetOpSchema,
            value: TargetValueSpecRef,
            setBy: Type.String(),
            override: Type.Boolean(),
            derivedFrom: Nullable(Closed({ setId: Type.String(), indicator: Type.String(), factor: Type.Number() })),
          }),
          scale: Nullable(ReadonlyArray(Type.String())),
          conditions: Nullable(
            ReadonlyArray(
              Closed({
                code: Type.String(),
                name: Type.String(),
                kind: StringEnum(CONDITION_KINDS),
                unit: Nullable(Type.String()),
                target: Closed({
                  op: TargetOpSchema,
                  value: TargetValueSpecRef,
                  setBy: Type.String(),
                  override: Type.Boolean(),
                  derivedFrom: Nullable(Closed({ setId: Type.String(), indicator: Type.String(), factor: Type.Number() })),
                }),
              }),
            ),
          ),
          applicableIf: Nullable(Closed({ flag: Type.String() })),
          zeroDenominator: StringEnum(['not_evaluable', 'not_applicable']),
          source: Closed({ decision: Type.String(), appendix: Nullable(Type.String()), url: Nullable(Type.String()), note: Nullable(Type.String()) }),
          verified: Type.Boolean(),
          provenance: ProvenanceSchema,
          note: Nullable(Type.String()),
          definedIn: Type.String(),
          origin: StringEnum(['base', 'override', 'added', 'split']),
        }),
      ),
      pendingIndicators: Nullable(Bilingual),
    }),
  ),
});
