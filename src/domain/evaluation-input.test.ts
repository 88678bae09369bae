import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { parseEvaluationInput } from './evaluation-input.ts';
import { criteriaSet, criterion, indicator } from '../test-support/criteria.ts';

const set = criteriaSet([criterion('5', [indicator({ code: '5.1', kind: 'percent' }), indicator({ code: '5.2' })])]);
const ok = { commune: { code: '13510', name: 'Tràng An', region: 'DBSH' }, asOf: '2023-03-20', values: { '5.1': 90 } };

function failure(data: unknown): DomainError {
  try {
    parseEvaluationInput(data, set);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('parseEvaluationInput', () => {
  it('reads a valid document', () => {
    const input = parseEvaluationInput({ ...ok, recognisedLevels: ['ntm'] }, set);
    expect(input.commune).toEqual({ code: '13510', name: 'Tràng An', region: 'DBSH', group: null, special: null });
    expect(input.recognisedLevels).toEqual(['ntm']);
  });

  it.each([
    ['not an object', [], 'invalid_value', '"$"'],
    ['unknown root key', { ...ok, value: {} }, 'invalid_value', '"value"'],
    ['no commune', { asOf: ok.asOf, values: {} }, 'invalid_value', '"commune"'],
    ['commune without code', { ...ok, commune: { name: 'X' } }, 'invalid_value', '"commune.code"'],
    ['bad region', { ...ok, commune: { ...ok.commune, region: 'HN' } }, 'invalid_value', '"commune.region"'],
    ['bad group', { ...ok, commune: { ...ok.commune, group: 4 } }, 'invalid_value', '"commune.group"'],
    ['bad special', { ...ok, commune: { ...ok.commune, special: 'poor' } }, 'invalid_value', '"commune.special"'],
    ['bad date', { ...ok, asOf: '20/3/2023' }, 'invalid_value', '"asOf"'],
    ['values not an object', { ...ok, values: [1] }, 'invalid_value', '"values"'],
    ['unknown indicator', { ...ok, values: { '5.1': 90, '8.1': true } }, 'unknown_indicator', 'values["8.1"]'],
    ['wrong value type', { ...ok, values: { '5.1': 'ninety' } }, 'invalid_value', 'values["5.1"]'],
    ['bad recognised level', { ...ok, recognisedLevels: ['gold'] }, 'invalid_value', '"recognisedLevels"'],
  ])('%s → %s naming %s in both languages', (_label, data, code, key) => {
    const e = failure(data);
    expect(e.code).toBe(code);
    expect(e.messageVi).toContain(key);
    expect(e.message).toContain(key);
    expect(e.oneLine).toContain(' / ');
  });

  it('reports the unknown code first when values have several problems', () => {
    const e = failure({ ...ok, values: { '5.1': 'x', '9.9': 1 } });
    expect(e.code).toBe('unknown_indicator');
    expect(e.messageVi).toContain('(và 1 lỗi khác)');
    expect(e.message).toContain('(and 1 more)');
  });
});
