/** A coloured status pill with its name in words (colour is never the only signal). */
import { useI18n } from '../i18n/i18n';
import { label } from '../i18n/labels';
import type { Vocabulary } from '../i18n/labels';

const TONES: Record<string, string> = {
  active: 'ok',
  approved: 'ok',
  compliant: 'ok',
  accepted: 'ok',
  pass: 'ok',
  conformant: 'ok',
  pending: 'info',
  offered: 'info',
  in_progress: 'info',
  on_hold: 'warn',
  suspended: 'warn',
  open: 'warn',
  violations_open: 'warn',
  recalled: 'danger',
  revoked: 'danger',
  escalated: 'danger',
  fail: 'danger',
  non_conformant: 'danger',
  rejected: 'muted',
  cancelled: 'muted',
  consumed: 'muted',
  released: 'muted',
  complete: 'muted',
};

/** The badge of a status value. */
export function StatusBadge({ value, vocabulary = 'lotStatus' }: { value: string; vocabulary?: Vocabulary }) {
  const { lang } = useI18n();
  return <span className={`badge badge-${TONES[value] ?? 'muted'}`}>{label(lang, vocabulary, value)}</span>;
}
