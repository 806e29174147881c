/**
 * The regulator's dashboard (regulator organisations' regulator users only): member applications, rule sets and
 * their versions, open violations and holds, recalls and their scope, and activity and compliance over time.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { MEMBER_TRANSITIONS } from '../../../chaincode/src/shared/members';
import { RECALL_SEVERITIES } from '../../../chaincode/src/shared/compliance';
import { post, seg } from '../api/client';
import type { Answer } from '../api/client';
import type { MemberRecord, MemberStatus, RuleSetRecord, Violation } from '../api/types';
import { BarChart } from '../components/charts';
import type { BarDatum } from '../components/charts';
import { Feedback } from '../components/feedback';
import { Pager, useBookmarkPages } from '../components/pager';
import { ProblemMessage } from '../components/problem';
import { StatusBadge } from '../components/status-badge';
import { Tabs } from '../components/tabs';
import { useAction, useResource } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { versionOf } from '../api/violations';
import { label } from '../i18n/labels';
import { regionName } from '../i18n/regions';
import { Link, useLocation, useTitle } from '../router';
import { useMemberNames } from '../call-centre/lot-trace-view';

const VERBS: Record<MemberStatus, 'approve' | 'suspend' | 'revoke' | null> = {
  approved: 'approve',
  suspended: 'suspend',
  revoked: 'revoke',
  pending: null,
};

/** The dashboard; one tab per path. */
export default function RegulatorDashboard() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  useTitle(t('监管工作台', 'Regulator dashboard'));
  const tabs = [
    { to: '/regulator', label: t('概览', 'Overview') },
    { to: '/regulator/members', label: t('成员审核', 'Members') },
    { to: '/regulator/rules', label: t('规则集', 'Rule sets') },
    { to: '/regulator/violations', label: t('违规与暂扣', 'Violations and holds') },
    { to: '/regulator/recalls', label: t('召回', 'Recalls') },
  ];
  const current =
    tabs.find((tab) => tab.to !== '/regulator' && pathname.startsWith(tab.to))?.to ?? '/regulator';
  return (
    <main id="main" className="page">
      <h1>{t('监管工作台', 'Regulator dashboard')}</h1>
      <Tabs tabs={tabs} current={current} label={t('监管功能', 'Regulator sections')} />
      {current === '/regulator' ? <Overview /> : null}
      {current === '/regulator/members' ? <Members /> : null}
      {current === '/regulator/rules' ? <RuleSets /> : null}
      {current === '/regulator/violations' ? <Violations /> : null}
      {current === '/regulator/recalls' ? <Recalls /> : null}
    </main>
  );
}

interface SeriesPoint {
  period: string;
  key: string;
  count: number;
}

interface MemberCompliance {
  mspId: string;
  name: string;
  lotsHandled: number;
  violations: number;
  openViolations: number;
  complianceRate: number;
}

interface OpenIssues {
  violations: { kind: string; region: string; responsible: string; status: string; count: number }[];
  openViolationCount: number;
  holds: { lotId: string; product: string; custodian: string; region: string | null; since: string }[];
}

function toBars(series: SeriesPoint[] | undefined): { data: BarDatum[]; keys: string[] } {
  const points = series ?? [];
  const keys = [...new Set(points.map((p) => p.key))];
  const periods = [...new Set(points.map((p) => p.period))].sort().slice(-12);
  return {
    keys,
    data: periods.map((period) => ({
      label: period.length > 7 ? period.slice(5) : period,
      values: keys.map((key) => points.find((p) => p.period === period && p.key === key)?.count ?? 0),
    })),
  };
}

