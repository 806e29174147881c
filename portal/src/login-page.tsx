/** The staff login of this organisation's gateway (the user's own organisation). */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ProblemMessage } from './components/problem';
import { useT } from './i18n/i18n';
import { navigate, useLocation, useTitle } from './router';
import { homeOf, useSession } from './session';

/** The login page; `?next=` names the page to go back to. */
export function LoginPage({ organisation }: { organisation: string }) {
  const t = useT();
  useTitle(t('工作人员登录', 'Staff login'));
  const { login } = useSession();
  const { search } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await login(username.trim(), password);
      const next = search.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeOf(session), {
        replace: true,
      });
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="page page-narrow">
      <form className="card form" onSubmit={submit}>
        <h1>{t('工作人员登录', 'Staff login')}</h1>
        <p className="muted">
          {t('登录 {org} 的账号。', 'Log in with your account at {org}.', { org: organisation })}
        </p>
        <label htmlFor="username">{t('用户名', 'User name')}</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <label htmlFor="password">{t('密码', 'Password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <button type="submit" className="button button-primary" disabled={busy || !username || !password}>
          {busy ? t('登录中…', 'Logging in…') : t('登录', 'Log in')}
        </button>
        <ProblemMessage error={error} />
      </form>
    </main>
  );
}
