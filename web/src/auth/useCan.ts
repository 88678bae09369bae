/**
 * May the signed-in reader do this at all (on some unit)? The server's own policy table
 * (src/domain/policy.ts, the same `decide`) on the reader's grants, so a screen offers only what
 * the server would allow; the server still checks each unit.
 */
import { decide, type Action, type Principal } from '../../../src/domain/policy.ts';
import { todayIso } from '../format.ts';
import { useMe } from './api.ts';

export function useCan(): (action: Action) => boolean {
  const me = useMe();
  const s = me.data;
  const principal: Principal =
    s?.authenticated && s.stage === 'active' && s.user
      ? { kind: 'user', userId: s.user.id, username: s.user.username, grants: s.user.grants }
      : { kind: 'anonymous', demoViewer: !!s?.demo };
  const today = todayIso();
  return (action) => decide(principal, action, 'anywhere', today).allowed;
}
