/**
 * "Verified on the alliance chain": for the records behind a page, the transaction ID, block, endorsing
 * organisations and time, read from the ledger itself (GET /api/v1/transactions/{txId}), and a button that reads
 * them again and checks that the ledger still says what the page shows.
 */
import { useCallback, useEffect, useState } from 'react';
import { get } from '../api/client';
import type { Answer } from '../api/client';
import type { TransactionInfo, Verification } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { ProblemMessage } from './problem';

/** One record to verify, with what the page claims about it. */
export interface VerifiedRecord {
  label: string;
  verification: Verification;
}

type Check = { state: 'idle' | 'checking' } | { state: 'done'; ok: boolean; at: Date; mismatches: string[] };

/** The panel. `names` maps MSP IDs to organisation names. */
export function VerifyPanel({
  records,
  names,
}: {
  records: VerifiedRecord[];
  names?: Record<string, string>;
}) {
  const { t, formatDate } = useI18n();
  const [infos, setInfos] = useState<Record<string, TransactionInfo>>({});
  const [error, setError] = useState<unknown>(null);
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const unique = [...new Map(records.map((r) => [r.verification.txId, r])).values()];
  const key = unique.map((r) => r.verification.txId).join(',');

  const load = useCallback(async (): Promise<Record<string, TransactionInfo>> => {
    const answers = await Promise.all(
      unique.map((r) =>
        get<Answer<TransactionInfo>>(`/api/v1/transactions/${encodeURIComponent(r.verification.txId)}`),
      ),
    );
    return Object.fromEntries(answers.map((a) => [a.data.txId, a.data]));
  }, [key]);

  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (loaded) => live && setInfos(loaded),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [load]);

  const recheck = async () => {
    setCheck({ state: 'checking' });
    try {
      const fresh = await load();
      setInfos(fresh);
      const mismatches: string[] = [];
      for (const record of unique) {
        const info = fresh[record.verification.txId];
        if (!info || !info.valid || info.blockNumber !== record.verification.blockNumber)
          mismatches.push(record.label);
      }
      setCheck({ state: 'done', ok: mismatches.length === 0, at: new Date(), mismatches });
    } catch (err) {
      setError(err);
      setCheck({ state: 'idle' });
    }
  };

  const name = (mspId: string) => names?.[mspId] ?? mspId;
  return (
    <section className="card verify" aria-labelledby="verify-title">
      <h2 id="verify-title">
        <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3z" fill="#1b6e3a" />
          <path d="m8 12 3 3 5-6" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" />
        </svg>{' '}
        {t('联盟链存证', 'Verified on the alliance chain')}
      </h2>
      <p className="muted">
        {t(
          '以下记录写在由监管部门和各成员共同维护的联盟区块链上，任何一方都无法单独篡改。',
          'These records are on the alliance blockchain kept by the regulators and members together; no single party can alter them.',
        )}
      </p>
      <ProblemMessage error={error} />
      <dl className="verify-list">
        {unique.map((record) => {
          const info = infos[record.verification.txId];
          return (
            <div key={record.verification.txId} className="verify-item">
              <dt>{record.label}</dt>
              <dd>
                <div>
                  {t('交易 ID', 'Transaction ID')}: <code className="txid">{record.verification.txId}</code>
                </div>
                <div>
                  {t('区块', 'Block')}:{' '}
                  <strong>#{info?.blockNumber ?? record.verification.blockNumber}</strong>
                  {info ? (
                    <>
                      {' '}
                      · {formatDate(info.timestamp, true)} ·{' '}
                      {info.valid ? t('有效', 'valid') : t('无效', 'invalid')}
                    </>
                  ) : null}
                </div>
                {info ? (
                  <div>
                    {t('背书组织', 'Endorsed by')}:{' '}
                    {info.endorsingOrganizations.map(name).join(t('、', ', '))}
                  </div>
                ) : null}
              </dd>
            </div>
          );
        })}
      </dl>
      <div className="verify-actions">
        <button type="button" className="button" onClick={recheck} disabled={check.state === 'checking'}>
          {check.state === 'checking'
            ? t('正在核验…', 'Checking…')
            : t('向账本重新核验', 'Re-check against the ledger')}
        </button>
        <p
          role="status"
          aria-live="polite"
          className={check.state === 'done' ? (check.ok ? 'ok-text' : 'danger-text') : ''}
        >
          {check.state === 'done'
            ? check.ok
              ? t('✓ 与账本一致（{time} 核验）', '✓ Matches the ledger (checked {time})', {
                  time: check.at.toLocaleTimeString(),
                })
              : t('✗ 与账本不一致：{list}', '✗ Does not match the ledger: {list}', {
                  list: check.mismatches.join(', '),
                })
            : ''}
        </p>
      </div>
    </section>
  );
}
