/**
 * How a failure is shown: a sentence in the reader's language for the codes people meet, the API's own `detail`
 * for the rest of the 4xx answers, and for server-side failures only a generic sentence and the code, so that no
 * internal detail of the network (peer names, addresses, stack traces) reaches the page.
 */
import { ApiProblem } from '../api/client';
import { useT } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';

/** A sentence for a problem, in the current language. */
export function describeProblem(t: Translate, error: unknown): { title: string; detail?: string } {
  if (!(error instanceof ApiProblem)) {
    return {
      title: t('出现了意外错误，请刷新页面重试。', 'Something went wrong; reload the page and try again.'),
    };
  }
  const known = KNOWN[error.code];
  // The API explains in English: its specifics (which GTIN, which field) are added under the English sentence.
  if (known)
    return { title: t(known[0], known[1]), detail: error.status < 500 ? t('', error.detail) : undefined };
  if (error.status >= 500 || error.status === 0) {
    return {
      title: t(
        '服务暂时不可用，请稍后再试。',
        'The service is not available right now; please try again shortly.',
      ),
      detail: t('错误代码 {code}', 'Error code {code}', { code: error.code }),
    };
  }
  return { title: error.detail || error.code };
}

const KNOWN: Record<string, readonly [string, string]> = {
  NETWORK: [
    '无法连接到服务，请检查网络后重试。',
    'The service cannot be reached; check the connection and try again.',
  ],
  LOT_NOT_FOUND: [
    '没有找到这个追溯码对应的批次。请核对包装上的商品条码（GTIN）和批号；刚登记的批次可能需要几秒钟才能查到。',
    'No lot with this code is recorded. Check the product code (GTIN) and batch/lot on the package; a lot recorded seconds ago may take a moment to appear.',
  ],
  MALFORMED_TRACE_CODE: [
    '这不是有效的追溯码。请输入形如 (01)06901234567892(10)A1 的条码文字、扫描二维码得到的网址，或批次编号。',
    'This is not a valid trace code. Enter the text under the barcode, such as (01)06901234567892(10)A1, the web address from the QR code, or the lot ID.',
  ],
  BAD_CHECK_DIGIT: [
    '商品条码的校验位不正确，请核对是否输错了数字。',
    'The product code’s check digit is wrong; check for a mistyped digit.',
  ],
  MALFORMED_GTIN: ['商品条码（GTIN）格式不正确。', 'The product code (GTIN) is malformed.'],
  INVALID_LOGIN: ['用户名或密码错误。', 'The user name or the password is wrong.'],
  LOGIN_LOCKED: [
    '登录失败次数过多，该账号已暂时锁定，请稍后再试。',
    'Too many failed logins: this user name is locked for a while.',
  ],
  ACCOUNT_DISABLED: [
    '该账号已停用，请联系本单位管理员。',
    'This account is disabled; ask your administrator.',
  ],
  RATE_LIMITED: ['请求过于频繁，请稍后再试。', 'Too many requests; please wait a moment.'],
  UNAUTHENTICATED: ['请先登录。', 'Please log in.'],
  ROLE_FORBIDDEN: ['您的角色无权执行此操作。', 'Your role does not allow this.'],
  CSRF_FAILED: ['页面已过期，请刷新后重试。', 'The page is out of date; reload it and try again.'],
  NOT_REGULATOR: ['只有监管部门可以执行此操作。', 'Only a regulator can do this.'],
  NOT_CUSTODIAN: ['只有该批次的当前持有者可以执行此操作。', 'Only the lot’s current custodian can do this.'],
  LOT_ON_HOLD: ['该批次已被暂扣，不能流转或销售。', 'The lot is on hold: it cannot move or be sold.'],
  LOT_RECALLED: ['该批次已被召回，不能流转或销售。', 'The lot is recalled: it cannot move or be sold.'],
  DUPLICATE_LOT: ['该追溯码已登记过。', 'A lot with this code is already recorded.'],
  WRITE_CONFLICT: ['数据正被同时修改，请重试。', 'The records were changed at the same time; try again.'],
  ENDORSEMENT_POLICY_FAILURE: [
    '联盟链未能获得足够的背书，记录未写入。',
    'The alliance did not endorse the transaction; nothing was recorded.',
  ],
  PEER_UNAVAILABLE: [
    '联盟链节点暂时不可用，请稍后再试。',
    'A ledger node is unavailable; try again shortly.',
  ],
  ORDERING_UNAVAILABLE: [
    '联盟链排序服务暂时不可用，请稍后再试。',
    'The ledger is not accepting writes right now; try again shortly.',
  ],
  TIMEOUT: ['请求超时，请稍后再试。', 'The request timed out; try again.'],
  TRANSACTION_NOT_FOUND: ['账本上没有这笔交易。', 'The ledger has no such transaction.'],
};

/** An error box with role="alert", so that screen readers announce it. */
export function ProblemMessage({ error, className }: { error: unknown; className?: string }) {
  const t = useT();
  if (!error) return null;
  const { title, detail } = describeProblem(t, error);
  const fields = error instanceof ApiProblem ? error.fields : [];
  return (
    <div className={`alert alert-error ${className ?? ''}`} role="alert">
      <p className="alert-title">{title}</p>
      {detail && detail !== title ? <p className="alert-detail">{detail}</p> : null}
      {fields.length > 0 ? (
        <ul className="alert-fields">
          {fields.map((field) => (
            <li key={field.field}>
              <code>{field.field}</code>: {field.messages.join('; ')}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
