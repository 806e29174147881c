/**
 * The consumer page of a lot (opened from the package's QR code, /01/{gtin}/10/{lot}): any recall or hold warning
 * first, then the product, its origin, its journey, inspections, cold-chain readings, certificates, and the proof
 * on the alliance chain. The data is the gateway's public view of the lot, read at the same URL as JSON.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Answer } from '../api/client';
import type { JourneyStep, PublicInspection, PublicLot } from '../api/types';
import { TemperatureChart } from '../components/charts';
import { LocationMarker } from '../components/location-marker';
import { ProblemMessage } from '../components/problem';
import { StatusBadge } from '../components/status-badge';
import { VerifyPanel } from '../components/verify-panel';
import type { VerifiedRecord } from '../components/verify-panel';
import { useI18n } from '../i18n/i18n';
import { categoryLabel, label } from '../i18n/labels';
import { regionName } from '../i18n/regions';
import { Link, useTitle } from '../router';

/** The page; `path` is the Digital Link path it was opened at. */
export function LotPage({ path }: { path: string }) {
  const { t } = useI18n();
  const [lot, setLot] = useState<PublicLot | null>(null);
  const [error, setError] = useState<unknown>(null);
  useTitle(lot ? `${lot.product.name} · ${t('追溯', 'Trace')}` : t('追溯查询', 'Trace lookup'));

  useEffect(() => {
    const controller = new AbortController();
    setLot(null);
    setError(null);
    // Always revalidated (a cheap 304 when unchanged): a recall must show the moment it is on the ledger.
    api<Answer<PublicLot>>('GET', path, undefined, { signal: controller.signal, cache: 'no-cache' }).then(
      (answer) => setLot(answer.data),
      (err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(err);
      },
    );
    return () => controller.abort();
  }, [path]);

  if (error) {
    return (
      <main id="main" className="page page-narrow">
        <h1>{t('查询结果', 'Lookup result')}</h1>
        <ProblemMessage error={error} />
        <p>
          <Link to="/" className="button">
            {t('重新输入追溯码', 'Enter another code')}
          </Link>
        </p>
      </main>
    );
  }
  if (!lot) {
    return (
      <main id="main" className="page page-narrow" aria-busy="true">
        <p className="loading" role="status">
          {t('正在读取追溯信息…', 'Reading the trace…')}
        </p>
      </main>
    );
  }
  return <LotView lot={lot} />;
}

