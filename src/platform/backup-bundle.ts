/**
 * The backup bundle: the database copy and every stored file in one stream, so that one file (then
 * encrypted as a whole, backup-crypto.ts) holds everything a restore needs.
 *
 * Layout: MAGIC | parts, each `bytes` long, back to back (the database first, then the files) |
 * the manifest (JSON: every part's name, size and SHA-256) | the manifest's length (8 bytes, big
 * endian). The manifest comes last so that parts are streamed once, hashed as they pass. Reading
 * checks every part's hash before anything is used.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../domain/errors.ts';

export const BUNDLE_MAGIC = Buffer.from('DATCHUAN-BUNDLE-1\n', 'ascii');

export interface BundlePart {
  /** `database` or `files/<relative path>` */
  name: string;
  bytes: number;
  sha256: string;
}

export interface BundleManifest {
  format: 1;
  dialect: 'sqlite' | 'postgres';
  createdAt: string;
  parts: BundlePart[];
  /** Files the database refers to (SHA-256): each must be among the parts. */
  referenced: string[];
}

export function isBundle(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(BUNDLE_MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(BUNDLE_MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** Write a bundle into `out`: the parts from their files, then the manifest. */
export async function writeBundle(out: Writable, parts: ReadonlyArray<{ name: string; file: string }>, meta: Omit<BundleManifest, 'format' | 'parts'>): Promise<BundleManifest> {
  const manifest: BundleManifest = { format: 1, ...meta, parts: [] };
  const source = async function* (): AsyncGenerator<Buffer> {
    yield BUNDLE_MAGIC;
    for (const p of parts) {
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of createReadStream(p.file) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
      manifest.parts.push({ name: p.name, bytes, sha256: hash.digest('hex') });
    }
    const json = Buffer.from(JSON.stringify(manifest), 'utf8');
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(json.length));
    yield json;
    yield len;
  };
  await pipeline(source, out);
  return manifest;
}

function broken(file: string, what: string): DomainError {
  return new DomainError('validation_failed', {
    vi: `Tệp sao lưu "${file}" bị hỏng hoặc không đầy đủ (${what}): không khôi phục gì.`,
    en: `Backup file "${file}" is corrupt or incomplete (${what}): nothing restored.`,
  });
}

export function readManifest(file: string): BundleManifest {
  const size = statSync(file).size;
  if (size < BUNDLE_MAGIC.length + 8) throw broken(file, 'too short');
  const fd = openSync(file, 'r');
  try {
    const len = Buffer.alloc(8);
    readSync(fd, len, 0, 8, size - 8);
    const n = Number(len.readBigUInt64BE());
    if (n <= 0 || n > size - 8 - BUNDLE_MAGIC.length) throw broken(file, 'manifest length');
    const json = Buffer.alloc(n);
    readSync(fd, json, 0, n, size - 8 - n);
    const m = JSON.parse(json.toString('utf8')) as BundleManifest;
    if (m.format !== 1 || !Array.isArray(m.parts)) throw broken(file, 'manifest');
    const total = m.parts.reduce((a, p) => a + p.bytes, 0);
    if (BUNDLE_MAGIC.length + total + n + 8 !== size) throw broken(file, 'sizes do not add up');
    return m;
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw broken(file, 'manifest');
  } finally {
    closeSync(fd);
  }
}

/**
 * Extract every part into `dir` (`database`, `files/…`), checking each SHA-256; a part whose hash
 * differs is refused by name and nothing extracted is kept by the caller.
 */
export async function extractBundle(file: string, dir: string, manifest: BundleManifest = readManifest(file)): Promise<void> {
  let offset = BUNDLE_MAGIC.length;
  for (const p of manifest.parts) {
    const rel = path.normalize(p.name);
    if (path.isAbsolute(rel) || rel.startsWith('..')) throw broken(file, `part name ${p.name}`);
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    const hash = createHash('sha256');
    const tee = new Transform({
      transform(chunk: Buffer, _e, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const input: Readable = p.bytes > 0 ? createReadStream(file, { start: offset, end: offset + p.bytes - 1 }) : Readable.from([]);
    const tmp = `${target}.part`;
    await pipeline(input, tee, createWriteStream(tmp, { mode: 0o600 }));
    if (hash.digest('hex') !== p.sha256) throw broken(file, `${p.name} does not match its checksum`);
    renameSync(tmp, target);
    offset += p.bytes;
  }
}
