/**
 * Kiểm tra tệp bộ tiêu chí — lint one set file: every schema and resolution error (file, JSON
 * path, problem), then warnings a loader would accept but a reviewer should see: unverified
 * indicators, thresholds not set, criteria without indicators, codes outside their criterion's
 * numbering, a validity that starts before its base set's.
 */
import { resolve as resolvePath } from 'node:path';
import type { CatalogIssue } from './issues.ts';
import { countSet, hasAnyThreshold } from './counts.ts';
import type { SetCounts } from './counts.ts';
import { displayPath, readSetDirectory, readSetFile, SHIPPED_SETS_DIR } from './catalog.ts';
import { resolveSets, versionKey } from './resolve.ts';
import type { SetFile } from './set-file.ts';

export interface LintResult {
  file: string;
  setId: string | null;
  errors: CatalogIssue[];
  warnings: CatalogIssue[];
  counts: SetCounts | null;
}

function codeFits(indicator: string, criterion: string): boolean {
  return indicator === criterion || indicator.startsWith(`${criterion}.`);
}

function numberingWarnings(file: string, data: SetFile, criterionOf: (code: string) => string | null): CatalogIssue[] {
  const out: CatalogIssue[] = [];
  const warn = (path: string, code: string, criterion: string) =>
    out.push({
      file,
      path,
      severity: 'warning',
      message: { vi: `mã chỉ tiêu "${code}" không theo số của tiêu chí ${criterion}`, en: `indicator code "${code}" does not follow criterion ${criterion}'s numbering` },
    });
  (data.criteria ?? []).forEach((c, ci) =>
    c.indicators.forEach((i, ii) => {
      if (!codeFits(i.code, c.code)) warn(`$.criteria[${ci}].indicators[${ii}].code`, i.code, c.code);
    }),
  );
  (data.changes ?? []).forEach((ch, k) => {
    if (ch.op === 'add' && !codeFits(ch.indicator.code, ch.criterion)) warn(`$.changes[${k}].indicator.code`, ch.indicator.code, ch.criterion);
    if (ch.op === 'split') {
      const criterion = criterionOf(ch.indicator);
      ch.into.forEach((i, n) => {
        if (criterion !== null && !codeFits(i.code, criterion)) warn(`$.changes[${k}].into[${n}].code`, i.code, criterion);
      });
    }
  });
  return out;
}

/**
 * Lint a set file against the sets of `catalogDir` (default: the shipped ones); a shipped set with
 * the same id is replaced by the file, so an edited copy can be checked before it is installed.
 */
export function lintSetFile(path: string, opts: { catalogDir?: string } = {}): LintResult {
  const abs = resolvePath(path);
  const read = readSetFile(abs);
  const file = displayPath(abs);
  if (!read.loaded) return { file, setId: null, errors: read.issues, warnings: [], counts: null };
  const data = read.loaded.data;
  const sameVersion = (f: { data: { id: string; version?: number } }) => f.data.id === data.id && (f.data.version ?? 1) === (data.version ?? 1);
  const others = readSetDirectory(opts.catalogDir ?? SHIPPED_SETS_DIR).files.filter((f) => !sameVersion(f));
  const { sets, issues } = resolveSets([...others, read.loaded]);
  const errors = issues.filter((i) => i.file === file && i.severity === 'error');
  const set = sets.get(versionKey(data.id, data.version ?? 1));
  if (!set || errors.length > 0) return { file, setId: data.id, errors, warnings: [], counts: null };

  const counts = countSet(set);
  const warnings: CatalogIssue[] = [];
  const warn = (p: string, vi: string, en: string) => warnings.push({ file, path: p, severity: 'warning', message: { vi, en } });
  const all = set.criteria.flatMap((c) => c.indicators);
  const unverified = all.filter((i) => !i.verified).length;
  if (unverified > 0) warn('$', `${unverified}/${all.length} chỉ tiêu chưa được xác minh với văn bản gốc (verified: false)`, `${unverified}/${all.length} indicators not verified against the official text (verified: false)`);
  const unset = all.filter((i) => !hasAnyThreshold(i.target.value));
  if (unset.length > 0) {
    const codes = unset.map((i) => i.code).join(', ');
    warn('$', `${unset.length} chỉ tiêu chưa có ngưỡng (do tỉnh quy định), sẽ "chưa đánh giá được": ${codes}`, `${unset.length} indicators have no threshold (to be set by the province) and will be not evaluable: ${codes}`);
  }
  if (counts.pendingCriteria.length > 0) {
    const codes = counts.pendingCriteria.join(', ');
    warn('$', `tiêu chí chưa có chỉ tiêu: ${codes}`, `criteria without indicators: ${codes}`);
  }
  const criterionOf = (code: string) => {
    const base = set.basedOn !== null ? sets.get(versionKey(set.basedOn, set.basedOnVersion ?? 1)) : undefined;
    return base?.criteria.find((c) => c.indicators.some((i) => i.code === code))?.code ?? null;
  };
  warnings.push(...numberingWarnings(file, data, criterionOf));
  if (set.basedOn !== null) {
    const base = sets.get(versionKey(set.basedOn, set.basedOnVersion ?? 1))!;
    if (set.validFrom < base.validFrom) warn('$.validFrom', `có hiệu lực (${set.validFrom}) trước bộ gốc ${base.id} (${base.validFrom})`, `valid from ${set.validFrom}, before base set ${base.id} (${base.validFrom})`);
  }
  return { file, setId: data.id, errors: [], warnings, counts };
}