function LotView({ lot }: { lot: PublicLot }) {
  const { t, lang, formatDate } = useI18n();
  const names: Record<string, string> = {};
  for (const party of [
    ...(lot.alliance ?? []),
    lot.producer,
    ...lot.journey.map((s) => s.responsible),
    ...lot.origin.map((o) => o.producer),
  ]) {
    names[party.mspId] = party.name;
  }
  const inspections = lot.inspections.filter((i) => i.kind === 'inspection');
  const documents = lot.inspections.filter((i) => i.kind === 'document');
  const records: VerifiedRecord[] = [
    { label: t('批次登记', 'Lot recorded'), verification: lot.verification.created },
    { label: t('最近一次变更', 'Latest change'), verification: lot.verification.lastChange },
    ...(lot.warning?.type === 'recall'
      ? [{ label: t('召回令', 'Recall order'), verification: lot.warning.verification }]
      : []),
    ...lot.inspections.slice(-3).map((i) => ({
      label: `${i.kind === 'inspection' ? label(lang, 'bizStep', i.type) : label(lang, 'docType', i.type)} · ${formatDate(i.date)}`,
      verification: i.verification,
    })),
  ];

  return (
    <main id="main" className="page page-narrow consumer">
      {lot.warning ? <Warning warning={lot.warning} /> : null}

      <section className="card product" aria-labelledby="product-title">
        <p className="eyebrow">{categoryLabel(lang, lot.product.category)}</p>
        <h1 id="product-title">{lot.product.name}</h1>
        <p>
          <StatusBadge value={lot.status} />{' '}
          {lot.compliance.status === 'compliant' && !lot.warning ? (
            <span className="badge badge-ok">{t('合规', 'Compliant')}</span>
          ) : null}
          {lot.compliance.status === 'violations_open' ? (
            <span className="badge badge-warn">{t('存在未处理的违规', 'Open violations')}</span>
          ) : null}
        </p>
        <dl className="facts">
          <div>
            <dt>{t('生产者', 'Producer')}</dt>
            <dd>{lot.producer.name}</dd>
          </div>
          {lot.product.harvestDate ? (
            <div>
              <dt>{t('采收日期', 'Harvested')}</dt>
              <dd>{formatDate(lot.product.harvestDate)}</dd>
            </div>
          ) : null}
          {lot.product.productionDate ? (
            <div>
              <dt>{t('生产日期', 'Produced')}</dt>
              <dd>{formatDate(lot.product.productionDate)}</dd>
            </div>
          ) : null}
          {lot.product.expiryDate ? (
            <div>
              <dt>{t('保质期至', 'Best before')}</dt>
              <dd>{formatDate(lot.product.expiryDate)}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('追溯码', 'Trace code')}</dt>
            <dd>
              <code>{lot.traceCode.elementString}</code>
            </dd>
          </div>
        </dl>
      </section>

      <Origin lot={lot} />

      <section className="card" aria-labelledby="journey-title">
        <h2 id="journey-title">{t('流通历程', 'Journey')}</h2>
        {lot.journey.length === 0 ? (
          <p className="muted">{t('暂无记录。', 'Nothing recorded yet.')}</p>
        ) : (
          <ol className="timeline">
            {lot.journey.map((step) => (
              <TimelineStep
                key={step.verification.txId + step.lot.lotId}
                step={step}
                current={lot.product.name}
              />
            ))}
          </ol>
        )}
      </section>

      <section className="card" aria-labelledby="inspections-title">
        <h2 id="inspections-title">{t('检验检测', 'Inspections')}</h2>
        {inspections.length === 0 && lot.compliance.openViolations.length === 0 ? (
          <p className="muted">{t('暂无检验记录。', 'No inspections recorded.')}</p>
        ) : (
          <ul className="plain-list">
            {inspections.map((inspection) => (
              <InspectionItem key={inspection.verification.txId + inspection.lotId} inspection={inspection} />
            ))}
          </ul>
        )}
        {lot.compliance.openViolations.length > 0 ? (
          <div className="alert alert-warn">
            <p className="alert-title">{t('未处理的违规', 'Open violations')}</p>
            <ul>
              {lot.compliance.openViolations.map((v) => (
                <li key={`${v.ruleId}-${v.lotId}-${v.detectedAt}`}>
                  {label(lang, 'ruleKind', v.kind)} ({v.ruleId}) · {formatDate(v.detectedAt, true)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      <ColdChain lot={lot} />

      <section className="card" aria-labelledby="docs-title">
        <h2 id="docs-title">{t('证书与证明', 'Certificates')}</h2>
        {documents.length === 0 ? (
          <p className="muted">{t('暂无证书记录。', 'No certificates recorded.')}</p>
        ) : (
          <ul className="plain-list">
            {documents.map((doc) => (
              <li key={doc.verification.txId + doc.type}>
                <strong>{label(lang, 'docType', doc.type)}</strong>
                {doc.result ? (
                  <>
                    {' '}
                    <StatusBadge value={doc.result} vocabulary="disposition" />
                  </>
                ) : null}
                <div className="muted">
                  {doc.by?.name ?? '—'} · {formatDate(doc.date)}
                  {doc.validUntil ? ` · ${t('有效期至', 'valid until')} ${formatDate(doc.validUntil)}` : ''}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <VerifyPanel records={records} names={names} />

      <p className="center">
        <Link to="/" className="button">
          {t('查询其他追溯码', 'Look up another code')}
        </Link>
      </p>
    </main>
  );
}

function Warning({ warning }: { warning: NonNullable<PublicLot['warning']> }) {
  const { t, formatDate } = useI18n();
  if (warning.type === 'recall') {
    return (
      <section className="warning warning-recall" role="alert" aria-labelledby="warning-title">
        <h2 id="warning-title">
          <span aria-hidden="true">⚠ </span>
          {t('召回警告：请勿食用', 'Recall: do not eat this product')}
        </h2>
        <p>
          {t(
            '该产品已被召回。请勿食用，并退回购买地点。',
            'This product has been recalled. Do not eat it; return it to the place of purchase.',
          )}
        </p>
        <dl className="facts">
          <div>
            <dt>{t('原因', 'Reason')}</dt>
            <dd>{warning.reason}</dd>
          </div>
          <div>
            <dt>{t('召回级别', 'Severity')}</dt>
            <dd>{severityName(t, warning.severity)}</dd>
          </div>
          <div>
            <dt>{t('召回时间', 'Since')}</dt>
            <dd>{formatDate(warning.since, true)}</dd>
          </div>
        </dl>
      </section>
    );
  }
  return (
    <section className="warning warning-hold" role="alert" aria-labelledby="warning-title">
      <h2 id="warning-title">
        <span aria-hidden="true">⚠ </span>
        {t('暂扣提示：等待监管部门处理', 'On hold: awaiting a regulator’s decision')}
      </h2>
      <p>
        {t(
          '该产品正在接受监管部门审查，在解除暂扣前请勿食用。',
          'This product is under review by a regulator; do not eat it until it is released.',
        )}
      </p>
      <p className="muted">
        {t('原因', 'Reason')}: {warning.reason}
        {warning.since ? ` · ${formatDate(warning.since, true)}` : ''}
      </p>
    </section>
  );
}

function severityName(t: (zh: string, en: string) => string, severity: string): string {
  switch (severity) {
    case 'I':
    case 'level_1':
      return t('一级（严重健康风险）', 'Class I (serious health risk)');
    case 'II':
    case 'level_2':
      return t('二级', 'Class II');
    case 'III':
    case 'level_3':
      return t('三级', 'Class III');
    default:
      return severity;
  }
}

function Origin({ lot }: { lot: PublicLot }) {
  const { t, lang, formatDate } = useI18n();
  return (
    <section className="card" aria-labelledby="origin-title">
      <h2 id="origin-title">{t('产地', 'Origin')}</h2>
      {lot.origin.length === 0 ? <p className="muted">{t('产地未登记。', 'Origin not recorded.')}</p> : null}
      {lot.origin.map((farm) => {
        const name = regionName(lang, farm.place.region);
        return (
          <div key={farm.lotId} className="origin">
            <p>
              <strong>{name}</strong>
              <br />
              <span className="muted">
                {farm.producer.name}
                {farm.product !== lot.product.name ? ` · ${farm.product}` : ''}
                {farm.harvestDate ? ` · ${t('采收', 'harvested')} ${formatDate(farm.harvestDate)}` : ''}
              </span>
            </p>
            {farm.place.latitude !== undefined && farm.place.longitude !== undefined ? (
              <LocationMarker latitude={farm.place.latitude} longitude={farm.place.longitude} name={name} />
            ) : null}
          </div>
        );
      })}
    </section>
  );
}

function TimelineStep({ step, current }: { step: JourneyStep; current: string }) {
  const { t, lang, formatDate } = useI18n();
  const stage =
    step.stage && step.stage !== 'other'
      ? label(lang, 'stage', step.stage)
      : label(lang, 'bizStep', step.bizStep);
  return (
    <li className={`timeline-step stage-${step.stage}`}>
      <div className="timeline-when">
        <time dateTime={step.date}>{formatDate(step.date, true)}</time>
      </div>
      <div className="timeline-what">
        <strong>{stage}</strong>
        {step.disposition ? (
          <>
            {' '}
            <StatusBadge value={step.disposition} vocabulary="disposition" />
          </>
        ) : null}
        {step.lot.product && step.lot.product !== current ? (
          <span className="muted"> · {step.lot.product}</span>
        ) : null}
        <div className="muted">
          {regionName(lang, step.place.region)}
          {step.place.originRegion ? ` (${t('产地区域', 'region of origin')})` : ''} · {step.responsible.name}
        </div>
      </div>
    </li>
  );
}

function InspectionItem({ inspection }: { inspection: PublicInspection }) {
  const { t, lang, formatDate } = useI18n();
  const results = inspection.results ?? [];
  return (
    <li>
      <strong>{label(lang, 'bizStep', inspection.type)}</strong>{' '}
      {inspection.result ? <StatusBadge value={inspection.result} vocabulary="disposition" /> : null}
      <div className="muted">
        {inspection.by?.name ?? '—'} · {formatDate(inspection.date, true)}
      </div>
      {results.length > 0 ? (
        <div className="table-wrap">
          <table className="table compact results">
            <caption>{t('检测结果与限量', 'Results against limits')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('检测项目', 'Substance')}</th>
                <th scope="col">{t('检测值', 'Measured')}</th>
                <th scope="col">{t('限量', 'Limit')}</th>
                <th scope="col">{t('判定与依据', 'Outcome and rule')}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r, i) => (
                <tr key={`${r.substance}-${i}`} className={r.outcome === 'fail' ? 'row-danger' : ''}>
                  <th scope="row">{r.substance}</th>
                  <td>
                    <Measure value={r.value} unit={r.unit} />
                  </td>
                  <td>{r.limit === null ? '—' : <Measure value={r.limit} unit={r.unit} />}</td>
                  <td>
                    <ResultOutcome outcome={r.outcome} />
                    {r.rule ? (
                      <div className="muted small rule-ref">
                        {r.rule.ruleSetId} v{r.rule.version} · {r.rule.ruleId}
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </li>
  );
}

/** A measured value or limit with its unit; 'ND' reads as not detected. */
function Measure({ value, unit }: { value: number | string; unit: string | null }) {
  const { t, formatNumber } = useI18n();
  if (value === 'ND') return <>{t('未检出', 'not detected')}</>;
  return (
    <>
      {typeof value === 'number' ? formatNumber(value, 4) : value} {unit ?? ''}
    </>
  );
}

/** Within the limit, over it, or no limit for the substance. */
function ResultOutcome({ outcome }: { outcome: string | null }) {
  const { t } = useI18n();
  if (outcome === 'pass') return <span className="badge badge-ok">{t('未超标', 'Within limit')}</span>;
  if (outcome === 'fail') return <span className="badge badge-danger">{t('超标', 'Over limit')}</span>;
  return <span className="muted">{t('无限量标准', 'No limit set')}</span>;
}

function ColdChain({ lot }: { lot: PublicLot }) {
  const { t, formatDate, formatNumber } = useI18n();
  const chain = lot.coldChain;
  if (!chain || chain.readings.length === 0) return null;
  const range = chain.range;
  const rangeText = range
    ? `${range.min !== undefined ? formatNumber(range.min, 1) : '−∞'} … ${range.max !== undefined ? formatNumber(range.max, 1) : '+∞'} °C`
    : t('未适用温度规则', 'no temperature rule applied');
  const outside = (celsius: number) =>
    range !== null &&
    ((range.min !== undefined && celsius < range.min) || (range.max !== undefined && celsius > range.max));
  return (
    <section className="card" aria-labelledby="cold-title">
      <h2 id="cold-title">{t('冷链温度', 'Cold chain')}</h2>
      <TemperatureChart
        points={chain.readings.map((r) => ({ time: r.time, min: r.celsius, max: r.celsius }))}
        range={range ?? undefined}
        title={t('运输与储存温度', 'Transport and storage temperature')}
      />
      <table className="table compact cold-summary">
        <caption>{t('温度记录摘要', 'Summary of the readings')}</caption>
        <tbody>
          <tr>
            <th scope="row">{t('读数', 'Readings')}</th>
            <td>
              {chain.summary.count} · {formatDate(chain.summary.firstTime, true)} –{' '}
              {formatDate(chain.summary.lastTime, true)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('最低 / 最高', 'Lowest / highest')}</th>
            <td>
              {formatNumber(chain.summary.minCelsius, 1)} °C / {formatNumber(chain.summary.maxCelsius, 1)} °C
            </td>
          </tr>
          <tr>
            <th scope="row">{t('允许范围', 'Allowed range')}</th>
            <td>
              {rangeText}
              {range ? (
                <div className="muted small">
                  {range.rule.ruleSetId} v{range.rule.version} / {range.rule.ruleId}
                  {range.toleratedExcursionMinutes !== undefined
                    ? ` · ${t('允许短时超出', 'tolerated outside')} ${range.toleratedExcursionMinutes} min`
                    : ''}
                </div>
              ) : null}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('超出范围', 'Outside the range')}</th>
            <td>
              {t('{n} 个读数，{e} 次超温', '{n} readings in {e} excursion(s)', {
                n: chain.outOfRange,
                e: chain.excursions,
              })}{' '}
              {chain.outcome === 'fail' ? (
                <span className="badge badge-danger">{t('不合规', 'Breach')}</span>
              ) : chain.outcome === 'pass' ? (
                <span className="badge badge-ok">{t('合规', 'Within rules')}</span>
              ) : null}
            </td>
          </tr>
        </tbody>
      </table>
      <details className="readings">
        <summary>{t('查看全部读数', 'Show every reading')}</summary>
        <div className="table-wrap">
          <table className="table compact">
            <caption className="sr-only">{t('温度读数', 'Temperature readings')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('时间', 'Time')}</th>
                <th scope="col">°C</th>
              </tr>
            </thead>
            <tbody>
              {chain.readings.map((r, i) => (
                <tr key={`${r.time}-${i}`} className={outside(r.celsius) ? 'row-danger' : ''}>
                  <td>
                    <time dateTime={r.time}>{formatDate(r.time, true)}</time>
                  </td>
                  <td>
                    {formatNumber(r.celsius, 1)}
                    {outside(r.celsius) ? ` · ${t('超出范围', 'out of range')}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
