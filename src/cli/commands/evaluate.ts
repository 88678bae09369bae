/**
 * `datchuan evaluate --set <setId> --input <file|-> [--json]` — evaluate one commune's values
 * against a criteria set. Exit 0 whatever the verdict; a bad input (unknown set, unknown indicator
 * code, wrong value type, malformed JSON, date outside the set) is a DomainError: one line in
 * Vietnamese / English naming the offending key, exit 2. Output contract: docs/catalog.md.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { getCatalog } from '../../catalog/catalog.ts';
import { parseJsonText } from '../../catalog/json-text.ts';
import { LEVELS } from '../../domain/criteria.ts';
import type { Level } from '../../domain/criteria.ts';
import { DomainError } from '../../domain/errors.ts';
import { evaluateCommune } from '../../domain/evaluation.ts';
import type { CommuneVerdict, PrerequisiteCheck, UnmetCriterion } from '../../domain/evaluation.ts';
import { parseEvaluationInput } from '../../domain/evaluation-input.ts';
import type { BilingualMessage } from '../../domain/errors.ts';

/** The `--json` output of `datchuan evaluate`. */
export interface EvaluateOutput {
  set: string;
  asOf: string;
  commune: { code: string; name: string };
  criteria: { met: number; total: number };
  indicators: { met: number; total: number; notEvaluable: number; notApplicable: number };
  level: Level | null;
  meetsStandard: boolean;
  prerequisites: PrerequisiteCheck;
  unmet: UnmetCriterion[];
  summary: BilingualMessage;
  verdict?: CommuneVerdict;
}

export function toEvaluateOutput(v: CommuneVerdict, full = false): EvaluateOutput {
  const t = v.totals;
  return {
    set: v.setId,
    asOf: v.asOf,
    commune: v.commune,
    criteria: { met: t.criteriaMet, total: t.criteriaTotal },
    indicators: { met: t.indicatorsMet, total: t.indicatorsTotal, notEvaluable: t.notEvaluable, notApplicable: t.notApplicable },
    level: v.level,
    meetsStandard: v.meetsStandard,
    prerequisites: v.prerequisites,
    unmet: v.unmet,
    summary: v.summary,
    ...(full ? { verdict: v } : {}),
  };
}

function readInput(input: string): string {
  try {
    return readFileSync(input === '-' ? 0 : input, 'utf8');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new DomainError('invalid_value', { vi: `Không đọc được tệp đầu vào "${input}": ${why}`, en: `Cannot read input file "${input}": ${why}` }, { field: '--input' });
  }
}

/** Run one evaluation from a set id and the input text (the command without its I/O). */
export function evaluateText(setId: string, text: string, inputName: string, extraLevels: readonly Level[] = []): CommuneVerdict {
  const set = getCatalog().get(setId);
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    throw new DomainError('invalid_value', { vi: `Đầu vào "${inputName}": ${parsed.message.vi}`, en: `Input "${inputName}": ${parsed.message.en}` }, { field: '--input', line: parsed.line, column: parsed.column });
  }
  const input = parseEvaluationInput(parsed.value, set);
  return evaluateCommune(set, input.commune, input.asOf, input.values, { recognisedLevels: [...input.recognisedLevels, ...extraLevels] });
}

function levelsOption(value: string | undefined): Level[] {
  if (value === undefined || value === '') return [];
  return value.split(',').map((l) => {
    const level = l.trim() as Level;
    if (!LEVELS.includes(level)) {
      throw new DomainError(
        'invalid_value',
        { vi: `--recognised "${l}" không hợp lệ (dùng ${LEVELS.join(', ')}).`, en: `--recognised "${l}" is not valid (use ${LEVELS.join(', ')}).` },
        { field: '--recognised' },
      );
    }
    return level;
  });
}

function printText(v: CommuneVerdict): void {
  const out: string[] = [`${v.commune.name} (${v.commune.code}) — ${v.setId} — ${v.asOf}`, v.summary.vi, v.summary.en];
  out.push(`Mức đạt / level: ${v.level ?? '—'}${v.prerequisites.missing.length ? ` (thiếu điều kiện / missing prerequisite: ${v.prerequisites.missing.join(', ')})` : ''}`);
  for (const c of v.unmet) {
    out.push(`\n${c.code}. ${c.name}${c.critical ? ' (bắt buộc / critical)' : ''}: ${c.status}`);
    for (const i of c.indicators) out.push(`   ${i.code}: ${i.reason.vi} / ${i.reason.en}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description(
      'Đánh giá một xã theo một bộ tiêu chí; đầu vào JSON { commune, asOf, values }.\n' +
        'Evaluate one commune against a criteria set; input JSON { commune, asOf, values }.',
    )
    .requiredOption('--set <setId>', 'mã bộ tiêu chí / criteria set id')
    .requiredOption('--input <file|->', 'tệp JSON đầu vào, "-" để đọc stdin / input JSON file, "-" for stdin')
    .option('--recognised <levels>', 'mức xã đã được công nhận, vd. ntm,nang-cao / levels already recognised')
    .option('--full', 'kèm toàn bộ cây kết quả (verdict) / include the full verdict tree')
    .option('--json', 'JSON: { set, asOf, criteria, indicators, level, meetsStandard, unmet, … }')
    .action((opts: { set: string; input: string; recognised?: string; full?: boolean; json?: boolean }) => {
      const levels = levelsOption(opts.recognised);
      const set = getCatalog().get(opts.set);
      const verdict = evaluateText(set.id, readInput(opts.input), opts.input === '-' ? 'stdin' : opts.input, levels);
      if (opts.json) process.stdout.write(`${JSON.stringify(toEvaluateOutput(verdict, opts.full), null, 2)}\n`);
      else printText(verdict);
    });
}
