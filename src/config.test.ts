import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SATISFACTION_REQUIRED, loadConfig, loadServiceSettings } from './config.ts';
import { cliActor } from './services/actor.ts';
import { DEFAULT_XLSX_LIMITS } from './files/imports/limits.ts';

describe('configuration read in one place', () => {
  it('gives the services their settings: the attachment folder under the data folder, the satisfaction rate, the upload and parse limits', () => {
    expect(loadConfig({}).services).toEqual({ attachmentDir: path.resolve('data/attachments'), satisfactionRequired: DEFAULT_SATISFACTION_REQUIRED, importMaxBytes: 20 * 1024 * 1024, importLimits: DEFAULT_XLSX_LIMITS });
    const env = { DATCHUAN_DATA_DIR: '/srv/datchuan', DATCHUAN_SATISFACTION_REQUIRED: '92.5', DATCHUAN_IMPORT_MAX_BYTES: String(2 * 1024 * 1024), DATCHUAN_IMPORT_MAX_INFLATED_MB: '64', DATCHUAN_IMPORT_MAX_SHARED_STRINGS: '5000', DATCHUAN_IMPORT_PARSE_SECONDS: '10' };
    const c = loadConfig(env);
    expect(c.services).toEqual({
      attachmentDir: '/srv/datchuan/attachments',
      satisfactionRequired: 92.5,
      importMaxBytes: 2 * 1024 * 1024,
      importLimits: { ...DEFAULT_XLSX_LIMITS, maxInflatedBytes: 64 * 1024 * 1024, maxSharedStrings: 5000, parseMs: 10_000 },
    });
    expect(() => loadServiceSettings({ DATCHUAN_IMPORT_MAX_RATIO: '5' })).toThrow(/DATCHUAN_IMPORT_MAX_RATIO/);
    expect(loadServiceSettings(env)).toEqual(c.services);
    expect(() => loadServiceSettings({ DATCHUAN_IMPORT_MAX_BYTES: '1000' })).toThrow(/DATCHUAN_IMPORT_MAX_BYTES/);
    expect(loadConfig({ DATCHUAN_SATISFACTION_REQUIRED: '' }).services.satisfactionRequired).toBe(DEFAULT_SATISFACTION_REQUIRED);
  });

  it('reports a satisfaction rate outside (0, 100] with the other problems', () => {
    for (const bad of ['0', '101', 'chín mươi']) {
      expect(() => loadServiceSettings({ DATCHUAN_SATISFACTION_REQUIRED: bad })).toThrow(/DATCHUAN_SATISFACTION_REQUIRED/);
    }
    let message = '';
    try {
      loadConfig({ DATCHUAN_SATISFACTION_REQUIRED: '150', DATCHUAN_LOCKOUT_THRESHOLD: '0' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('DATCHUAN_SATISFACTION_REQUIRED');
    expect(message).toContain('DATCHUAN_LOCKOUT_THRESHOLD');
  });

  it('listens on the loopback interface unless HOST (or DATCHUAN_HOST) is set', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ DATCHUAN_HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
  });

  it('names the command-line operator from USER', () => {
    expect(loadConfig({ USER: 'van-hanh' }).osUser).toBe('van-hanh');
    expect(cliActor(loadConfig({ USER: 'van-hanh' }).osUser)).toEqual({ id: 'cli:van-hanh', source: 'cli' });
    expect(cliActor(loadConfig({}).osUser)).toEqual({ id: 'cli', source: 'cli' });
  });
});
