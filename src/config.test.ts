import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SATISFACTION_REQUIRED, loadConfig, loadServiceSettings } from './config.ts';
import { cliActor } from './services/actor.ts';

describe('configuration read in one place', () => {
  it('gives the services their settings: the attachment folder under the data folder, the satisfaction rate', () => {
    expect(loadConfig({}).services).toEqual({ attachmentDir: path.resolve('data/attachments'), satisfactionRequired: DEFAULT_SATISFACTION_REQUIRED });
    const c = loadConfig({ DATCHUAN_DATA_DIR: '/srv/datchuan', DATCHUAN_SATISFACTION_REQUIRED: '92.5' });
    expect(c.services).toEqual({ attachmentDir: '/srv/datchuan/attachments', satisfactionRequired: 92.5 });
    expect(loadServiceSettings({ DATCHUAN_DATA_DIR: '/srv/datchuan', DATCHUAN_SATISFACTION_REQUIRED: '92.5' })).toEqual(c.services);
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

  it('names the command-line operator from USER', () => {
    expect(loadConfig({ USER: 'van-hanh' }).osUser).toBe('van-hanh');
    expect(cliActor(loadConfig({ USER: 'van-hanh' }).osUser)).toEqual({ id: 'cli:van-hanh', source: 'cli' });
    expect(cliActor(loadConfig({}).osUser)).toEqual({ id: 'cli', source: 'cli' });
  });
});
