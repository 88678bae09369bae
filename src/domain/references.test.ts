import { describe, expect, it } from 'vitest';
import { collectReferences, looksLikeId, referencesOf, showPath } from './references.ts';

const str = { type: 'string' };
const int = { type: 'integer' };
const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties });
const ref = (kind: string, s: object = str, extra: object = {}) => ({ ...s, 'x-ref': kind, ...extra });

describe('request references', () => {
  it('finds declared references through objects, lists and unions, once each', () => {
    const schema = obj({
      unitId: { anyOf: [ref('unit'), { type: 'null' }] },
      tasks: { type: 'array', items: obj({ assignee: obj({ username: { anyOf: [ref('user'), { type: 'null' }] }, memberId: ref('member', int) }) }) },
      unitIds: { anyOf: [{ type: 'array', items: ref('unit') }, { type: 'null' }] },
      toUnitId: ref('unit', str, { 'x-ref-reach': 'above' }),
      title: str,
    });
    const { refs, undeclared } = referencesOf(schema);
    expect(undeclared).toEqual([]);
    expect(refs.map((r) => `${showPath(r.path)}:${r.kind}:${r.reach}`)).toEqual([
      'unitId:unit:scope',
      'tasks[].assignee.username:user:scope',
      'tasks[].assignee.memberId:member:scope',
      'unitIds[]:unit:scope',
      'toUnitId:unit:above',
    ]);
  });

  it('names id-like fields that declare nothing, and accepts an explicit "none"', () => {
    const schema = obj({
      conclusionId: int,
      people: { type: 'array', items: obj({ username: str }) },
      setId: { ...str, 'x-ref': 'none' },
      assignee: obj({ name: str }),
      decisionNo: str,
      paid: { type: 'boolean' },
    });
    expect(referencesOf(schema).undeclared).toEqual(['conclusionId', 'people[].username']);
    expect(['id', 'unitId', 'taskIds', 'user_id', 'username', 'unit'].every(looksLikeId)).toBe(true);
    expect(['valid', 'paid', 'decisionNo', 'personName', 'idea'].some(looksLikeId)).toBe(false);
    expect(() => referencesOf(obj({ x: ref('planet') }))).toThrow(/planet/);
  });

  it('collects the values a request carries, with the field each refusal names', () => {
    const { refs } = referencesOf(
      obj({
        unitId: ref('unit'),
        tasks: { type: 'array', items: obj({ unitId: ref('unit'), assignee: obj({ username: ref('user') }) }) },
        unitIds: { type: 'array', items: ref('unit') },
      }),
    );
    const found = collectReferences(refs, { unitId: null, tasks: [{ unitId: 'a' }, { assignee: { username: 'b' } }], unitIds: ['c', 'd'] });
    expect(found.map((f) => `${f.field}=${f.value}`)).toEqual(['tasks.0.unitId=a', 'tasks.1.assignee.username=b', 'unitIds.0=c', 'unitIds.1=d']);
    expect(collectReferences(refs, { unitId: 'x' }, '?').map((f) => f.field)).toEqual(['?unitId']);
  });
});