function Overview() {
  const { t, lang, formatNumber } = useI18n();
  const lots = useResource<Answer<{ series: SeriesPoint[] }>>('/api/v1/analytics/lots?period=month');
  const events = useResource<Answer<{ series: SeriesPoint[] }>>(
    '/api/v1/analytics/events?period=month&by=stage',
  );
  const issues = useResource<Answer<OpenIssues>>('/api/v1/analytics/violations');
  const compliance = useResource<Answer<MemberCompliance[]>>('/api/v1/analytics/compliance');
  const pending = useResource<Answer<MemberRecord[]>>('/api/v1/members?status=pending&pageSize=100');
  const recalls = useResource<Answer<unknown[]>>('/api/v1/analytics/recalls');
  const lotBars = toBars(lots.data?.data.series);
  const eventBars = toBars(events.data?.data.series);
  const rates = (compliance.data?.data ?? []).filter((m) => m.lotsHandled > 0);
  return (
    <>
      <div className="kpis">
        <div className="kpi">
          <span>{t('待审核成员', 'Pending members')}</span>
          <strong>{pending.data?.data.length ?? '—'}</strong>
        </div>
        <div className="kpi">
          <span>{t('未处理违规', 'Open violations')}</span>
          <strong>{issues.data?.data.openViolationCount ?? '—'}</strong>
        </div>
        <div className="kpi">
          <span>{t('暂扣批次', 'Lots on hold')}</span>
          <strong>{issues.data?.data.holds.length ?? '—'}</strong>
        </div>
        <div className="kpi">
          <span>{t('召回', 'Recalls')}</span>
          <strong>{recalls.data?.data.length ?? '—'}</strong>
        </div>
      </div>
      <ProblemMessage error={lots.error ?? events.error ?? issues.error ?? compliance.error} />
      <div className="grid grid-2">
        <section className="card">
          <h2>{t('每月新登记批次', 'Lots recorded per month')}</h2>
          <BarChart
            data={lotBars.data}
            series={[t('批次', 'Lots')]}
            title={t('每月新登记批次', 'Lots recorded per month')}
          />
        </section>
        <section className="card">
          <h2>{t('每月事件（按环节）', 'Events per month, by stage')}</h2>
          <BarChart
            data={eventBars.data}
            series={eventBars.keys.map((key) => label(lang, 'stage', key))}
            title={t('每月事件', 'Events per month')}
          />
        </section>
        <section className="card">
          <h2>{t('各成员合规率', 'Compliance rate by member')}</h2>
          <BarChart
            data={rates.map((m) => ({
              label: m.mspId.replace(/MSP$/, ''),
              values: [Math.round(m.complianceRate * 100)],
            }))}
            series={[t('合规率 %', 'Compliance %')]}
            title={t('各成员合规率（%）', 'Compliance rate by member (%)')}
          />
          <div className="table-wrap">
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">{t('成员', 'Member')}</th>
                  <th scope="col">{t('经手批次', 'Lots')}</th>
                  <th scope="col">{t('违规', 'Violations')}</th>
                  <th scope="col">{t('合规率', 'Rate')}</th>
                </tr>
              </thead>
              <tbody>
                {rates.map((m) => (
                  <tr key={m.mspId}>
                    <td>{m.name}</td>
                    <td>{m.lotsHandled}</td>
                    <td>
                      {m.violations} ({t('未处理', 'open')} {m.openViolations})
                    </td>
                    <td>{formatNumber(m.complianceRate * 100, 1)}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card">
          <h2>{t('未处理违规（按类型与地区）', 'Open violations by kind and region')}</h2>
          {(issues.data?.data.violations ?? []).length === 0 ? (
            <p className="muted">{t('没有未处理的违规。', 'No open violations.')}</p>
          ) : (
            <ul className="plain-list">
              {(issues.data?.data.violations ?? []).map((v) => (
                <li key={`${v.kind}-${v.region}-${v.responsible}-${v.status}`}>
                  {label(lang, 'ruleKind', v.kind)} · {regionName(lang, v.region)} · {v.responsible}:{' '}
                  <strong>{v.count}</strong>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

function Members() {
  const { t, lang, formatDate } = useI18n();
  const [status, setStatus] = useState<MemberStatus | ''>('pending');
  const members = useBookmarkPages<MemberRecord>(`/api/v1/members${status ? `?status=${status}` : ''}`);
  const action = useAction();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const decide = (member: MemberRecord, verb: 'approve' | 'suspend' | 'revoke') =>
    action
      .run(
        () =>
          post(`/api/v1/members/${seg(member.mspId)}/${verb}`, {
            reason: reasons[member.mspId] || defaultReason(verb),
          }),
        () =>
          t('已{verb}：{name}', '{verb}: {name}', {
            verb: verbName(t, verb),
            name: member.name,
          }),
      )
      .then(() => members.reload());
  const defaultReason = (verb: string) =>
    verb === 'approve' ? t('资质已审核', 'qualifications reviewed') : t('监管决定', 'regulator decision');
  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">{t('成员申请与状态', 'Member applications and status')}</h2>
      <label htmlFor="member-status">{t('显示', 'Show')}</label>
      <select
        id="member-status"
        value={status}
        onChange={(e) => setStatus(e.target.value as MemberStatus | '')}
      >
        <option value="pending">{t('待审核', 'Pending')}</option>
        <option value="approved">{t('已批准', 'Approved')}</option>
        <option value="suspended">{t('已暂停', 'Suspended')}</option>
        <option value="revoked">{t('已撤销', 'Revoked')}</option>
        <option value="">{t('全部', 'All')}</option>
      </select>
      <Feedback error={action.error ?? members.error} done={action.done} />
      {members.data && members.data.data.length === 0 ? (
        <p className="muted">{t('没有符合条件的成员。', 'No members in this state.')}</p>
      ) : null}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('成员', 'Member')}</th>
              <th scope="col">{t('资质', 'Qualifications')}</th>
              <th scope="col">{t('状态', 'Status')}</th>
              <th scope="col">{t('决定', 'Decision')}</th>
            </tr>
          </thead>
          <tbody>
            {(members.data?.data ?? []).map((member) => (
              <tr key={member.mspId}>
                <td>
                  <strong>{member.name}</strong>
                  <div className="muted">
                    {member.mspId} · {label(lang, 'memberRole', member.role)} ·{' '}
                    {regionName(lang, member.region)}
                  </div>
                  <div className="muted">
                    {t('申请于', 'applied')} {formatDate(member.createdAt, true)}
                  </div>
                </td>
                <td>
                  <div>
                    {t('营业执照', 'Business licence')}: <code>{member.businessLicence}</code>
                  </div>
                  {member.foodProductionLicence ? (
                    <div>
                      {t('食品生产许可证', 'Food production licence')}:{' '}
                      <code>{member.foodProductionLicence}</code>
                    </div>
                  ) : null}
                </td>
                <td>
                  <StatusBadge value={member.status} vocabulary="memberStatus" />
                </td>
                <td>
                  {MEMBER_TRANSITIONS[member.status].length > 0 ? (
                    <>
                      <label htmlFor={`reason-${member.mspId}`} className="sr-only">
                        {t('理由：{name}', 'Reason for {name}', { name: member.name })}
                      </label>
                      <input
                        id={`reason-${member.mspId}`}
                        placeholder={t('理由', 'Reason')}
                        value={reasons[member.mspId] ?? ''}
                        onChange={(e) => setReasons((r) => ({ ...r, [member.mspId]: e.target.value }))}
                      />
                      <div className="actions">
                        {MEMBER_TRANSITIONS[member.status].map((next) => {
                          const verb = VERBS[next];
                          if (!verb) return null;
                          return (
                            <button
                              key={verb}
                              type="button"
                              className={`button button-small ${verb === 'approve' ? 'button-primary' : 'button-danger'}`}
                              disabled={action.busy}
                              onClick={() => void decide(member, verb)}
                              aria-label={`${verbName(t, verb)} ${member.name}`}
                            >
                              {verbName(t, verb)}
                            </button>
                          );
                        })}
                      </div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager paging={members.paging} rows={members.data?.data.length ?? 0} label={t('成员', 'Members')} />
    </section>
  );
}

function verbName(t: (zh: string, en: string) => string, verb: 'approve' | 'suspend' | 'revoke'): string {
  return verb === 'approve'
    ? t('批准', 'Approve')
    : verb === 'suspend'
      ? t('暂停', 'Suspend')
      : t('撤销', 'Revoke');
}

/** A rule set version as an editable draft of the next version (ledger provenance fields dropped). */
function nextDraft(record: RuleSetRecord): string {
  const today = new Date();
  const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  // A new version may not take effect before the one it supersedes.
  const effectiveFrom = Date.parse(record.effectiveFrom) > Date.parse(date) ? record.effectiveFrom : date;
  return JSON.stringify(
    {
      id: record.id,
      version: record.version + 1,
      title: record.title,
      effectiveFrom,
      rules: record.rules,
    },
    null,
    2,
  );
}

function RuleSets() {
  const { t, lang, formatDate } = useI18n();
  const sets = useResource<Answer<RuleSetRecord[]>>('/api/v1/rulesets?pageSize=100');
  const [selected, setSelected] = useState<string | null>(null);
  const versions = useResource<Answer<RuleSetRecord[]>>(
    selected ? `/api/v1/rulesets/${seg(selected)}/versions?pageSize=100` : null,
  );
  const [draft, setDraft] = useState('');
  const action = useAction();
  const latest = (versions.data?.data ?? []).reduce<RuleSetRecord | undefined>(
    (best, v) => (!best || v.version > best.version ? v : best),
    undefined,
  );
  const choose = (id: string) => {
    setSelected(id);
    setDraft('');
    action.reset();
  };
  const publish = async (event: FormEvent) => {
    event.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(draft);
    } catch {
      action.run(() => Promise.reject(new Error('json')));
      return;
    }
    const published = await action.run(
      () => post<Answer<RuleSetRecord>>('/api/v1/rulesets', body),
      (answer) =>
        t('已发布 {id} 第 {v} 版（区块 #{b}）', 'Published {id} version {v} (block #{b})', {
          id: answer.data.id,
          v: answer.data.version,
          b: answer.tx?.blockNumber ?? '—',
        }),
    );
    if (published) setDraft('');
    versions.reload();
    sets.reload();
  };
  return (
    <div className="grid grid-2">
      <section className="card" aria-labelledby="rulesets-title">
        <h2 id="rulesets-title">{t('规则集', 'Rule sets')}</h2>
        <ProblemMessage error={sets.error} />
        <ul className="plain-list">
          {(sets.data?.data ?? []).map((set) => (
            <li key={`${set.id}-${set.version}`}>
              <button
                type="button"
                className="link-button"
                onClick={() => choose(set.id)}
                aria-pressed={selected === set.id}
              >
                <strong>{set.title}</strong>
              </button>
              <div className="muted">
                {set.id} · v{set.version} · {t('生效', 'effective')} {formatDate(set.effectiveFrom)} ·{' '}
                {set.rules.length} {t('条规则', 'rules')}
              </div>
            </li>
          ))}
        </ul>
      </section>
      {selected ? (
        <section className="card" aria-labelledby="versions-title">
          <h2 id="versions-title">
            {t('版本', 'Versions')}: {selected}
          </h2>
          <ProblemMessage error={versions.error} />
          <div className="table-wrap">
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">{t('版本', 'Version')}</th>
                  <th scope="col">{t('生效日期', 'Effective')}</th>
                  <th scope="col">{t('规则', 'Rules')}</th>
                  <th scope="col">{t('发布者', 'Issuer')}</th>
                </tr>
              </thead>
              <tbody>
                {(versions.data?.data ?? []).map((v) => (
                  <tr key={v.version}>
                    <td>v{v.version}</td>
                    <td>{formatDate(v.effectiveFrom)}</td>
                    <td>
                      {[...new Set(v.rules.map((r) => r.kind))]
                        .map((kind) => label(lang, 'ruleKind', kind))
                        .join(t('、', ', '))}{' '}
                      ({v.rules.length})
                    </td>
                    <td>{v.issuer}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {latest ? (
            <form onSubmit={publish}>
              <h3>{t('发布新版本', 'Publish a new version')}</h3>
              {draft === '' ? (
                <button type="button" className="button" onClick={() => setDraft(nextDraft(latest))}>
                  {t('以 v{v} 为基础起草 v{n}', 'Draft v{n} from v{v}', {
                    v: latest.version,
                    n: latest.version + 1,
                  })}
                </button>
              ) : (
                <>
                  <label htmlFor="ruleset-draft">{t('规则集（JSON）', 'Rule set (JSON)')}</label>
                  <textarea
                    id="ruleset-draft"
                    value={draft}
                    onChange={(e) => setDraft(e.target.value)}
                    rows={14}
                  />
                  <p className="help">
                    {t(
                      '旧版本保持不变并可随时查阅；新版本从生效日期起用于新记录的事件。',
                      'Older versions stay unchanged and readable; the new one applies to events from its effective date.',
                    )}
                  </p>
                  <button type="submit" className="button button-primary" disabled={action.busy}>
                    {action.busy ? t('发布中…', 'Publishing…') : t('发布到账本', 'Publish to the ledger')}
                  </button>
                </>
              )}
              {action.error instanceof Error && action.error.message === 'json' ? (
                <div className="alert alert-error" role="alert">
                  <p className="alert-title">{t('JSON 格式不正确。', 'The JSON is not valid.')}</p>
                </div>
              ) : (
                <Feedback error={action.error} done={action.done} />
              )}
            </form>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

function Violations() {
  const { t, lang, formatDate } = useI18n();
  const names = useMemberNames();
  const violations = useResource<Answer<Violation[]>>('/api/v1/violations?pageSize=100');
  const issues = useResource<Answer<OpenIssues>>('/api/v1/analytics/violations');
  const action = useAction();
  const [reason, setReason] = useState('');
  const [severity, setSeverity] = useState<string>(RECALL_SEVERITIES[0]);
  const withViolations = new Set((violations.data?.data ?? []).map((v) => v.lotId));
  const holds = issues.data?.data.holds ?? [];
  const release = (lotId: string) =>
    action
      .run(
        () =>
          post(
            withViolations.has(lotId)
              ? `/api/v1/lots/${seg(lotId)}/compliance/release`
              : `/api/v1/lots/${seg(lotId)}/release`,
            { reason: reason || t('复检合格，解除暂扣', 'retest passed, hold released') },
          ),
        () => t('已解除暂扣：{lot}', 'Hold released: {lot}', { lot: lotId }),
      )
      .then(() => {
        violations.reload();
        issues.reload();
      });
  const escalate = (lotId: string) =>
    action
      .run(
        () =>
          post(`/api/v1/lots/${seg(lotId)}/compliance/escalate`, {
            reason: reason || t('违规升级为召回', 'violation escalated to a recall'),
            severity,
          }),
        () => t('已升级为召回：{lot}', 'Escalated to a recall: {lot}', { lot: lotId }),
      )
      .then(() => {
        violations.reload();
        issues.reload();
      });
  return (
    <>
      <section className="card">
        <h2>{t('处理决定', 'Decision')}</h2>
        <div className="row">
          <div>
            <label htmlFor="decision-reason">
              {t('理由（写入账本）', 'Reason (recorded on the ledger)')}
            </label>
            <input id="decision-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <div>
            <label htmlFor="decision-severity">{t('升级召回的级别', 'Recall level if escalated')}</label>
            <select id="decision-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
              {RECALL_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s.replace('level_', t('级别 ', 'Level '))}
                </option>
              ))}
            </select>
          </div>
        </div>
        <Feedback error={action.error} done={action.done} />
      </section>
      <section className="card" aria-labelledby="holds-title">
        <h2 id="holds-title">{t('暂扣中的批次', 'Lots on hold')}</h2>
        <ProblemMessage error={issues.error} />
        {holds.length === 0 ? <p className="muted">{t('没有暂扣中的批次。', 'No lot is on hold.')}</p> : null}
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('批次', 'Lot')}</th>
                <th scope="col">{t('持有者', 'Custodian')}</th>
                <th scope="col">{t('地区', 'Region')}</th>
                <th scope="col">{t('暂扣时间', 'Since')}</th>
                <th scope="col">{t('操作', 'Actions')}</th>
              </tr>
            </thead>
            <tbody>
              {holds.map((hold) => (
                <tr key={hold.lotId}>
                  <td>
                    <Link to={`/call-centre/lots/${seg(hold.lotId)}`}>{hold.product}</Link>
                    <div>
                      <code>{hold.lotId}</code>
                    </div>
                  </td>
                  <td>{names[hold.custodian] ?? hold.custodian}</td>
                  <td>{regionName(lang, hold.region)}</td>
                  <td>{formatDate(hold.since, true)}</td>
                  <td>
                    <div className="actions">
                      <button
                        type="button"
                        className="button button-small button-primary"
                        disabled={action.busy}
                        onClick={() => void release(hold.lotId)}
                        aria-label={`${t('解除暂扣', 'Release hold')} ${hold.lotId}`}
                      >
                        {t('解除暂扣', 'Release hold')}
                      </button>
                      {withViolations.has(hold.lotId) ? (
                        <button
                          type="button"
                          className="button button-small button-danger"
                          disabled={action.busy}
                          onClick={() => void escalate(hold.lotId)}
                          aria-label={`${t('升级为召回', 'Escalate to recall')} ${hold.lotId}`}
                        >
                          {t('升级为召回', 'Escalate to recall')}
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="violations-title">
        <h2 id="violations-title">{t('未处理的违规', 'Open violations')}</h2>
        <ProblemMessage error={violations.error} />
        {(violations.data?.data ?? []).length === 0 ? (
          <p className="muted">{t('没有未处理的违规。', 'No open violations.')}</p>
        ) : null}
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('批次', 'Lot')}</th>
                <th scope="col">{t('规则（版本）', 'Rule (version)')}</th>
                <th scope="col">{t('测得值 / 限值', 'Measured / limit')}</th>
                <th scope="col">{t('责任方', 'Responsible')}</th>
                <th scope="col">{t('发现时间', 'Detected')}</th>
              </tr>
            </thead>
            <tbody>
              {(violations.data?.data ?? []).map((v) => (
                <tr key={v.id}>
                  <td>
                    <code>{v.lotId}</code>
                  </td>
                  <td>
                    {label(lang, 'ruleKind', v.kind)} · {v.ruleSetId} v{versionOf(v)} / {v.ruleId}
                  </td>
                  <td>
                    {String(v.measured ?? '—')} / {String(v.limit ?? '—')} {v.unit ?? ''}
                  </td>
                  <td>
                    {names[v.responsibleMsp] ?? v.responsibleMsp} · {regionName(lang, v.region)}
                  </td>
                  <td>{formatDate(v.detectedAt, true)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** How often the recalls list is read again while a recall is still being marked. */
const RECALL_PROGRESS_POLL_MS = 3_000;

interface RecallWithScope {
  recallId: string;
  lotId: string;
  reason: string;
  severity: string;
  status: string;
  /** Lots found in the recall's reach so far, and of them those marked recalled on the ledger. */
  discovered: number;
  marked: number;
  createdAt: string;
  initiatedBy: string;
  scope: {
    lots: number;
    quantities: { value: number; unit: string }[];
    custodians: string[];
    regions: string[];
  } | null;
  affectedLots: { lotId: string; depth: number; custodian: string; region: string | null; marked: boolean }[];
}

function Recalls() {
  const { t, lang, formatDate, formatNumber } = useI18n();
  const names = useMemberNames();
  const recalls = useResource<Answer<RecallWithScope[]>>('/api/v1/analytics/recalls');
  const marking = (recalls.data?.data ?? []).some((recall) => recall.status !== 'complete');
  // While the gateway marks a large recall batch by batch, the list follows it until every recall is complete.
  useEffect(() => {
    if (!marking) return undefined;
    const timer = setTimeout(recalls.reload, RECALL_PROGRESS_POLL_MS);
    return () => clearTimeout(timer);
  }, [marking, recalls.data, recalls.reload]);
  const action = useAction();
  const [form, setForm] = useState({ lotId: '', reason: '', severity: 'I' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(
      () =>
        post<Answer<{ recallId: string; status: string; scope: { lots: number } }>>('/api/v1/recalls', form),
      // A large recall answers after its first batch; the gateway marks the rest while consumers are already warned.
      (answer) =>
        answer.data.status === 'complete'
          ? t('召回已下达，影响 {n} 个批次', 'Recall ordered: {n} lots affected', {
              n: answer.data.scope.lots,
            })
          : t(
              '召回已下达：已标记 {n} 个批次，其余批次正在标记（消费者已可看到召回警示）',
              'Recall ordered: {n} lots marked so far; the rest are being marked (consumers already see the warning)',
              { n: answer.data.scope.lots },
            ),
    );
    recalls.reload();
  };
  return (
    <>
      <form className="card" onSubmit={submit}>
        <h2>{t('下达召回', 'Order a recall')}</h2>
        <div className="row">
          <div>
            <label htmlFor="recall-lot">{t('批次编号', 'Lot ID')}</label>
            <input
              id="recall-lot"
              value={form.lotId}
              onChange={(e) => setForm({ ...form, lotId: e.target.value })}
              required
            />
          </div>
          <div>
            <label htmlFor="recall-reason">{t('原因', 'Reason')}</label>
            <input
              id="recall-reason"
              value={form.reason}
              onChange={(e) => setForm({ ...form, reason: e.target.value })}
              required
            />
          </div>
          <div>
            <label htmlFor="recall-severity">{t('级别', 'Severity')}</label>
            <select
              id="recall-severity"
              value={form.severity}
              onChange={(e) => setForm({ ...form, severity: e.target.value })}
            >
              <option value="I">{t('一级', 'Class I')}</option>
              <option value="II">{t('二级', 'Class II')}</option>
              <option value="III">{t('三级', 'Class III')}</option>
            </select>
          </div>
        </div>
        <div className="actions">
          <button
            type="submit"
            className="button button-danger"
            disabled={action.busy || !form.lotId || !form.reason}
          >
            {t('下达召回', 'Order the recall')}
          </button>
        </div>
        <Feedback error={action.error} done={action.done} />
      </form>
      <ProblemMessage error={recalls.error} />
      {(recalls.data?.data ?? []).length === 0 ? (
        <p className="muted">{t('暂无召回。', 'No recalls.')}</p>
      ) : null}
      {(recalls.data?.data ?? []).map((recall) => (
        <section key={recall.recallId} className="card" aria-label={`${t('召回', 'Recall')} ${recall.lotId}`}>
          <h2>
            {recall.reason} <StatusBadge value={recall.status} />
          </h2>
          <p className="muted">
            {t('起始批次', 'From lot')} <code>{recall.lotId}</code> · {t('级别', 'severity')}{' '}
            {recall.severity} · {formatDate(recall.createdAt, true)} ·{' '}
            {names[recall.initiatedBy] ?? recall.initiatedBy}
          </p>
          {recall.status !== 'complete' ? (
            <p role="status">
              {t(
                '正在标记：已在账本上标记 {m} / {n} 个批次（消费者已可看到召回警示）',
                'Marking: {m} of {n} lots marked on the ledger so far (consumers already see the warning)',
                { m: formatNumber(recall.marked), n: formatNumber(recall.discovered) },
              )}
            </p>
          ) : null}
          {recall.scope ? (
            <dl className="facts">
              <div>
                <dt>{t('受影响批次', 'Lots affected')}</dt>
                <dd>{recall.scope.lots}</dd>
              </div>
              <div>
                <dt>{t('数量', 'Quantities')}</dt>
                <dd>
                  {recall.scope.quantities.map((q) => `${formatNumber(q.value)} ${q.unit}`).join(', ') || '—'}
                </dd>
              </div>
              <div>
                <dt>{t('持有者', 'Custodians')}</dt>
                <dd>{recall.scope.custodians.map((c) => names[c] ?? c).join(', ') || '—'}</dd>
              </div>
              <div>
                <dt>{t('地区', 'Regions')}</dt>
                <dd>{recall.scope.regions.map((r) => regionName(lang, r)).join(', ') || '—'}</dd>
              </div>
            </dl>
          ) : null}
          <details>
            <summary>{t('受影响批次明细', 'Affected lots')}</summary>
            <div className="table-wrap">
              <table className="table compact">
                <thead>
                  <tr>
                    <th scope="col">{t('批次', 'Lot')}</th>
                    <th scope="col">{t('距起点', 'Hops')}</th>
                    <th scope="col">{t('持有者', 'Custodian')}</th>
                    <th scope="col">{t('地区', 'Region')}</th>
                    <th scope="col">{t('已标记', 'Marked')}</th>
                  </tr>
                </thead>
                <tbody>
                  {recall.affectedLots.map((lot) => (
                    <tr key={lot.lotId}>
                      <td>
                        <Link to={`/call-centre/lots/${seg(lot.lotId)}`}>{lot.lotId}</Link>
                      </td>
                      <td>{lot.depth}</td>
                      <td>{names[lot.custodian] ?? lot.custodian}</td>
                      <td>{regionName(lang, lot.region)}</td>
                      <td>{lot.marked ? t('是', 'yes') : t('否', 'no')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </section>
      ))}
    </>
  );
}
