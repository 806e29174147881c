/**
 * One lot for staff: status, the full reverse and forward trace as a graph and as a table with who is responsible
 * at each step, its recall and violations, a summary to copy for a caller, and the trace spreadsheet.
 */
import { useMemo, useState } from 'react';
import { seg } from '../api/client';
import type { Answer } from '../api/client';
import type {
  LotCompliance,
  LotRecord,
  MemberRecord,
  RecallRecord,
  SharedTracePage,
  SharedTraceStep,
} from '../api/types';
import { ProblemMessage } from '../components/problem';
import { StatusBadge } from '../components/status-badge';
import { TraceGraph } from '../components/trace-graph';
import type { GraphEdge, GraphNode } from '../components/trace-graph';
import { useResource } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { versionOf } from '../api/violations';
import { categoryLabel, label } from '../i18n/labels';
import { regionName } from '../i18n/regions';
import { Link } from '../router';
import { useSession } from '../session';

/** Organisation names by MSP ID, from the member registry. */
export function useMemberNames(): Record<string, string> {
  const members = useResource<Answer<MemberRecord[]>>('/api/v1/members?pageSize=100');
  return useMemo(
    () => Object.fromEntries((members.data?.data ?? []).map((m) => [m.mspId, m.name])),
    [members.data],
  );
}

