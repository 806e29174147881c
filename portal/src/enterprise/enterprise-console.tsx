/**
 * The enterprise console of a member: its lots and their status, creating lots and printing their labels,
 * recording events, offering and accepting transfers, transformations, its violations and holds, and its devices.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { DEVICE_KINDS } from '../../../chaincode/src/shared/devices';
import { LIFE_CYCLE_STAGES } from '../../../chaincode/src/shared/epcis';
import { UNIT_SYMBOLS } from '../../../chaincode/src/shared/units';
import { get, post, query, seg } from '../api/client';
import type { Answer } from '../api/client';
import type {
  DeviceRecord,
  LotEventRecord,
  LotHit,
  LotRecord,
  MemberRecord,
  TransferRecord,
  Violation,
} from '../api/types';
import { useMemberNames } from '../call-centre/lot-trace-view';
import { Feedback } from '../components/feedback';
import { Pager, useBookmarkPages, useNumberedPages } from '../components/pager';
import { ProblemMessage } from '../components/problem';
import { StatusBadge } from '../components/status-badge';
import { Tabs } from '../components/tabs';
import { useAction, useResource } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { versionOf } from '../api/violations';
import { categoryLabel, label } from '../i18n/labels';
import { regionName } from '../i18n/regions';
import { Link, navigate, useLocation, useTitle } from '../router';
import { useSession } from '../session';

/** Business steps offered in the event form, in life-cycle order. */
const EVENT_STEPS = [
  'commissioning',
  'inspecting',
  'sampling',
  'packing',
  'storing',
  'shipping',
  'receiving',
  'arriving',
  'retail_selling',
  'destroying',
] as const;
const DISPOSITION_CHOICES = [
  '',
  'conformant',
  'non_conformant',
  'in_transit',
  'sellable_accessible',
  'retail_sold',
] as const;

/** The console; one tab per path. */
export default function EnterpriseConsole() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const { session } = useSession();
  useTitle(t('企业工作台', 'Enterprise console'));
  const mspId = session?.organisation.mspId ?? '';
  const tabs = [
    { to: '/enterprise', label: t('我的批次', 'Our lots') },
    { to: '/enterprise/new', label: t('新建批次', 'New lot') },
    { to: '/enterprise/transfers', label: t('交接', 'Transfers') },
    { to: '/enterprise/transform', label: t('加工转换', 'Transformations') },
    { to: '/enterprise/compliance', label: t('违规与暂扣', 'Violations and holds') },
    { to: '/enterprise/devices', label: t('设备', 'Devices') },
  ];
  const lotId = pathname.startsWith('/enterprise/lots/')
    ? decodeURIComponent(pathname.slice('/enterprise/lots/'.length))
    : null;
  const current = lotId
    ? '/enterprise'
    : (tabs.find((tab) => tab.to !== '/enterprise' && pathname.startsWith(tab.to))?.to ?? '/enterprise');
  return (
    <main id="main" className="page">
      <h1>
        {t('企业工作台', 'Enterprise console')}
        {session ? <span className="muted"> · {session.organisation.displayName}</span> : null}
      </h1>
      <Tabs tabs={tabs} current={current} label={t('企业功能', 'Enterprise sections')} />
      {lotId ? <LotDetail lotId={lotId} mspId={mspId} /> : null}
      {!lotId && current === '/enterprise' ? <LotList /> : null}
      {current === '/enterprise/new' ? <CreateLot /> : null}
      {current === '/enterprise/transfers' ? <Transfers /> : null}
      {current === '/enterprise/transform' ? <Transform /> : null}
      {current === '/enterprise/compliance' ? <Compliance mspId={mspId} /> : null}
      {current === '/enterprise/devices' ? <Devices /> : null}
    </main>
  );
}

