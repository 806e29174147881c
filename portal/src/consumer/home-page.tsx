/**
 * The consumer's start: type or paste the code on the package (the text under the barcode, the QR code's web
 * address, or a lot ID) and see its trace. The code is checked by the gateway, which says what is wrong with it.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { get, query } from '../api/client';
import type { Answer } from '../api/client';
import type { PublicLot } from '../api/types';
import { ProblemMessage } from '../components/problem';
import { useT } from '../i18n/i18n';
import { navigate, useTitle } from '../router';

/** The portal path of a lot's consumer page. */
export function lotPagePath(traceCode: PublicLot['traceCode']): string {
  const path = `/01/${encodeURIComponent(traceCode.gtin)}/10/${encodeURIComponent(traceCode.lot)}`;
  return traceCode.serial ? `${path}/21/${encodeURIComponent(traceCode.serial)}` : path;
}

/** The home page. */
export function HomePage() {
  const t = useT();
  useTitle(t('农产品追溯查询', 'Food trace lookup'));
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const answer = await get<Answer<PublicLot>>(`/api/v1/public/lots${query({ code: code.trim() })}`);
      navigate(lotPagePath(answer.data.traceCode));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="page page-narrow">
      <section className="hero">
        <h1>{t('这份食品从哪里来？', 'Where does this food come from?')}</h1>
        <p>
          {t(
            '扫描包装上的二维码，或输入条码下方的追溯码，查看产地、流通环节、检验结果和召回提示。',
            'Scan the QR code on the package, or type the code under the barcode, to see its origin, journey, inspections and any recall.',
          )}
        </p>
      </section>
      <form className="card lookup-form" onSubmit={submit} noValidate>
        <label htmlFor="trace-code">{t('追溯码', 'Trace code')}</label>
        <input
          id="trace-code"
          name="code"
          type="text"
          inputMode="text"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="(01)06901234567892(10)A1"
          aria-describedby="trace-code-help"
          required
        />
        <p id="trace-code-help" className="help">
          {t(
            '可以输入：条码文字如 (01)06901234567892(10)A1，二维码网址如 https://…/01/06901234567892/10/A1，或批次编号 06901234567892:A1。',
            'You can enter: the barcode text such as (01)06901234567892(10)A1, the QR code address such as https://…/01/06901234567892/10/A1, or the lot ID 06901234567892:A1.',
          )}
        </p>
        <button type="submit" className="button button-primary" disabled={busy || code.trim() === ''}>
          {busy ? t('查询中…', 'Looking up…') : t('查询', 'Look up')}
        </button>
        <ProblemMessage error={error} />
      </form>
      <section className="card muted-card">
        <h2>{t('为什么可信？', 'Why trust it?')}</h2>
        <p>
          {t(
            '每一条记录都由记录者签名，并写入由商务部、财政部和联盟成员共同维护的区块链，经多方背书，任何一方都无法单独篡改。页面底部可以向账本重新核验。',
            'Every record is signed by whoever made it and written to a blockchain kept by the ministries and the alliance members together, endorsed by several of them, so no single party can alter it. You can re-check any page against the ledger.',
          )}
        </p>
      </section>
    </main>
  );
}
