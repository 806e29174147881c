/** Tabs as links (each tab has its own address, so the browser's back button works). */
import { Link } from '../router';

/** The tab bar; `current` is the active tab's path. */
export function Tabs({
  tabs,
  current,
  label,
}: {
  tabs: { to: string; label: string }[];
  current: string;
  label: string;
}) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <Link key={tab.to} to={tab.to} aria-current={tab.to === current ? 'page' : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