function LotList() {
  const { t, lang, formatNumber } = useI18n();
  const lots = useBookmarkPages<LotRecord>('/api/v1/lots');
  return (
    <section className="card" aria-labelledby="lots-title">
      <h2 id="lots-title">{t('本单位持有的批次', 'Lots we hold')}</h2>
      <ProblemMessage error={lots.error} />
      {lots.loading ? (
        <p className="loading" role="status">
          {t('正在加载…', 'Loading…')}
        </p>
      ) : null}
      {lots.data && lots.data.data.length === 0 && lots.paging.page === 1 ? (
        <p className="muted">
          {t('还没有批次。', 'No lots yet.')}{' '}
          <Link to="/enterprise/new">{t('新建一个批次', 'Create one')}</Link>
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('产品', 'Product')}</th>
              <th scope="col">{t('批次编号', 'Lot ID')}</th>
              <th scope="col">{t('剩余 / 总量', 'Remaining / total')}</th>
              <th scope="col">{t('类别', 'Category')}</th>
              <th scope="col">{t('状态', 'Status')}</th>
            </tr>
          </thead>
          <tbody>
            {(lots.data?.data ?? []).map((lot) => (
              <tr key={lot.lotId}>
                <td>
                  <Link to={`/enterprise/lots/${seg(lot.lotId)}`}>{lot.product}</Link>
                </td>
                <td>
                  <code>{lot.lotId}</code>
                </td>
                <td>
                  {formatNumber(lot.remaining)} / {formatNumber(lot.quantity)} {lot.unit}
                </td>
                <td>{categoryLabel(lang, lot.category)}</td>
                <td>
                  <StatusBadge value={lot.status} />
                  {lot.pendingTransferId ? (
                    <span className="badge badge-info">{t('交接中', 'Offered')}</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager paging={lots.paging} rows={lots.data?.data.length ?? 0} label={t('批次', 'Lots')} />
    </section>
  );
}

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function CreateLot() {
  const { t, lang } = useI18n();
  const action = useAction();
  const [form, setForm] = useState({
    gtin: '',
    lot: '',
    product: '',
    category: 'vegetables',
    quantity: '',
    unit: 'kg',
    region: '',
    latitude: '',
    longitude: '',
    harvestDate: today(),
    expiryDate: '',
    stage: 'harvest',
  });
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: event.target.value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      gtin: form.gtin.trim(),
      lot: form.lot.trim(),
      product: form.product.trim(),
      category: form.category.trim(),
      quantity: Number(form.quantity),
      unit: form.unit,
      origin: {
        ...(form.region ? { region: form.region.trim() } : {}),
        ...(form.latitude && form.longitude
          ? { latitude: Number(form.latitude), longitude: Number(form.longitude) }
          : {}),
      },
      ...(form.harvestDate ? { harvestDate: form.harvestDate } : {}),
      ...(form.expiryDate ? { expiryDate: form.expiryDate } : {}),
      stage: form.stage,
    };
    const answer = await action.run(() => post<Answer<{ lot: LotRecord }>>('/api/v1/lots', body));
    if (answer) navigate(`/enterprise/lots/${seg(answer.data.lot.lotId)}?created=1`);
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">{t('新建批次', 'New lot')}</h2>
      <div className="row">
        <div>
          <label htmlFor="lot-gtin">{t('商品条码 GTIN', 'GTIN')}</label>
          <input
            id="lot-gtin"
            value={form.gtin}
            onChange={set('gtin')}
            inputMode="numeric"
            required
            aria-describedby="gtin-help"
          />
          <p id="gtin-help" className="help">
            {t('8、12、13 或 14 位，含校验位', '8, 12, 13 or 14 digits with the check digit')}
          </p>
        </div>
        <div>
          <label htmlFor="lot-lot">{t('批号', 'Batch/lot')}</label>
          <input id="lot-lot" value={form.lot} onChange={set('lot')} required maxLength={20} />
        </div>
        <div>
          <label htmlFor="lot-product">{t('产品名称', 'Product')}</label>
          <input id="lot-product" value={form.product} onChange={set('product')} required />
        </div>
      </div>
      <div className="row">
        <div>
          <label htmlFor="lot-category">{t('类别', 'Category')}</label>
          <input
            id="lot-category"
            value={form.category}
            onChange={set('category')}
            required
            aria-describedby="category-help"
          />
          <p id="category-help" className="help">
            {t('如 vegetables/spinach，当前：', 'e.g. vegetables/spinach; now:')}{' '}
            {categoryLabel(lang, form.category)}
          </p>
        </div>
        <div>
          <label htmlFor="lot-quantity">{t('数量', 'Quantity')}</label>
          <input
            id="lot-quantity"
            type="number"
            min="0"
            step="any"
            value={form.quantity}
            onChange={set('quantity')}
            required
          />
        </div>
        <div>
          <label htmlFor="lot-unit">{t('单位', 'Unit')}</label>
          <select id="lot-unit" value={form.unit} onChange={set('unit')}>
            {UNIT_SYMBOLS.map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="row">
        <div>
          <label htmlFor="lot-region">{t('产地行政区划代码', 'Origin region code')}</label>
          <input
            id="lot-region"
            value={form.region}
            onChange={set('region')}
            inputMode="numeric"
            maxLength={6}
            placeholder="330183"
          />
          <p className="help">{form.region.length === 6 ? regionName(lang, form.region) : '\u00a0'}</p>
        </div>
        <div>
          <label htmlFor="lot-lat">{t('纬度', 'Latitude')}</label>
          <input id="lot-lat" type="number" step="any" value={form.latitude} onChange={set('latitude')} />
        </div>
        <div>
          <label htmlFor="lot-lon">{t('经度', 'Longitude')}</label>
          <input id="lot-lon" type="number" step="any" value={form.longitude} onChange={set('longitude')} />
        </div>
      </div>
      <div className="row">
        <div>
          <label htmlFor="lot-harvest">{t('采收/生产日期', 'Harvest date')}</label>
          <input id="lot-harvest" type="date" value={form.harvestDate} onChange={set('harvestDate')} />
        </div>
        <div>
          <label htmlFor="lot-expiry">{t('保质期至', 'Expiry date')}</label>
          <input id="lot-expiry" type="date" value={form.expiryDate} onChange={set('expiryDate')} />
        </div>
        <div>
          <label htmlFor="lot-stage">{t('环节', 'Stage')}</label>
          <select id="lot-stage" value={form.stage} onChange={set('stage')}>
            {['planting', 'breeding', 'harvest', 'slaughter', 'processing', 'packaging'].map((stage) => (
              <option key={stage} value={stage}>
                {label(lang, 'stage', stage)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={action.busy}>
          {action.busy ? t('正在写入账本…', 'Recording on the ledger…') : t('登记批次', 'Record the lot')}
        </button>
      </div>
      <Feedback error={action.error} done={action.done} />
    </form>
  );
}

function LotDetail({ lotId, mspId }: { lotId: string; mspId: string }) {
  const { t, lang, formatDate, formatNumber } = useI18n();
  const { search } = useLocation();
  const names = useMemberNames();
  const lot = useResource<Answer<LotRecord>>(`/api/v1/lots/${seg(lotId)}`);
  const events = useResource<Answer<LotEventRecord[]>>(`/api/v1/lots/${seg(lotId)}/events?pageSize=100`);
  const members = useResource<Answer<MemberRecord[]>>('/api/v1/members?status=approved&pageSize=100');
  const offer = useAction();
  const record = useAction();
  const [to, setTo] = useState('');
  const [step, setStep] = useState<string>('storing');
  const [disposition, setDisposition] = useState<string>('');
  const [note, setNote] = useState('');
  const [substance, setSubstance] = useState('');
  const [residue, setResidue] = useState('');
  const inspecting = step === 'inspecting' || step === 'sampling';
  const name = (msp: string) => names[msp] ?? msp;
  const data = lot.data?.data;
  const labelReady = useInQueryStore(lotId);

  const submitOffer = async (event: FormEvent) => {
    event.preventDefault();
    await offer.run(
      () => post<Answer<{ transfer: TransferRecord }>>('/api/v1/transfers', { lotId, to }),
      () =>
        t('已向 {to} 发出交接，等待对方接收。', 'Offered to {to}; waiting for them to accept.', {
          to: name(to),
        }),
    );
    lot.reload();
  };
  const submitEvent = async (event: FormEvent) => {
    event.preventDefault();
    await record.run(
      () =>
        post(`/api/v1/lots/${seg(lotId)}/events`, {
          bizStep: step,
          ...(disposition ? { disposition } : {}),
          ...(note ? { note } : {}),
          ...(inspecting && substance && residue !== ''
            ? {
                sensorElementList: [
                  {
                    sensorReport: [
                      {
                        type: 'gs1:MT-Concentration',
                        chemicalSubstance: substance.trim(),
                        value: Number(residue),
                        uom: 'mg/kg',
                      },
                    ],
                  },
                ],
              }
            : {}),
        }),
      () => t('事件已写入账本。', 'The event is on the ledger.'),
    );
    lot.reload();
    events.reload();
  };

  if (lot.error) return <ProblemMessage error={lot.error} />;
  if (!data)
    return (
      <p className="loading" role="status">
        {t('正在加载…', 'Loading…')}
      </p>
    );
  const holder = data.custodian === mspId;
  return (
    <div className="grid grid-2 lot-detail">
      <section className="card" aria-labelledby="lot-title">
        {search.get('created') ? (
          <p className="alert alert-ok" role="status">
            {t(
              '批次已登记到账本。现在可以打印标签。',
              'The lot is recorded on the ledger. You can print its label now.',
            )}
          </p>
        ) : null}
        <p className="eyebrow">{categoryLabel(lang, data.category)}</p>
        <h2 id="lot-title">
          {data.product} <StatusBadge value={data.status} />
        </h2>
        <dl className="facts">
          <div>
            <dt>{t('批次编号', 'Lot ID')}</dt>
            <dd>
              <code>{data.lotId}</code>
            </dd>
          </div>
          <div>
            <dt>{t('数量', 'Quantity')}</dt>
            <dd>
              {formatNumber(data.remaining)} / {formatNumber(data.quantity)} {data.unit}
            </dd>
          </div>
          <div>
            <dt>{t('持有者', 'Custodian')}</dt>
            <dd>{name(data.custodian)}</dd>
          </div>
          <div>
            <dt>{t('产地', 'Origin')}</dt>
            <dd>{regionName(lang, data.origin.region)}</dd>
          </div>
        </dl>
        <p>
          <Link to={`/call-centre/lots/${seg(lotId)}`}>{t('查看完整追溯', 'See the full trace')}</Link>
        </p>
      </section>

      <section className="card label-card" aria-labelledby="label-title">
        <h2 id="label-title">{t('追溯标签', 'Trace label')}</h2>
        {labelReady ? (
          <div className="label-preview">
            <img
              src={`/api/v1/lots/${seg(lotId)}/label.svg`}
              alt={t('GS1 数字链接二维码：{lot}', 'GS1 Digital Link QR code for {lot}', { lot: lotId })}
              width="180"
            />
            <img
              src={`/api/v1/lots/${seg(lotId)}/barcode.svg`}
              alt={t('GS1-128 条码：{lot}', 'GS1-128 barcode for {lot}', { lot: lotId })}
              width="260"
            />
          </div>
        ) : (
          <p className="loading" role="status">
            {t('正在生成标签…', 'Preparing the label…')}
          </p>
        )}
        <p className="muted">
          <code>{data.traceCode?.elementString}</code>
        </p>
        <div className="actions no-print">
          <button type="button" className="button button-primary" onClick={() => window.print()}>
            {t('打印标签', 'Print label')}
          </button>
          <a className="button" href={`/api/v1/lots/${seg(lotId)}/label.png`} download>
            {t('下载 PNG', 'Download PNG')}
          </a>
        </div>
      </section>

      {holder ? (
        <form className="card no-print" onSubmit={submitOffer} aria-labelledby="offer-title">
          <h2 id="offer-title">{t('交接给下游', 'Offer to the next holder')}</h2>
          {data.pendingTransferId ? (
            <p className="alert alert-warn">
              {t('已有一笔交接等待对方处理。', 'An offer is waiting for the receiver.')}
            </p>
          ) : null}
          <label htmlFor="offer-to">{t('接收方', 'Receiver')}</label>
          <select id="offer-to" value={to} onChange={(e) => setTo(e.target.value)} required>
            <option value="">{t('选择成员', 'Choose a member')}</option>
            {(members.data?.data ?? [])
              .filter((m) => m.mspId !== mspId)
              .map((m) => (
                <option key={m.mspId} value={m.mspId}>
                  {m.name} ({label(lang, 'memberRole', m.role)})
                </option>
              ))}
          </select>
          <div className="actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={offer.busy || !to || !!data.pendingTransferId}
            >
              {t('发起交接', 'Offer the lot')}
            </button>
          </div>
          <Feedback error={offer.error} done={offer.done} />
        </form>
      ) : null}

      <form className="card no-print" onSubmit={submitEvent} aria-labelledby="event-title">
        <h2 id="event-title">{t('记录事件', 'Record an event')}</h2>
        <div className="row">
          <div>
            <label htmlFor="event-step">{t('业务环节', 'Business step')}</label>
            <select id="event-step" value={step} onChange={(e) => setStep(e.target.value)}>
              {EVENT_STEPS.map((s) => (
                <option key={s} value={s}>
                  {label(lang, 'bizStep', s)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="event-disposition">{t('处置状态', 'Disposition')}</label>
            <select
              id="event-disposition"
              value={disposition}
              onChange={(e) => setDisposition(e.target.value)}
            >
              {DISPOSITION_CHOICES.map((d) => (
                <option key={d} value={d}>
                  {d ? label(lang, 'disposition', d) : t('（无）', '(none)')}
                </option>
              ))}
            </select>
          </div>
        </div>
        {inspecting ? (
          <div className="row">
            <div>
              <label htmlFor="event-substance">{t('检测项目（农药）', 'Substance tested')}</label>
              <input
                id="event-substance"
                value={substance}
                onChange={(e) => setSubstance(e.target.value)}
                placeholder="carbofuran"
              />
            </div>
            <div>
              <label htmlFor="event-residue">{t('残留量（mg/kg）', 'Residue (mg/kg)')}</label>
              <input
                id="event-residue"
                type="number"
                step="any"
                min="0"
                value={residue}
                onChange={(e) => setResidue(e.target.value)}
                aria-describedby="event-residue-help"
              />
              <p id="event-residue-help" className="help">
                {t(
                  '智能合约按现行 GB 2763 限量自动判定。',
                  'The contract checks it against the GB 2763 limit in force.',
                )}
              </p>
            </div>
          </div>
        ) : null}
        <label htmlFor="event-note">{t('备注', 'Note')}</label>
        <input id="event-note" value={note} onChange={(e) => setNote(e.target.value)} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={record.busy}>
            {t('写入账本', 'Record on the ledger')}
          </button>
        </div>
        <Feedback error={record.error} done={record.done} />
      </form>

      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title">{t('事件记录', 'Events')}</h2>
        <ProblemMessage error={events.error} />
        <ol className="timeline">
          {(events.data?.data ?? []).map((e) => (
            <li key={e.eventId} className={`timeline-step stage-${e.stage}`}>
              <div className="timeline-when">{formatDate(e.eventTime, true)}</div>
              <div>
                <strong>{label(lang, 'stage', e.stage)}</strong> · {label(lang, 'bizStep', e.bizStep)}
                {e.disposition ? <> · {label(lang, 'disposition', e.disposition)}</> : null}
                <div className="muted">
                  {name(e.responsible.mspId)}
                  {e.responsible.operator ? ` · ${e.responsible.operator}` : ''}
                </div>
              </div>
            </li>
          ))}
        </ol>
      </section>
      <ProblemMessage error={members.error} />
    </div>
  );
}

/**
 * True once the gateway's query store holds the lot (labels are drawn from it, a moment after the ledger has the
 * lot): asked through search, which answers an empty page rather than an error while the lot is not there yet.
 */
function useInQueryStore(lotId: string): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    const probe = async (attempt: number) => {
      try {
        const answer = await get<Answer<LotHit[]>>(`/api/v1/search/lots${query({ q: lotId, pageSize: 5 })}`);
        if (answer.data.some((hit) => hit.lotId === lotId)) {
          if (live) setReady(true);
          return;
        }
      } catch {
        /* try again */
      }
      if (live && attempt < 60) timer = window.setTimeout(() => void probe(attempt + 1), 500);
    };
    setReady(false);
    void probe(0);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [lotId]);
  return ready;
}

function Transfers() {
  const { t } = useI18n();
  const names = useMemberNames();
  const incoming = useBookmarkPages<TransferRecord>('/api/v1/transfers?direction=incoming');
  const outgoing = useBookmarkPages<TransferRecord>('/api/v1/transfers?direction=outgoing');
  const action = useAction();
  const decide = (transfer: TransferRecord, verb: 'accept' | 'reject' | 'cancel') =>
    action
      .run(
        () =>
          post(
            `/api/v1/transfers/${seg(transfer.transferId)}/${verb}`,
            verb === 'accept'
              ? {}
              : {
                  reason: verb === 'reject' ? t('拒收', 'rejected by the receiver') : t('撤回', 'withdrawn'),
                },
          ),
        () =>
          verb === 'accept'
            ? t('已接收批次 {lot}，现在由本单位持有。', 'Accepted lot {lot}; it is now ours.', {
                lot: transfer.lotId,
              })
            : t('已处理交接 {lot}。', 'Transfer of {lot} closed.', { lot: transfer.lotId }),
      )
      .then(() => {
        incoming.reload();
        outgoing.reload();
      });
  const table = (rows: TransferRecord[] | undefined, side: 'incoming' | 'outgoing') => (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('批次', 'Lot')}</th>
            <th scope="col">{side === 'incoming' ? t('来自', 'From') : t('发往', 'To')}</th>
            <th scope="col">{t('发起', 'Offered')}</th>
            <th scope="col">{t('操作', 'Actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(rows ?? []).map((transfer) => (
            <tr key={transfer.transferId}>
              <td>
                <code>{transfer.lotId}</code>
              </td>
              <td>
                {names[side === 'incoming' ? transfer.from : transfer.to] ??
                  (side === 'incoming' ? transfer.from : transfer.to)}
              </td>
              <td>{transfer.offeredAt.slice(0, 16).replace('T', ' ')}</td>
              <td>
                <div className="actions">
                  {side === 'incoming' ? (
                    <>
                      <button
                        type="button"
                        className="button button-small button-primary"
                        disabled={action.busy}
                        onClick={() => void decide(transfer, 'accept')}
                        aria-label={`${t('接收', 'Accept')} ${transfer.lotId}`}
                      >
                        {t('接收', 'Accept')}
                      </button>
                      <button
                        type="button"
                        className="button button-small button-danger"
                        disabled={action.busy}
                        onClick={() => void decide(transfer, 'reject')}
                        aria-label={`${t('拒收', 'Reject')} ${transfer.lotId}`}
                      >
                        {t('拒收', 'Reject')}
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      className="button button-small"
                      disabled={action.busy}
                      onClick={() => void decide(transfer, 'cancel')}
                      aria-label={`${t('撤回', 'Cancel')} ${transfer.lotId}`}
                    >
                      {t('撤回', 'Cancel')}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows && rows.length === 0 ? (
        <p className="muted">{t('没有待处理的交接。', 'No pending transfers.')}</p>
      ) : null}
    </div>
  );
  return (
    <>
      <Feedback error={action.error} done={action.done} />
      <section className="card" aria-labelledby="incoming-title">
        <h2 id="incoming-title">{t('待接收', 'Incoming')}</h2>
        <ProblemMessage error={incoming.error} />
        {table(incoming.data?.data, 'incoming')}
        <Pager
          paging={incoming.paging}
          rows={incoming.data?.data.length ?? 0}
          label={t('待接收', 'Incoming')}
        />
      </section>
      <section className="card" aria-labelledby="outgoing-title">
        <h2 id="outgoing-title">{t('已发出', 'Outgoing')}</h2>
        <ProblemMessage error={outgoing.error} />
        {table(outgoing.data?.data, 'outgoing')}
        <Pager
          paging={outgoing.paging}
          rows={outgoing.data?.data.length ?? 0}
          label={t('已发出', 'Outgoing')}
        />
      </section>
    </>
  );
}

function Transform() {
  const { t, lang } = useI18n();
  const action = useAction();
  const [kind, setKind] = useState<'split' | 'merge' | 'process'>('process');
  const [inputs, setInputs] = useState('');
  const [outputs, setOutputs] = useState('');
  const [declaredYield, setDeclaredYield] = useState('');
  const [stage, setStage] = useState('processing');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const inputList = inputs
      .split(/[\n,]+/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [lotId, quantity] = line.split(/\s+/);
        return { lotId: lotId ?? '', ...(quantity ? { quantity: Number(quantity) } : {}) };
      });
    const outputList = outputs
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [lot, quantity, unit, ...product] = line.split(/\s+/);
        return {
          lot: lot ?? '',
          ...(quantity ? { quantity: Number(quantity) } : {}),
          ...(unit ? { unit } : {}),
          ...(product.length ? { product: product.join(' ') } : {}),
        };
      });
    const body =
      kind === 'split'
        ? { lotId: inputList[0]?.lotId ?? '', outputs: outputList, stage }
        : kind === 'merge'
          ? { inputs: inputList, output: outputList[0] ?? { lot: '' }, stage }
          : {
              inputs: inputList,
              outputs: outputList,
              stage,
              ...(declaredYield ? { declaredYield: Number(declaredYield) } : {}),
            };
    await action.run(
      () => post(`/api/v1/transformations/${kind}`, body),
      () => t('转换已写入账本，投入和产出已关联。', 'Recorded on the ledger: inputs and outputs are linked.'),
    );
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="transform-title">
      <h2 id="transform-title">{t('加工转换', 'Transformation')}</h2>
      <div className="row">
        <div>
          <label htmlFor="transform-kind">{t('类型', 'Kind')}</label>
          <select id="transform-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="split">{t('拆分（一个批次分成多个）', 'Split (one lot into several)')}</option>
            <option value="merge">{t('合并（多个批次合成一个）', 'Merge (several lots into one)')}</option>
            <option value="process">{t('加工（投入变产出）', 'Process (inputs into outputs)')}</option>
          </select>
        </div>
        <div>
          <label htmlFor="transform-stage">{t('环节', 'Stage')}</label>
          <select id="transform-stage" value={stage} onChange={(e) => setStage(e.target.value)}>
            {LIFE_CYCLE_STAGES.filter((s) =>
              ['processing', 'packaging', 'slaughter', 'other'].includes(s),
            ).map((s) => (
              <option key={s} value={s}>
                {label(lang, 'stage', s)}
              </option>
            ))}
          </select>
        </div>
        {kind === 'process' ? (
          <div>
            <label htmlFor="transform-yield">{t('得率（可选）', 'Declared yield (optional)')}</label>
            <input
              id="transform-yield"
              type="number"
              step="any"
              min="0"
              value={declaredYield}
              onChange={(e) => setDeclaredYield(e.target.value)}
            />
          </div>
        ) : null}
      </div>
      <label htmlFor="transform-inputs">
        {kind === 'split'
          ? t('被拆分的批次编号', 'Lot to split')
          : t('投入批次（每行：批次编号 [数量]）', 'Inputs (one per line: lot ID [quantity])')}
      </label>
      <textarea
        id="transform-inputs"
        rows={3}
        value={inputs}
        onChange={(e) => setInputs(e.target.value)}
        required
      />
      <label htmlFor="transform-outputs">
        {t(
          '产出批次（每行：批号 数量 单位 [产品名]）',
          'Outputs (one per line: batch/lot quantity unit [product])',
        )}
      </label>
      <textarea
        id="transform-outputs"
        rows={3}
        value={outputs}
        onChange={(e) => setOutputs(e.target.value)}
        required
        placeholder="P-0001 50 kg"
      />
      <p className="help">
        {t(
          '质量守恒由智能合约校验：产出不能超过投入乘以得率。',
          'The contract checks the mass balance: outputs cannot exceed the inputs times the yield.',
        )}
      </p>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={action.busy}>
          {t('写入账本', 'Record on the ledger')}
        </button>
      </div>
      <Feedback error={action.error} done={action.done} />
    </form>
  );
}

function Compliance({ mspId }: { mspId: string }) {
  const { t, lang, formatDate } = useI18n();
  const violations = useBookmarkPages<Violation>(
    mspId ? `/api/v1/violations${query({ by: 'member', value: mspId })}` : null,
  );
  const holds = useNumberedPages<LotHit>(
    mspId ? `/api/v1/search/lots${query({ custodian: mspId, status: 'on_hold' })}` : null,
  );
  return (
    <div className="grid grid-2">
      <section className="card" aria-labelledby="own-holds-title">
        <h2 id="own-holds-title">{t('本单位被暂扣的批次', 'Our lots on hold')}</h2>
        <ProblemMessage error={holds.error} />
        {(holds.data?.data ?? []).length === 0 ? (
          <p className="muted">{t('没有被暂扣的批次。', 'None of our lots is on hold.')}</p>
        ) : null}
        <ul className="plain-list">
          {(holds.data?.data ?? []).map((lot) => (
            <li key={lot.lotId}>
              <Link to={`/enterprise/lots/${seg(lot.lotId)}`}>{lot.product}</Link>{' '}
              <StatusBadge value={lot.status} />
              <div>
                <code>{lot.lotId}</code>
              </div>
            </li>
          ))}
        </ul>
        <Pager
          paging={holds.paging}
          rows={holds.data?.data.length ?? 0}
          label={t('被暂扣的批次', 'Lots on hold')}
        />
      </section>
      <section className="card" aria-labelledby="own-violations-title">
        <h2 id="own-violations-title">{t('本单位的违规', 'Our violations')}</h2>
        <ProblemMessage error={violations.error} />
        {(violations.data?.data ?? []).length === 0 ? (
          <p className="muted">{t('没有未处理的违规。', 'No open violations.')}</p>
        ) : null}
        <ul className="plain-list">
          {(violations.data?.data ?? []).map((v) => (
            <li key={v.id}>
              <strong>{label(lang, 'ruleKind', v.kind)}</strong> · {v.ruleSetId} v{versionOf(v)} / {v.ruleId}
              <div>
                {String(v.measured ?? '—')} / {String(v.limit ?? '—')} {v.unit ?? ''} · <code>{v.lotId}</code>
              </div>
              <div className="muted">{formatDate(v.detectedAt, true)}</div>
            </li>
          ))}
        </ul>
        <Pager
          paging={violations.paging}
          rows={violations.data?.data.length ?? 0}
          label={t('违规', 'Violations')}
        />
      </section>
    </div>
  );
}

/** What a device monitors, as the forms edit it. */
interface AttachmentForm {
  target: 'none' | 'lot' | 'shipment';
  lotId: string;
  shipmentId: string;
  storageCategory: string;
}

const NO_ATTACHMENT: AttachmentForm = {
  target: 'none',
  lotId: '',
  shipmentId: '',
  storageCategory: 'chilled',
};

/** The attachedTo argument of RegisterDevice and AttachDevice ({} detaches). */
function attachmentOf(form: AttachmentForm): {
  lotId?: string;
  shipmentId?: string;
  storageCategory?: string;
} {
  if (form.target === 'lot') return { lotId: form.lotId.trim(), storageCategory: form.storageCategory };
  if (form.target === 'shipment') {
    return { shipmentId: form.shipmentId.trim(), storageCategory: form.storageCategory };
  }
  return {};
}

/** Fields choosing a lot, a shipment or nothing to monitor; `idPrefix` keeps their labels unique on the page. */
function AttachmentFields({
  form,
  onChange,
  idPrefix,
}: {
  form: AttachmentForm;
  onChange: (form: AttachmentForm) => void;
  idPrefix: string;
}) {
  const { t } = useI18n();
  const set = (name: keyof AttachmentForm) => (event: { target: { value: string } }) =>
    onChange({ ...form, [name]: event.target.value });
  return (
    <>
      <fieldset className="choice">
        <legend>{t('监测对象', 'Monitors')}</legend>
        {(
          [
            ['none', t('暂不关联', 'Nothing yet')],
            ['lot', t('批次', 'A lot')],
            ['shipment', t('运输单', 'A shipment')],
          ] as const
        ).map(([value, text]) => (
          <label key={value} className="inline">
            <input
              type="radio"
              name={`${idPrefix}-target`}
              value={value}
              checked={form.target === value}
              onChange={set('target')}
            />{' '}
            {text}
          </label>
        ))}
      </fieldset>
      {form.target === 'lot' ? (
        <>
          <label htmlFor={`${idPrefix}-lot`}>{t('批次编号', 'Lot ID')}</label>
          <input
            id={`${idPrefix}-lot`}
            value={form.lotId}
            onChange={set('lotId')}
            required
            placeholder="06901234567892:LOT-1"
          />
        </>
      ) : null}
      {form.target === 'shipment' ? (
        <>
          <label htmlFor={`${idPrefix}-shipment`}>{t('运输单号', 'Shipment ID')}</label>
          <input id={`${idPrefix}-shipment`} value={form.shipmentId} onChange={set('shipmentId')} required />
        </>
      ) : null}
      {form.target !== 'none' ? (
        <>
          <label htmlFor={`${idPrefix}-category`}>{t('冷链类别', 'Cold-chain category')}</label>
          <select id={`${idPrefix}-category`} value={form.storageCategory} onChange={set('storageCategory')}>
            <option value="chilled">{t('冷藏', 'Chilled')}</option>
            <option value="frozen">{t('冷冻', 'Frozen')}</option>
            <option value="ambient">{t('常温', 'Ambient')}</option>
          </select>
        </>
      ) : null}
    </>
  );
}

/** What the device monitors, in words. */
function monitoredText(
  device: DeviceRecord,
  t: (zh: string, en: string, vars?: Record<string, string | number>) => string,
): string {
  const category = device.attachedTo?.storageCategory ? ` (${device.attachedTo.storageCategory})` : '';
  if (device.attachedTo?.lotId) return `${t('批次', 'lot')} ${device.attachedTo.lotId}${category}`;
  if (device.attachedTo?.shipmentId) {
    return `${t('运输单', 'shipment')} ${device.attachedTo.shipmentId}${category}`;
  }
  return t('未关联', 'nothing');
}

/** The PEM of a P-256 public key, roughly checked so a pasted certificate or private key gets a clear message. */
function pemProblem(pem: string, t: (zh: string, en: string) => string): string | null {
  const text = pem.trim();
  if (/-----BEGIN (EC |ENCRYPTED )?PRIVATE KEY-----/.test(text)) {
    return t(
      '这是私钥。请粘贴设备的公钥（-----BEGIN PUBLIC KEY-----），私钥应只保存在设备上。',
      'This is a private key. Paste the device’s public key (-----BEGIN PUBLIC KEY-----); the private key stays on the device.',
    );
  }
  if (!/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----$/.test(text)) {
    return t(
      '公钥应为 PEM 格式，以 -----BEGIN PUBLIC KEY----- 开头，以 -----END PUBLIC KEY----- 结尾。',
      'The public key must be PEM, from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.',
    );
  }
  return null;
}

function Devices() {
  const { t, formatDate, formatNumber } = useI18n();
  const devices = useBookmarkPages<DeviceRecord>('/api/v1/devices');
  const register = useAction();
  const change = useAction();
  const [form, setForm] = useState({ deviceId: '', kind: 'cold_chain_logger', publicKeyPem: '' });
  const [attachment, setAttachment] = useState<AttachmentForm>(NO_ATTACHMENT);
  const [keyProblem, setKeyProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<DeviceRecord | null>(null);
  const [editForm, setEditForm] = useState<AttachmentForm>(NO_ATTACHMENT);
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: event.target.value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = pemProblem(form.publicKeyPem, t);
    setKeyProblem(problem);
    if (problem) return;
    const attachedTo = attachmentOf(attachment);
    const registered = await register.run(
      () =>
        post('/api/v1/devices', {
          deviceId: form.deviceId.trim(),
          kind: form.kind,
          publicKeyPem: form.publicKeyPem.trim(),
          ...(Object.keys(attachedTo).length > 0 ? { attachedTo } : {}),
        }),
      () =>
        t('设备 {id} 已登记到账本。', 'Device {id} is registered on the ledger.', {
          id: form.deviceId.trim(),
        }),
    );
    if (registered !== undefined) {
      setForm({ deviceId: '', kind: form.kind, publicKeyPem: '' });
      setAttachment(NO_ATTACHMENT);
    }
    devices.reload();
  };
  const startEditing = (device: DeviceRecord) => {
    change.reset();
    setEditing(device);
    setEditForm(
      device.attachedTo?.lotId
        ? { ...NO_ATTACHMENT, target: 'lot', lotId: device.attachedTo.lotId, storageCategory: device.attachedTo.storageCategory ?? 'chilled' }
        : device.attachedTo?.shipmentId
          ? { ...NO_ATTACHMENT, target: 'shipment', shipmentId: device.attachedTo.shipmentId, storageCategory: device.attachedTo.storageCategory ?? 'chilled' }
          : NO_ATTACHMENT,
    ); // prettier-ignore
  };
  const attach = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const attachedTo = attachmentOf(editForm);
    const done = await change.run(
      () => post(`/api/v1/devices/${seg(editing.deviceId)}/attach`, attachedTo),
      () =>
        Object.keys(attachedTo).length === 0
          ? t('设备 {id} 已解除关联。', 'Device {id} is detached.', { id: editing.deviceId })
          : t('设备 {id} 已关联。', 'Device {id} is attached.', { id: editing.deviceId }),
    );
    if (done !== undefined) setEditing(null);
    devices.reload();
  };
  const rows = devices.data?.data ?? [];
  return (
    <div className="grid grid-2">
      <section className="card" aria-labelledby="devices-title">
        <h2 id="devices-title">{t('本单位的设备', 'Our devices')}</h2>
        <ProblemMessage error={devices.error} />
        <Feedback error={change.error} done={change.done} />
        {devices.loading ? (
          <p className="loading" role="status">
            {t('正在加载…', 'Loading…')}
          </p>
        ) : null}
        {devices.data && rows.length === 0 && devices.paging.page === 1 ? (
          <p className="muted">{t('还没有登记设备。', 'No devices registered.')}</p>
        ) : null}
        {rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table devices">
              <caption className="sr-only">{t('本单位的设备', 'Our devices')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('设备编号', 'Device ID')}</th>
                  <th scope="col">{t('类型', 'Kind')}</th>
                  <th scope="col">{t('状态', 'Status')}</th>
                  <th scope="col">{t('监测对象', 'Monitors')}</th>
                  <th scope="col">{t('最近读数', 'Last readings')}</th>
                  <th scope="col">{t('操作', 'Actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.deviceId} className={editing?.deviceId === d.deviceId ? 'row-selected' : ''}>
                    <th scope="row">
                      <code>{d.deviceId}</code>
                    </th>
                    <td>{d.kind.replace(/_/g, ' ')}</td>
                    <td>
                      {d.status === 'active' ? (
                        <span className="badge badge-ok">{t('在用', 'Active')}</span>
                      ) : (
                        <span className="badge badge-muted">{t('已停用', 'Retired')}</span>
                      )}
                    </td>
                    <td>{monitoredText(d, t)}</td>
                    <td>
                      {d.lastBatch ? (
                        <>
                          {formatNumber(d.lastBatch.minCelsius, 1)} …{' '}
                          {formatNumber(d.lastBatch.maxCelsius, 1)} °C
                          <div className="muted small">{formatDate(d.lastBatch.lastTime, true)}</div>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      {d.status === 'active' ? (
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => startEditing(d)}
                          aria-label={`${t('更改关联', 'Attach or detach')} ${d.deviceId}`}
                        >
                          {t('更改关联', 'Attach or detach')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <Pager paging={devices.paging} rows={rows.length} label={t('设备', 'Devices')} />
        {editing ? (
          <form className="subform" onSubmit={attach} aria-labelledby="attach-title">
            <h3 id="attach-title">
              {t('设备 {id} 的监测对象', 'What {id} monitors', { id: editing.deviceId })}
            </h3>
            <p className="muted">
              {t('当前：', 'Now: ')}
              {monitoredText(editing, t)}
            </p>
            <AttachmentFields form={editForm} onChange={setEditForm} idPrefix="attach" />
            <div className="actions">
              <button type="submit" className="button button-primary" disabled={change.busy}>
                {editForm.target === 'none' ? t('解除关联', 'Detach') : t('保存关联', 'Attach')}
              </button>
              <button type="button" className="button" onClick={() => setEditing(null)}>
                {t('取消', 'Cancel')}
              </button>
            </div>
          </form>
        ) : null}
      </section>
      <form className="card" onSubmit={submit} aria-labelledby="device-form-title" noValidate={false}>
        <h2 id="device-form-title">{t('登记设备', 'Register a device')}</h2>
        <label htmlFor="device-id">{t('设备编号', 'Device ID')}</label>
        <input
          id="device-id"
          value={form.deviceId}
          onChange={set('deviceId')}
          required
          pattern="[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}"
          aria-describedby="device-id-hint"
        />
        <p id="device-id-hint" className="help">
          {t(
            '序列号、IMEI 或 URN：字母、数字及 . _ : -',
            'Serial number, IMEI or URN: letters, digits and . _ : -',
          )}
        </p>
        <label htmlFor="device-kind">{t('类型', 'Kind')}</label>
        <select id="device-kind" value={form.kind} onChange={set('kind')}>
          {DEVICE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
        <label htmlFor="device-key">{t('设备公钥（P-256，PEM）', 'Public key (P-256, PEM)')}</label>
        <textarea
          id="device-key"
          rows={5}
          value={form.publicKeyPem}
          onChange={set('publicKeyPem')}
          required
          placeholder="-----BEGIN PUBLIC KEY-----"
          aria-invalid={keyProblem ? true : undefined}
          aria-describedby={keyProblem ? 'device-key-problem' : undefined}
        />
        {keyProblem ? (
          <p id="device-key-problem" className="field-error" role="alert">
            {keyProblem}
          </p>
        ) : null}
        <AttachmentFields form={attachment} onChange={setAttachment} idPrefix="device" />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={register.busy}>
            {t('登记', 'Register')}
          </button>
        </div>
        <Feedback error={register.error} done={register.done} />
      </form>
    </div>
  );
}
