import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { seedDemoData, DEMO_PROVINCE_BEFORE, TRANG_AN } from '../seed/demo.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { backtestUnit, forecastUnit, riskWatch } from './forecast.service.ts';

describeEachDialect('forecasts on the demo history', (ctx) => {
  beforeAll(async () => {
    await seedDemoData(ctx.db, SYSTEM_ACTOR);
  }, 240_000);

  it('measures', async () => {
    let t = Date.now();
    const bt = await backtestUnit(ctx.db, DEMO_PROVINCE_BEFORE, '2025-06-30');
    console.log('backtest ms', Date.now() - t, JSON.stringify({ ...bt, method: undefined }, null, 1));
    t = Date.now();
    const f = await forecastUnit(ctx.db, SYSTEM_ACTOR, TRANG_AN, '2023-09-30', '2023-03-20');
    console.log('forecast ms', Date.now() - t, JSON.stringify(f, null, 1).slice(0, 6000));
    t = Date.now();
    const rw = await riskWatch(ctx.db, SYSTEM_ACTOR, DEMO_PROVINCE_BEFORE, '2025-06-30');
    console.log('risk ms', Date.now() - t, JSON.stringify(rw, null, 1).slice(0, 5000));
    expect(1).toBe(1);
  }, 240_000);
});
