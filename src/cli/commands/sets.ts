/**
 * `datchuan sets …`: criteria sets kept in the database (drafts a province office edits, versions
 * it publishes) — the same use cases as the API and the web editor. The shipped national files
 * stay read-only (`datchuan catalog …`). Acting from the command line is the server operator
 * (`cli:<os user>`): four-eyes still holds — the operator cannot verify what the operator entered.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  attachSourceCopy,
  createDraft,
  editDraft,
  getAuthoredVersion,
  listAuthoredVersions,
  previewImpact,
  publishDraft,
  verifyIndicator,
  type AuthoredVersion,
  type AuthoredVersionSummary,
} from '../../services/criteria-authoring.service.ts';
import { DomainError } from '../../domain/errors.ts';
import type { SetEdit } from '../../catalog/edit.ts';
import { withDatabase } from '../context.ts';
import { isoDate, out } from '../io.ts';

function line(s: AuthoredVersionSummary): string {
  const c = s.counts;
  const counts = c ? `${c.criteria} tiêu chí, ${c.indicators} chỉ tiêu (${c.provenance.official} chính thức, ${c.provenance.secondary} thứ cấp, ${c.provenance.reconstructed} tái dựng)` : 'có lỗi / has problems';
  return `${s.setId}@${s.setVersion}\t${s.status === 'draft' ? 'dự thảo / draft' : 'đã ban hành / published'}\t${s.validFrom} – ${s.validTo ?? '…'}\t${counts}\t${s.awaitingVerification} chờ xác minh / awaiting verification\t${s.name}`;
}

function show(v: AuthoredVersion, json: boolean | undefined): void {
  if (json) return out(JSON.stringify(v));
  out(line(v));
  for (const p of v.problems) out(`  lỗi / problem ${p.field}: ${p.message_vi} / ${p.message}`);
}

function readEdit(file: string): SetEdit {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  try {
    return JSON.parse(text) as SetEdit;
  } catch (e) {
    throw new DomainError('validation_failed', { vi: `Tệp thao tác "${file}" không phải JSON hợp lệ: ${(e as Error).message}`, en: `The edit file "${file}" is not valid JSON: ${(e as Error).message}` });
  }
}

const version = (s: string) => Number.parseInt(s, 10);

export function registerSetCommands(program: Command): void {
  const sets = program
    .command('sets')
    .description('Bộ tiêu chí soạn trong ứng dụng: dự thảo, xác minh, ban hành / criteria sets kept in the database: drafts, verification, publishing');

  sets
    .command('list')
    .description('Các phiên bản đã lưu (dự thảo và đã ban hành) / stored versions (drafts and published)')
    .option('--json', 'JSON')
    .action(async (o: { json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const items = await listAuthoredVersions(db, actor);
        if (o.json) out(JSON.stringify({ items }));
        else if (items.length === 0) out('Chưa có bộ tiêu chí nào trong cơ sở dữ liệu / no stored criteria sets');
        else for (const s of items) out(line(s));
      }, { migrate: true }),
    );

  sets
    .command('show <setId> <version>')
    .description('Một phiên bản: nội dung, lỗi, xác minh / one version: document, problems, verification')
    .option('--json', 'JSON')
    .action(async (id: string, v: string, o: { json?: boolean }) => withDatabase(async ({ db, actor }) => show(await getAuthoredVersion(db, actor, id, version(v)), o.json), { migrate: true }));

  sets
    .command('draft')
    .description('Tạo dự thảo: bộ của tỉnh dựa trên một bộ (--based-on, --id, --province) hoặc phiên bản mới (--new-version-of) / create a draft')
    .option('--based-on <setId>', 'bộ gốc, vd. xa-ntm-2026-2030 / the set it is based on')
    .option('--id <setId>', 'mã bộ mới / the new set id')
    .option('--province <unitId>', 'tỉnh ban hành, vd. 37@2025-07 / the province unit')
    .option('--new-version-of <setId>', 'tạo phiên bản mới của bộ đã lưu / a new version of a stored set')
    .option('--name <name>', 'tên bộ / the set name')
    .option('--from <date>', 'có hiệu lực từ (dd/mm/yyyy) / valid from')
    .option('--to <date>', 'hết hiệu lực (dd/mm/yyyy) / valid to')
    .option('--json', 'JSON')
    .action(async (o: { basedOn?: string; id?: string; province?: string; newVersionOf?: string; name?: string; from?: string; to?: string; json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const v = await createDraft(db, actor, {
          ...(o.basedOn ? { basedOn: o.basedOn } : {}),
          ...(o.id ? { setId: o.id } : {}),
          ...(o.province ? { provinceId: o.province } : {}),
          ...(o.newVersionOf ? { newVersionOf: o.newVersionOf } : {}),
          ...(o.name ? { name: o.name } : {}),
          ...(o.from ? { validFrom: isoDate(o.from)! } : {}),
          ...(o.to ? { validTo: isoDate(o.to)! } : {}),
        });
        show(v, o.json);
      }, { migrate: true }),
    );

  sets
    .command('edit <setId> <version> <editFile>')
    .description('Một thao tác trên dự thảo, từ tệp JSON (- là stdin): {"op":"put","criterion":"2","indicator":{…}} | remove | split | criterion | header — xem docs/catalog.md / one edit from a JSON file')
    .option('--json', 'JSON')
    .action(async (id: string, v: string, file: string, o: { json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const current = await getAuthoredVersion(db, actor, id, version(v));
        show(await editDraft(db, actor, id, version(v), { version: current.version, edit: readEdit(file) }), o.json);
      }, { migrate: true }),
    );

  sets
    .command('source <setId> <version> <indicator> <file>')
    .description('Đính kèm bản sao văn bản nguồn (PDF, ảnh) của chỉ tiêu / attach the copy of the source (PDF, image)')
    .option('--json', 'JSON')
    .action(async (id: string, v: string, code: string, file: string, o: { json?: boolean }) =>
      withDatabase(async ({ db, actor, config }) => show(await attachSourceCopy(db, actor, id, version(v), code, { data: readFileSync(file), filename: basename(file) }, config.services.attachmentDir), o.json), { migrate: true }),
    );

  sets
    .command('verify <setId> <version> <indicator>')
    .description('Xác minh chỉ tiêu với văn bản gốc đính kèm (người thứ hai, không phải người nhập) / verify an indicator (a second person)')
    .option('--json', 'JSON')
    .action(async (id: string, v: string, code: string, o: { json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const current = await getAuthoredVersion(db, actor, id, version(v));
        show(await verifyIndicator(db, actor, id, version(v), code, { version: current.version }), o.json);
      }, { migrate: true }),
    );

  sets
    .command('impact <setId> <version>')
    .description('Ảnh hưởng nếu ban hành: số kết quả thay đổi, xã đổi mức đạt / what publishing would change')
    .option('--json', 'JSON')
    .action(async (id: string, v: string, o: { json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const r = await previewImpact(db, actor, id, version(v));
        if (o.json) return out(JSON.stringify(r));
        out(`Ban hành sẽ thay đổi ${r.changedVerdicts}/${r.reviews} kết quả đánh giá; ${r.levelChanges.length} bản rà soát đổi mức đạt / publishing changes ${r.changedVerdicts} of ${r.reviews} verdicts; ${r.levelChanges.length} change level`);
        for (const c of r.levelChanges) out(`  ${c.unitName} ${c.reviewedOn}: ${c.from ?? 'chưa đạt'} → ${c.to ?? 'chưa đạt'}`);
      }, { migrate: true }),
    );

  sets
    .command('publish <setId> <version>')
    .description('Ban hành phiên bản (không sửa được nữa) và đánh giá lại các bản rà soát của bộ / publish (frozen) and re-evaluate the set\'s reviews')
    .option('--json', 'JSON')
    .action(async (id: string, v: string, o: { json?: boolean }) =>
      withDatabase(async ({ db, actor }) => {
        const current = await getAuthoredVersion(db, actor, id, version(v));
        if (!o.json) process.stderr.write('Đang ban hành và đánh giá lại / publishing and re-evaluating…\n');
        const done = await publishDraft(db, actor, id, version(v), { version: current.version }, { wait: true });
        const r = (await getAuthoredVersion(db, actor, id, version(v))).reevaluation;
        if (o.json) return out(JSON.stringify({ ...done, reevaluation: r }));
        show(done, false);
        if (r) out(`Đánh giá lại ${r.done}/${r.total} bản rà soát trong ${r.ms} ms: ${r.changedVerdicts} kết quả thay đổi, ${r.levelChanges.length} đổi mức đạt / re-evaluated ${r.done} of ${r.total} reviews in ${r.ms} ms: ${r.changedVerdicts} verdicts changed, ${r.levelChanges.length} level changes`);
      }, { migrate: true }),
    );
}
