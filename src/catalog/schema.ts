/**
 * A small schema walker for the catalogue's JSON files: each check validates a value at a JSON
 * path and records bilingual problems instead of throwing, so one pass reports every problem.
 */
import type { BilingualMessage } from '../domain/errors.ts';
import { isIsoDate } from '../domain/dates.ts';
import type { PathIssue } from './issues.ts';

/** Validate `value` at `path`, pushing problems; true when it is valid. */
export type Check = (value: unknown, path: string, issues: PathIssue[]) => boolean;

export function problem(issues: PathIssue[], path: string, vi: string, en: string): false {
  issues.push({ path, message: { vi, en } });
  return false;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const TYPE_VI: Record<string, string> = {
  string: 'chuỗi',
  number: 'số',
  boolean: 'true/false',
  object: 'đối tượng',
  array: 'mảng',
  null: 'null',
  undefined: 'không có',
};

function wrongType(issues: PathIssue[], path: string, expected: string, v: unknown): false {
  const got = typeName(v);
  return problem(issues, path, `cần ${TYPE_VI[expected] ?? expected}, nhận được ${TYPE_VI[got] ?? got}`, `expected ${expected}, got ${got}`);
}

export function string(opts: { pattern?: RegExp; hint?: BilingualMessage } = {}): Check {
  return (v, path, issues) => {
    if (typeof v !== 'string') return wrongType(issues, path, 'string', v);
    if (v.trim() === '') return problem(issues, path, 'chuỗi rỗng', 'empty string');
    if (v !== v.normalize('NFC')) return problem(issues, path, 'chuỗi chưa ở dạng Unicode NFC', 'string is not in Unicode NFC form');
    if (opts.pattern && !opts.pattern.test(v)) {
      const h = opts.hint ?? { vi: `không khớp mẫu ${opts.pattern}`, en: `does not match ${opts.pattern}` };
      return problem(issues, path, `"${v}" ${h.vi}`, `"${v}" ${h.en}`);
    }
    return true;
  };
}

export function number(opts: { min?: number; max?: number; integer?: boolean } = {}): Check {
  return (v, path, issues) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return wrongType(issues, path, 'number', v);
    if (opts.integer && !Number.isInteger(v)) return problem(issues, path, `${v} không phải số nguyên`, `${v} is not an integer`);
    if (opts.min !== undefined && v < opts.min) return problem(issues, path, `${v} nhỏ hơn ${opts.min}`, `${v} is below ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) return problem(issues, path, `${v} lớn hơn ${opts.max}`, `${v} is above ${opts.max}`);
    return true;
  };
}

export const boolean: Check = (v, path, issues) => (typeof v === 'boolean' ? true : wrongType(issues, path, 'boolean', v));

export const isoDate: Check = (v, path, issues) => {
  if (typeof v !== 'string') return wrongType(issues, path, 'string', v);
  return isIsoDate(v) ? true : problem(issues, path, `"${v}" không phải ngày YYYY-MM-DD hợp lệ`, `"${v}" is not a valid YYYY-MM-DD date`);
};

export function oneOf(values: readonly (string | number | boolean)[]): Check {
  return (v, path, issues) => {
    if ((values as readonly unknown[]).includes(v)) return true;
    const list = values.map((x) => JSON.stringify(x)).join(', ');
    return problem(issues, path, `${JSON.stringify(v)} không thuộc ${list}`, `${JSON.stringify(v)} is not one of ${list}`);
  };
}

export function nullable(check: Check): Check {
  return (v, path, issues) => v === null || check(v, path, issues);
}

export function array(item: Check, opts: { minItems?: number } = {}): Check {
  return (v, path, issues) => {
    if (!Array.isArray(v)) return wrongType(issues, path, 'array', v);
    if (opts.minItems !== undefined && v.length < opts.minItems) {
      return problem(issues, path, `cần ít nhất ${opts.minItems} phần tử`, `needs at least ${opts.minItems} item(s)`);
    }
    let ok = true;
    v.forEach((x, i) => {
      ok = item(x, `${path}[${i}]`, issues) && ok;
    });
    return ok;
  };
}

export interface Field {
  check: Check;
  required: boolean;
}
export const req = (check: Check): Field => ({ check, required: true });
export const opt = (check: Check): Field => ({ check, required: false });

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** An object with known fields; unknown keys are errors (they are usually typos). */
export function object(fields: Record<string, Field>): Check {
  return (v, path, issues) => {
    if (!isPlainObject(v)) return wrongType(issues, path, 'object', v);
    let ok = true;
    for (const [key, f] of Object.entries(fields)) {
      if (!(key in v) || v[key] === undefined) {
        if (f.required) ok = problem(issues, keyPath(path, key), 'thiếu trường bắt buộc', 'required field is missing');
        continue;
      }
      ok = f.check(v[key], keyPath(path, key), issues) && ok;
    }
    for (const key of Object.keys(v)) {
      if (!(key in fields)) ok = problem(issues, keyPath(path, key), `trường không được phép "${key}"`, `unknown field "${key}"`);
    }
    return ok;
  };
}

/** An object used as a map: every key must pass `key`, every value `value`. */
export function record(key: { test: (k: string) => boolean; hint: BilingualMessage }, value: Check): Check {
  return (v, path, issues) => {
    if (!isPlainObject(v)) return wrongType(issues, path, 'object', v);
    let ok = true;
    for (const [k, x] of Object.entries(v)) {
      if (!key.test(k)) ok = problem(issues, keyPath(path, k), `khóa "${k}" ${key.hint.vi}`, `key "${k}" ${key.hint.en}`);
      else ok = value(x, keyPath(path, k), issues) && ok;
    }
    return ok;
  };
}

export const bilingual: Check = object({ vi: req(string()), en: req(string()) });
