/**
 * The call-centre console: find a lot from what a caller says (part of the code, the product, the producer, the
 * region, a date), then open it to see its whole trace and answer.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { query, seg } from '../api/client';
import type { LotHit } from '../api/types';
import { Pager, useNumberedPages } from '../components/pager';
import { ProblemMessage } from '../components/problem';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { regionName } from '../i18n/regions';
import { navigate, useLocation, useTitle } from '../router';
import { LotTraceView } from './lot-trace-view';

const FIELDS = ['q', 'producer', 'region', 'from', 'to', 'status'] as const;

/** The console; /call-centre?q=... searches, /call-centre/lots/{lotId} opens a lot. */
export default function CallCentreConsole() {
  const { t } = useI18n();
  const { pathname, search } = useLocation();
  useTitle(t('客服查询', 'Call centre'));
  const lotId = pathname.startsWith('/call-centre/lots/')
    ? decodeURIComponent(pathname.slice('/call-centre/lots/'.length))
    : null;
  const open = (id: string) => navigate(`/call-centre/lots/${seg(id)}`);
  return (
    <main id="main" className="page">
      <h1>{t('客服查询', 'Call centre')}</h1>
      {lotId ? (
        <>
          <p className="no-print">
            <button type="button" className="link-button" onClick={() => window.history.back()}>
              ← {t('返回搜索结果', 'Back to the results')}
            </button>
          </p>
          <LotTraceView lotId={lotId} onOpen={open} />
        </>
      ) : (
        <SearchPanel search={search} onOpen={open} />
      )}
    </main>
  );
}

function SearchPanel({ search, onOpen }: { search: URLSearchParams; onOpen: (lotId: string) => void }) {
  const { t, formatDate } = useI18n();
  const { lang } = useI18n();
  const initial = Object.fromEntries(FIELDS.map((f) => [f, search.get(f) ?? ''])) as Record<
    (typeof FIELDS)[number],
    string
  >;
  const [form, setForm] = useState(initial);
  const hasQuery = FIELDS.some((f) => search.get(f));
  const params = Object.fromEntries(FIELDS.map((f) => [f, search.get(f) ?? undefined]));
  const results = useNumberedPages<LotHit>(hasQuery ? `/api/v1/search/lots${query(params)}` : null, 50);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/call-centre${query(form)}`);
  };
  const set = (name: (typeof FIELDS)[number]) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: event.target.value }));

  return (
    <>
      <form className="card" onSubmit={submit} role="search" aria-label={t('查找批次', 'Find a lot')}>
        <div className="row">
          <div>
            <label htmlFor="cc-q">{t('追溯码片段或产品名', 'Part of the code, or product')}</label>
            <input id="cc-q" value={form.q} onChange={set('q')} placeholder="A1 / 06901234 / 菠菜" />
          </div>
          <div>
            <label htmlFor="cc-producer">{t('生产者', 'Producer')}</label>
            <input
              id="cc-producer"
              value={form.producer}
              onChange={set('producer')}
              placeholder="CoopMSP / Green Valley"
            />
          </div>
          <div>
            <label htmlFor="cc-region">{t('地区代码', 'Region code')}</label>
            <input
              id="cc-region"
              value={form.region}
              onChange={set('region')}
              inputMode="numeric"
              placeholder="3301"
            />
          </div>
        </div>
        <div className="row">
          <div>
            <label htmlFor="cc-from">{t('登记日期自', 'Recorded from')}</label>
            <input id="cc-from" type="date" value={form.from} onChange={set('from')} />
          </div>
          <div>
            <label htmlFor="cc-to">{t('至', 'to')}</label>
            <input id="cc-to" type="date" value={form.to} onChange={set('to')} />
          </div>
          <div>
            <label htmlFor="cc-status">{t('状态', 'Status')}</label>
            <select id="cc-status" value={form.status} onChange={set('status')}>
              <option value="">{t('全部', 'Any')}</option>
              <option value="active">{t('正常', 'Active')}</option>
              <option value="on_hold">{t('暂扣中', 'On hold')}</option>
              <option value="recalled">{t('已召回', 'Recalled')}</option>
              <option value="consumed">{t('已用完', 'Consumed')}</option>
            </select>
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary">
            {t('搜索', 'Search')}
          </button>
        </div>
      </form>
      <ProblemMessage error={results.error} />
      {results.loading ? (
        <p className="loading" role="status">
          {t('正在搜索…', 'Searching…')}
        </p>
      ) : null}
      {results.data ? (
        <section className="card" aria-labelledby="results-title">
          <h2 id="results-title">
            {t('找到 {n} 个批次', '{n} lots found', {
              n: results.data.page?.total ?? results.data.data.length,
            })}
          </h2>
          {results.data.data.length === 0 ? (
            <p className="muted">
              {t(
                '没有匹配的批次。试试更短的代码片段或去掉日期条件。',
                'No lot matches. Try a shorter part of the code, or drop the dates.',
              )}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('产品', 'Product')}</th>
                    <th scope="col">{t('批次编号', 'Lot ID')}</th>
                    <th scope="col">{t('生产者', 'Producer')}</th>
                    <th scope="col">{t('持有者', 'Custodian')}</th>
                    <th scope="col">{t('产地', 'Origin')}</th>
                    <th scope="col">{t('状态', 'Status')}</th>
                    <th scope="col">{t('登记', 'Recorded')}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.data.data.map((hit) => (
                    <tr key={hit.lotId}>
                      <td>
                        <a
                          href={`/call-centre/lots/${seg(hit.lotId)}`}
                          onClick={(event) => {
                            event.preventDefault();
                            onOpen(hit.lotId);
                          }}
                        >
                          {hit.product}
                        </a>
                      </td>
                      <td>
                        <code>{hit.lotId}</code>
                      </td>
                      <td>{hit.producer.name ?? hit.producer.mspId}</td>
                      <td>{hit.custodian.name ?? hit.custodian.mspId}</td>
                      <td>{regionName(lang, hit.originRegion)}</td>
                      <td>
                        <StatusBadge value={hit.status} />
                      </td>
                      <td>{formatDate(hit.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager
            paging={results.paging}
            rows={results.data.data.length}
            label={t('搜索结果', 'Search results')}
          />
        </section>
      ) : null}
    </>
  );
}