/** The lot view; `onOpen` moves to another lot of the trace. */
export function LotTraceView({ lotId, onOpen }: { lotId: string; onOpen: (lotId: string) => void }) {
  const { t, lang, formatDate, formatNumber } = useI18n();
  const { session } = useSession();
  const names = useMemberNames();
  const lot = useResource<Answer<LotRecord>>(`/api/v1/lots/${seg(lotId)}`);
  const backward = useResource<Answer<SharedTracePage>>(
    `/api/v1/lots/${seg(lotId)}/trace?direction=backward`,
  );
  const forward = useResource<Answer<SharedTracePage>>(`/api/v1/lots/${seg(lotId)}/trace?direction=forward`);
  const compliance = useResource<Answer<LotCompliance>>(`/api/v1/lots/${seg(lotId)}/compliance`);
  const recallId = lot.data?.data.recall?.recallId;
  const recall = useResource<Answer<RecallRecord>>(recallId ? `/api/v1/recalls/${seg(recallId)}` : null);
  const [view, setView] = useState<'graph' | 'table'>('graph');
  const [copied, setCopied] = useState<string | null>(null);
  const name = (mspId: string) => names[mspId] ?? mspId;

  const { nodes, edges, steps, events } = useMemo(() => {
    const byLot = new Map<string, { step: SharedTraceStep; layer: number }>();
    for (const step of backward.data?.data.steps ?? []) byLot.set(step.lotId, { step, layer: -step.depth });
    for (const step of forward.data?.data.steps ?? []) {
      if (!byLot.has(step.lotId) || step.depth === 0) byLot.set(step.lotId, { step, layer: step.depth });
    }
    // Links come from every step of both traces (the traced lot's backward links are on its backward step).
    const links = new Map<string, GraphEdge>();
    for (const step of [...(backward.data?.data.steps ?? []), ...(forward.data?.data.steps ?? [])]) {
      for (const link of step.links) {
        links.set(`${link.input}>${link.output}`, { from: link.input, to: link.output, kind: link.kind });
      }
    }
    const graphNodes: GraphNode[] = [...byLot.values()].map(({ step, layer }) => ({
      lotId: step.lotId,
      product: step.product,
      status: step.status,
      custodian: step.custodian,
      layer,
    }));
    const ordered = [...byLot.values()].sort((a, b) => a.layer - b.layer).map((entry) => entry);
    // Each page carries its events once; the steps name them.
    const records = { ...backward.data?.data.events, ...forward.data?.data.events };
    return { nodes: graphNodes, edges: [...links.values()], steps: ordered, events: records };
  }, [backward.data, forward.data]);

  const record = lot.data?.data;
  const violations = compliance.data?.data.violations ?? [];
  const summary = record
    ? [
        `${t('批次', 'Lot')}: ${record.product} (${record.lotId})`,
        `${t('状态', 'Status')}: ${label(lang, 'lotStatus', record.status)}`,
        `${t('生产者', 'Producer')}: ${name(record.producer)}; ${t('当前持有者', 'Custodian')}: ${name(record.custodian)}`,
        `${t('产地', 'Origin')}: ${regionName(lang, record.origin.region)}`,
        recall.data
          ? `${t('召回', 'Recall')}: ${recall.data.data.reason} (${recall.data.data.severity}), ${t('影响批次', 'lots affected')} ${recall.data.data.scope.lots}`
          : '',
        violations.length > 0
          ? `${t('违规', 'Violations')}: ${violations.map((v) => `${v.ruleId} ${v.status}`).join('; ')}`
          : '',
        `${t('上游批次', 'Upstream lots')}: ${Math.max(0, (backward.data?.data.steps.length ?? 1) - 1)}; ${t('下游批次', 'downstream lots')}: ${Math.max(0, (forward.data?.data.steps.length ?? 1) - 1)}`,
        ...steps.map(
          ({ step, layer }) =>
            `  [${layer > 0 ? '+' : ''}${layer}] ${step.product} ${step.lotId} · ${name(step.custodian)} · ${label(lang, 'lotStatus', step.status)}`,
        ),
        `${t('账本交易', 'Ledger transaction')}: ${record.lastTxId}`,
      ]
        .filter(Boolean)
        .join('\n')
    : '';

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(summary);
    } catch {
      const area = document.createElement('textarea');
      area.value = summary;
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(t('摘要已复制，可以直接粘贴给来电者。', 'Summary copied: paste it to answer the caller.'));
  };

  if (lot.error) return <ProblemMessage error={lot.error} />;
  if (!record)
    return (
      <p className="loading" role="status">
        {t('正在加载…', 'Loading…')}
      </p>
    );
  return (
    <div className="lot-view">
      <section className="card">
        <p className="eyebrow">{categoryLabel(lang, record.category)}</p>
        <h2>
          {record.product} <StatusBadge value={record.status} />
        </h2>
        <dl className="facts">
          <div>
            <dt>{t('批次编号', 'Lot ID')}</dt>
            <dd>
              <code>{record.lotId}</code>
            </dd>
          </div>
          <div>
            <dt>{t('追溯码', 'Trace code')}</dt>
            <dd>
              <code>{record.traceCode?.elementString ?? record.lotId}</code>
            </dd>
          </div>
          <div>
            <dt>{t('生产者', 'Producer')}</dt>
            <dd>{name(record.producer)}</dd>
          </div>
          <div>
            <dt>{t('当前持有者', 'Custodian')}</dt>
            <dd>{name(record.custodian)}</dd>
          </div>
          <div>
            <dt>{t('数量', 'Quantity')}</dt>
            <dd>
              {formatNumber(record.remaining)} / {formatNumber(record.quantity)} {record.unit}
            </dd>
          </div>
          <div>
            <dt>{t('产地', 'Origin')}</dt>
            <dd>{regionName(lang, record.origin.region)}</dd>
          </div>
          <div>
            <dt>{t('登记时间', 'Recorded')}</dt>
            <dd>{formatDate(record.createdAt, true)}</dd>
          </div>
          {record.hold ? (
            <div>
              <dt>{t('暂扣原因', 'Hold')}</dt>
              <dd>{record.hold.reason}</dd>
            </div>
          ) : null}
        </dl>
        <div className="actions no-print">
          <button type="button" className="button" onClick={() => void copy()}>
            {t('复制摘要', 'Copy summary')}
          </button>
          {session && session.user.role !== 'call_centre' ? (
            <Link className="button" to={`/enterprise/lots/${seg(lotId)}`}>
              {t('记录事件', 'Record an event')}
            </Link>
          ) : null}
          <a className="button" href={`/api/v1/lots/${seg(lotId)}/trace.xlsx?direction=backward`} download>
            {t('下载追溯表（向上游，xlsx）', 'Download trace (backward, xlsx)')}
          </a>
          <a className="button" href={`/api/v1/lots/${seg(lotId)}/trace.csv?direction=forward`} download>
            {t('下载追溯表（向下游，csv）', 'Download trace (forward, csv)')}
          </a>
        </div>
        <p role="status" aria-live="polite" className={copied ? 'ok-text' : 'sr-only'}>
          {copied ?? ''}
        </p>
      </section>

      {recall.data ? (
        <section className="card" aria-labelledby="recall-title">
          <h2 id="recall-title">{t('召回', 'Recall')}</h2>
          <p>
            <strong>{recall.data.data.reason}</strong> · {t('级别', 'severity')} {recall.data.data.severity} ·{' '}
            {formatDate(recall.data.data.createdAt, true)} · {name(recall.data.data.initiatedBy.mspId)}
          </p>
          <p>
            {t(
              '影响 {n} 个批次；持有者：{c}；地区：{r}',
              '{n} lots affected; custodians: {c}; regions: {r}',
              {
                n: recall.data.data.scope.lots,
                c: recall.data.data.scope.custodians.map(name).join(', ') || '—',
                r: recall.data.data.scope.regions.map((code) => regionName(lang, code)).join(', ') || '—',
              },
            )}
          </p>
        </section>
      ) : null}

      {violations.length > 0 ? (
        <section className="card" aria-labelledby="violations-title">
          <h2 id="violations-title">{t('违规记录', 'Violations')}</h2>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('规则', 'Rule')}</th>
                  <th scope="col">{t('测得值 / 限值', 'Measured / limit')}</th>
                  <th scope="col">{t('责任方', 'Responsible')}</th>
                  <th scope="col">{t('状态', 'Status')}</th>
                </tr>
              </thead>
              <tbody>
                {violations.map((v) => (
                  <tr key={v.id}>
                    <td>
                      {label(lang, 'ruleKind', v.kind)} · {v.ruleSetId} v{versionOf(v)} / {v.ruleId}
                    </td>
                    <td>
                      {String(v.measured ?? '—')} / {String(v.limit ?? '—')} {v.unit ?? ''}
                    </td>
                    <td>{name(v.responsibleMsp)}</td>
                    <td>
                      <StatusBadge value={v.status} vocabulary="lotStatus" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section className="card" aria-labelledby="trace-title">
        <h2 id="trace-title">{t('正向与反向追溯', 'Forward and reverse trace')}</h2>
        <div className="lang-switch tab-switch" role="group" aria-label={t('显示方式', 'View')}>
          <button type="button" aria-pressed={view === 'graph'} onClick={() => setView('graph')}>
            {t('图', 'Graph')}
          </button>
          <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
            {t('表', 'Table')}
          </button>
        </div>
        <ProblemMessage error={backward.error ?? forward.error} />
        {backward.loading || forward.loading ? (
          <p className="loading" role="status">
            {t('正在追溯…', 'Tracing…')}
          </p>
        ) : null}
        <p className="muted">
          {t(
            '左侧为上游（原料与产地），右侧为下游（加工、流通、销售）。',
            'Upstream (inputs and farms) on the left, downstream (processing, distribution, sale) on the right.',
          )}
          {backward.data?.data.truncated || forward.data?.data.truncated
            ? ` ${t('追溯范围过大，只显示了一部分。', 'The trace is too large; only part is shown.')}`
            : ''}
        </p>
        {view === 'graph' ? (
          <TraceGraph nodes={nodes} edges={edges} focusLotId={lotId} onOpen={onOpen} names={names} />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{t('追溯表', 'Trace table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('环节', 'Hop')}</th>
                  <th scope="col">{t('批次', 'Lot')}</th>
                  <th scope="col">{t('状态', 'Status')}</th>
                  <th scope="col">{t('生产者', 'Producer')}</th>
                  <th scope="col">{t('持有者（责任方）', 'Custodian (responsible)')}</th>
                  <th scope="col">{t('地区', 'Region')}</th>
                  <th scope="col">{t('最近事件', 'Latest event')}</th>
                  <th scope="col">{t('交易', 'Transaction')}</th>
                </tr>
              </thead>
              <tbody>
                {steps.map(({ step, layer }) => {
                  const lastId = step.eventIds.at(-1);
                  const last = lastId === undefined ? undefined : events[lastId];
                  return (
                    <tr key={step.lotId} className={step.lotId === lotId ? 'row-selected' : ''}>
                      <td>{layer > 0 ? `+${layer}` : layer}</td>
                      <td>
                        <button type="button" className="link-button" onClick={() => onOpen(step.lotId)}>
                          {step.product}
                        </button>
                        <div>
                          <code>{step.lotId}</code>
                        </div>
                      </td>
                      <td>
                        <StatusBadge value={step.status} />
                      </td>
                      <td>{name(step.producer)}</td>
                      <td>
                        {name(step.custodian)}
                        <div className="muted">
                          {t('登记人', 'recorded by')} {name(step.createdBy.mspId)}
                          {step.createdBy.operator ? ` (${step.createdBy.operator})` : ''}
                        </div>
                      </td>
                      <td>{regionName(lang, step.region)}</td>
                      <td>
                        {last
                          ? `${label(lang, 'stage', last.stage)} · ${formatDate(last.eventTime, true)} · ${name(last.responsible.mspId)}`
                          : '—'}
                      </td>
                      <td>
                        <code className="txid">{step.lastTxId.slice(0, 12)}…</code>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
