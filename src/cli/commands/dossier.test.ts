import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROCEDURE_IDS } from '../../domain/dossier-workflow.ts';
import { diagramsMarkdown, withDiagrams } from './dossier.ts';

describe('datchuan dossier diagram', () => {
  it('docs/dossier.md shows the diagrams generated from the workflow data (rerun `datchuan dossier diagram --write docs/dossier.md` if not)', () => {
    const doc = readFileSync('docs/dossier.md', 'utf8');
    expect(withDiagrams(doc)).toBe(doc);
    expect(doc.match(/```mermaid/g)).toHaveLength(PROCEDURE_IDS.length);
  });

  it('draws one diagram per procedure and refuses a file without the markers', () => {
    expect(diagramsMarkdown().match(/stateDiagram-v2/g)).toHaveLength(PROCEDURE_IDS.length);
    expect(() => withDiagrams('# no markers')).toThrow(/markers/);
  });
});
