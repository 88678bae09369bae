/** Pages that only make sense signed in (administration, audit, own account) send anonymous visitors to sign in and back. */
import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useMe } from './api.ts';

export function useRequireSignIn(): void {
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const anonymous = me.data !== undefined && !me.data.authenticated;
  useEffect(() => {
    if (anonymous) navigate(`/login?next=${encodeURIComponent(`${location.pathname}${location.search}`)}`, { replace: true });
  }, [anonymous, navigate, location.pathname, location.search]);
}
