/**
 * Defaults of the administrative-document parts (issuing body, number, place, signature,
 * recipients) for a unit, each overridable by the caller. Capitalisation per Decree 30 Appendix II:
 * "Ủy ban nhân dân huyện Bình Lục", "xã Tràng An" in running text.
 */
import type { OfficialHeader, SignatureBlock } from '../model.ts';

/** What a caller may set on an official document. */
export interface OfficialOptions {
  /** "05/BC-UBND"; default "    /BC-UBND" (the number is assigned when the document is registered). */
  number?: string;
  /** Document date (ISO), default the data date. */
  documentDate?: string;
  place?: string;
  parentBody?: string | null;
  issuingBody?: string;
  /** Kính gửi — addressees. */
  recipientsTo?: string[];
  signerAuthority?: string | null;
  signerPosition?: string;
  signerName?: string | null;
  /** Nơi nhận — recipients (without "-" and ";"). */
  recipients?: string[];
  archive?: string;
}

export interface UnitNaming {
  /** "Xã" */
  type: string;
  /** "Tràng An" */
  name: string;
}

/** "xã Tràng An", "thành phố Hà Nội": a unit as written inside a sentence. */
export function unitInText(u: UnitNaming): string {
  return `${u.type.toLowerCase()} ${u.name}`;
}

/** "Xã Tràng An" → "ỦY BAN NHÂN DÂN\nXÃ TRÀNG AN". */
export function committeeOf(u: UnitNaming): string {
  return `ỦY BAN NHÂN DÂN\n${u.type} ${u.name}`.toUpperCase();
}

/** "Ủy ban nhân dân huyện Bình Lục". */
export function committeeInText(u: UnitNaming): string {
  return `Ủy ban nhân dân ${unitInText(u)}`;
}

export function officialHeader(
  unit: UnitNaming,
  o: OfficialOptions,
  parts: { docType: string; summary: string; date: string; symbol?: string; recipientsTo?: string[] },
): OfficialHeader {
  return {
    parentBody: o.parentBody ?? null,
    issuingBody: o.issuingBody ?? committeeOf(unit),
    number: o.number ?? `      /${parts.symbol ?? 'BC-UBND'}`,
    place: o.place ?? unit.name,
    date: o.documentDate ?? parts.date,
    docType: parts.docType,
    summary: parts.summary,
    recipientsTo: o.recipientsTo ?? parts.recipientsTo ?? [],
  };
}

export function signature(o: OfficialOptions, defaults: { recipients: string[] }): SignatureBlock {
  return {
    authority: o.signerAuthority === undefined ? 'TM. ỦY BAN NHÂN DÂN' : o.signerAuthority,
    position: o.signerPosition ?? 'CHỦ TỊCH',
    name: o.signerName ?? null,
    recipients: o.recipients ?? defaults.recipients,
    archive: o.archive ?? 'Lưu: VT',
  };
}
