import { describe, expect, it } from 'vitest';
import { ROLES } from './policy.ts';
import {
  DOCUMENT_TYPES,
  DOSSIER_ACTIONS,
  mainPath,
  nextState,
  PROCEDURE_IDS,
  PROCEDURES,
  procedureForDate,
  stepOf,
  toMermaid,
  type DocumentType,
  type MoveRequest,
} from './dossier-workflow.ts';

const ALL_DOCS = new Set(Object.keys(DOCUMENT_TYPES) as DocumentType[]);

function req(over: Partial<MoveRequest>): MoveRequest {
  return { procedure: 'two-level', state: 'commune_preparing', action: 'open_consultation', roles: ['commune_officer'], comment: 'Lý do cụ thể', documents: ALL_DOCS, failingPreconditions: [], ...over };
}

describe('recognition procedures as data (state × action × role, exhaustively)', () => {
  for (const procedure of PROCEDURE_IDS) {
    const proc = PROCEDURES[procedure];
    it(`${procedure}: every state × action × role gives the move the data defines, or the right refusal`, () => {
      let checked = 0;
      for (const step of proc.steps) {
        for (const action of DOSSIER_ACTIONS) {
          for (const role of ROLES) {
            const r = nextState(req({ procedure, state: step.id, action, roles: [role] }));
            const t = step.transitions.find((x) => x.action === action);
            checked++;
            if (step.terminal) {
              expect(r).toMatchObject({ ok: false, refusal: 'closed' });
            } else if (!t) {
              expect(r).toMatchObject({ ok: false, refusal: 'not_allowed_here' });
            } else if (role !== step.role) {
              expect(r).toMatchObject({ ok: false, refusal: 'wrong_role' });
            } else {
              expect(r).toMatchObject({ ok: true, to: t.to });
              expect(stepOf(procedure, (r as { to: string }).to)).toBeDefined();
            }
            if (!r.ok) {
              expect(r.message.vi.length).toBeGreaterThan(10);
              expect(r.message.en.length).toBeGreaterThan(10);
              expect(r.message.en).not.toBe(r.message.vi);
            }
          }
        }
      }
      expect(checked).toBe(proc.steps.length * DOSSIER_ACTIONS.length * ROLES.length);
    });

    it(`${procedure}: every step is reachable from the start and can reach an end`, () => {
      const reach = new Set<string>([proc.initial]);
      const frontier = [proc.initial as string];
      while (frontier.length) {
        const s = stepOf(procedure, frontier.pop()!)!;
        for (const t of s.transitions) for (const to of t.action === 'return' ? (s.returnTo ?? [t.to]) : [t.to]) if (!reach.has(to)) (reach.add(to), frontier.push(to));
      }
      expect([...reach].sort()).toEqual(proc.steps.map((s) => s.id).sort());
      for (const s of proc.steps) {
        if (s.terminal) expect(s.role).toBeNull();
        else expect(s.transitions.length).toBeGreaterThan(0);
        for (const r of s.returnTo ?? []) expect(stepOf(procedure, r)).toBeDefined();
      }
      const path = mainPath(procedure);
      expect(stepOf(procedure, path.at(-1)!)!.terminal).toBe(procedure === 'revocation' ? 'revoked' : 'recognised');
    });
  }

  it('uses three levels before 1/7/2025 and two from then on', () => {
    expect(procedureForDate('2023-03-20')).toBe('three-level');
    expect(procedureForDate('2025-06-30')).toBe('three-level');
    expect(procedureForDate('2025-07-01')).toBe('two-level');
    expect(mainPath('three-level')).toContain('district_examination');
    expect(mainPath('two-level')).not.toContain('district_examination');
  });

  it('refuses to skip a step, to move forward without the documents, or with a failed condition', () => {
    expect(nextState(req({ state: 'commune_preparing', action: 'submit' }))).toMatchObject({ ok: false, refusal: 'not_allowed_here', details: { allowed: ['open_consultation', 'withdraw'] } });
    const missing = nextState(req({ state: 'commune_finalising', action: 'submit', documents: new Set(['self_assessment_report']) }));
    expect(missing).toMatchObject({ ok: false, refusal: 'missing_documents' });
    expect((missing as unknown as { details: { missing: string[] } }).details.missing).toEqual(['comment_summary', 'satisfaction_survey', 'meeting_minutes', 'submission_letter']);
    const failed = nextState(req({ state: 'commune_finalising', action: 'submit', failingPreconditions: ['satisfaction', 'security'] }));
    expect(failed).toMatchObject({ ok: false, refusal: 'preconditions_failed', details: { preconditions: ['satisfaction', 'security'] } });
    expect((failed as unknown as { message: { vi: string } }).message.vi).toContain('Tỷ lệ người dân hài lòng');
    // Sending back never needs the documents.
    expect(nextState(req({ state: 'province_appraisal', action: 'return', roles: ['province_office'], documents: new Set() }))).toMatchObject({ ok: true, to: 'commune_finalising' });
  });

  it('returns only with reasons, to a step the data allows', () => {
    const base = { procedure: 'three-level' as const, state: 'province_appraisal', action: 'return' as const, roles: ['province_office' as const] };
    expect(nextState(req({ ...base, comment: ' ' }))).toMatchObject({ ok: false, refusal: 'comment_required' });
    expect(nextState(req({ ...base }))).toMatchObject({ ok: true, to: 'district_examination' });
    expect(nextState(req({ ...base, returnTo: 'commune_finalising' }))).toMatchObject({ ok: true, to: 'commune_finalising' });
    expect(nextState(req({ ...base, returnTo: 'commune_preparing' }))).toMatchObject({ ok: false, refusal: 'bad_return_target' });
  });

  it('draws each procedure as a Mermaid state diagram with every transition', () => {
    for (const procedure of PROCEDURE_IDS) {
      const text = toMermaid(procedure);
      expect(text.startsWith('stateDiagram-v2')).toBe(true);
      for (const s of PROCEDURES[procedure].steps) {
        for (const t of s.transitions) {
          for (const to of t.action === 'return' ? (s.returnTo ?? [t.to]) : [t.to]) expect(text).toContain(`${s.id} --> ${to}:`);
        }
      }
    }
  });
});
