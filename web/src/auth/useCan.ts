/**
 * May the reader do this at all (on some unit)? The server says, in the session (`may`, from its
 * own policy table), so a screen offers only what the server would allow — without shipping the
 * policy table to the browser; the server still checks each unit.
 */
import type { Action } from '../../../src/domain/policy.ts';
import { useMe } from './session.ts';

export function useCan(): (action: Action) => boolean {
  const me = useMe();
  const may = new Set<string>(me.data?.may ?? []);
  return (action) => may.has(action);
}
