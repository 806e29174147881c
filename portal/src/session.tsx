/** The logged-in user, shared by the consoles: read once from GET /api/v1/session, set by login, cleared by logout. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, ApiProblem, setCsrfToken } from './api/client';
import type { Answer } from './api/client';
import type { SessionInfo } from './api/types';

interface SessionContextValue {
  /** undefined while loading, null when nobody is logged in. */
  session: SessionInfo | null | undefined;
  login: (username: string, password: string) => Promise<SessionInfo>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Provides the session. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);

  const adopt = useCallback((next: SessionInfo | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSession(next);
  }, []);

  useEffect(() => {
    api<Answer<SessionInfo | null>>('GET', '/api/v1/session').then(
      (answer) => adopt(answer.data),
      () => adopt(null),
    );
  }, [adopt]);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      login: async (username, password) => {
        const answer = await api<Answer<SessionInfo>>('POST', '/api/v1/session', { username, password });
        adopt(answer.data);
        return answer.data;
      },
      logout: async () => {
        try {
          await api('DELETE', '/api/v1/session');
        } catch (err) {
          if (!(err instanceof ApiProblem)) throw err;
        }
        adopt(null);
      },
    }),
    [session, adopt],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session context. */
export function useSession(): SessionContextValue {
  const context = useContext(SessionContext);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}

/** The console a user lands on after logging in. */
export function homeOf(session: SessionInfo): string {
  switch (session.user.role) {
    case 'regulator':
      return '/regulator';
    case 'call_centre':
      return '/call-centre';
    default:
      return '/enterprise';
  }
}
