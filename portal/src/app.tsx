/**
 * The portal: one page per surface, chosen by path. The consumer pages load first and alone; the consoles (call
 * centre, regulator, enterprise) are separate chunks fetched only after a login.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { get } from './api/client';
import type { Answer } from './api/client';
import type { GatewayInfo, SessionInfo } from './api/types';
import { HomePage } from './consumer/home-page';
import { LotPage } from './consumer/lot-page';
import { LanguageSwitch, useI18n } from './i18n/i18n';
import { label } from './i18n/labels';
import { LoginPage } from './login-page';
import { Link, navigate, useLocation, useTitle } from './router';
import { homeOf, useSession } from './session';

const CallCentreConsole = lazy(() => import('./call-centre/call-centre-console'));
const RegulatorDashboard = lazy(() => import('./regulator/regulator-dashboard'));
const EnterpriseConsole = lazy(() => import('./enterprise/enterprise-console'));

const DIGITAL_LINK = /^\/01\/[^/]+\/10\/[^/]+(\/21\/[^/]+)?\/?$/;

/** The whole portal. */
export function App() {
  const { pathname } = useLocation();
  const [info, setInfo] = useState<GatewayInfo | null>(null);
  useEffect(() => {
    get<Answer<GatewayInfo>>('/api/v1').then(
      (answer) => setInfo(answer.data),
      () => setInfo(null),
    );
  }, []);
  const organisation = info?.displayName ?? '';

  let page: ReactNode;
  if (DIGITAL_LINK.test(pathname)) page = <LotPage path={pathname} />;
  else if (pathname === '/' || pathname === '/lookup') page = <HomePage />;
  else if (pathname === '/login') page = <LoginPage organisation={organisation} />;
  else if (pathname.startsWith('/call-centre'))
    page = (
      <Staff allow={() => true}>
        <CallCentreConsole />
      </Staff>
    );
  else if (pathname.startsWith('/regulator'))
    page = (
      <Staff allow={(s) => s.user.role === 'regulator' && s.organisation.role === 'regulator'}>
        <RegulatorDashboard />
      </Staff>
    );
  else if (pathname.startsWith('/enterprise'))
    page = (
      <Staff
        allow={(s) =>
          s.user.role === 'operator' || s.user.role === 'inspector' || s.user.role === 'regulator'
        }
      >
        <EnterpriseConsole />
      </Staff>
    );
  else page = <NotFound />;

  return (
    <>
      <a className="skip-link" href="#main">
        <SkipText />
      </a>
      <Header organisation={organisation} />
      {page}
      <Footer info={info} />
    </>
  );
}

function SkipText() {
  const { t } = useI18n();
  return <>{t('跳到正文', 'Skip to content')}</>;
}

function Header({ organisation }: { organisation: string }) {
  const { t, lang } = useI18n();
  const { session, logout } = useSession();
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/" className="brand">
          <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="#1b6e3a" />
            <path d="M9 20c0-6 5-11 14-11-1 9-6 14-12 14-1 0-2 0-2-3z" fill="#fff" />
          </svg>
          <span>{t('农产品追溯', 'AgriTrace')}</span>
        </Link>
        <nav aria-label={t('主导航', 'Main')} className="site-nav">
          {session ? (
            <>
              <Link to={homeOf(session)}>{t('工作台', 'Console')}</Link>
              <Link to="/call-centre">{t('查询', 'Search')}</Link>
              <span className="who" title={organisation}>
                {session.user.displayName} · {label(lang, 'userRole', session.user.role)}
              </span>
              <button
                type="button"
                className="link-button"
                onClick={() => void logout().then(() => navigate('/login'))}
              >
                {t('退出', 'Log out')}
              </button>
            </>
          ) : (
            <Link to="/login">{t('工作人员登录', 'Staff login')}</Link>
          )}
          <LanguageSwitch />
        </nav>
      </div>
    </header>
  );
}

function Footer({ info }: { info: GatewayInfo | null }) {
  const { t } = useI18n();
  return (
    <footer className="site-footer">
      <p>
        {t(
          '农产品质量安全联盟链追溯平台 · 由商务部、财政部与联盟成员共同维护',
          'Agricultural product quality and safety traceability on an alliance chain · kept by the ministries and the alliance members',
        )}
        {info ? ` · ${t('本站由 {org} 提供', 'served by {org}', { org: info.displayName })}` : ''}
      </p>
    </footer>
  );
}

/** A staff page: logs in first, and tells a user whose role does not fit. */
function Staff({ allow, children }: { allow: (session: SessionInfo) => boolean; children: ReactNode }) {
  const { t } = useI18n();
  const { session } = useSession();
  const { href } = useLocation();
  useEffect(() => {
    if (session === null) navigate(`/login?next=${encodeURIComponent(href)}`, { replace: true });
  }, [session, href]);
  if (!session) {
    return (
      <main id="main" className="page" aria-busy="true">
        <p className="loading" role="status">
          {t('正在加载…', 'Loading…')}
        </p>
      </main>
    );
  }
  if (!allow(session)) {
    return (
      <main id="main" className="page page-narrow">
        <h1>{t('无权访问', 'Not available to you')}</h1>
        <div className="alert alert-warn" role="alert">
          <p className="alert-title">
            {t('您的账号角色不能使用此页面。', 'This page is not available to your account’s role.')}
          </p>
        </div>
        <p>
          <Link to={homeOf(session)} className="button">
            {t('回到我的工作台', 'Back to my console')}
          </Link>
        </p>
      </main>
    );
  }
  return (
    <Suspense
      fallback={
        <main id="main" className="page" aria-busy="true">
          <p className="loading" role="status">
            {t('正在加载…', 'Loading…')}
          </p>
        </main>
      }
    >
      {children}
    </Suspense>
  );
}

function NotFound() {
  const { t } = useI18n();
  useTitle(t('页面不存在', 'Page not found'));
  return (
    <main id="main" className="page page-narrow">
      <h1>{t('页面不存在', 'Page not found')}</h1>
      <p>
        <Link to="/" className="button">
          {t('回到首页', 'Home')}
        </Link>
      </p>
    </main>
  );
}
