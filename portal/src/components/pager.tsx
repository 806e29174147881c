/**
 * Paging of the consoles' lists past their first page. Ledger lists answer a bookmark (the next page starts after
 * it); query-store searches answer page numbers. Either way the user moves with Previous and Next buttons (real
 * buttons: keyboard and screen readers work), and a live region says which rows are shown.
 */
import { useEffect, useState } from 'react';
import type { Answer } from '../api/client';
import { useResource } from '../hooks';
import { useI18n } from '../i18n/i18n';

/** Page sizes the user may choose; the API gives at most 100 search rows and 500 ledger rows a page. */
export const PAGE_SIZES = [10, 25, 50, 100] as const;

/** Where the user is in a paged list, and how to move. */
export interface Paging {
  /** 1-based. */
  page: number;
  /** True until the rows of this page have arrived. */
  loading: boolean;
  /** True once the user has chosen a page size other than the list's own. */
  chosenSize: boolean;
  pageSize: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previous(): void;
  next(): void;
  setPageSize(size: number): void;
}

/** What a paged list hook gives: the resource of the current page and its paging. */
export interface PagedResource<T> extends ReturnType<typeof useResource<Answer<T[]>>> {
  paging: Paging;
}

/** A path with paging parameters added to its query string. */
function withParams(path: string, params: Record<string, string | number>): string {
  const [base, search = ''] = path.split('?', 2) as [string, string?];
  const query = new URLSearchParams(search);
  for (const [name, value] of Object.entries(params)) {
    if (value === '') query.delete(name);
    else query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

/** The resource as of `requested`: while another page's rows are still shown, no rows and loading. */
function current<R extends ReturnType<typeof useResource<unknown>>>(
  resource: R,
  requested: string | null,
): R {
  if (requested === null || resource.loadedPath === requested) return resource;
  return { ...resource, data: undefined, loading: resource.error === null };
}

/**
 * A ledger list paged by bookmarks: page n is fetched with the bookmark page n - 1 answered. `path` is the list's
 * address without paging (null: nothing to load); paging restarts when it changes.
 */
export function useBookmarkPages<T>(path: string | null, initialPageSize = 100): PagedResource<T> {
  const [pageSize, setPageSize] = useState(initialPageSize);
  // bookmarks[i] opens page i + 1 ('' for the first).
  const [bookmarks, setBookmarks] = useState<string[]>(['']);
  useEffect(() => setBookmarks(['']), [path, pageSize]);
  const bookmark = bookmarks[bookmarks.length - 1] ?? '';
  const requested = path === null ? null : withParams(path, { pageSize, bookmark });
  const resource = current(useResource<Answer<T[]>>(requested), requested);
  const answered = resource.data?.page;
  const rows = resource.data?.data.length ?? 0;
  // A full page with a bookmark may have more after it; the ledger cannot say until it is asked.
  const hasNext =
    !resource.loading &&
    Boolean(answered?.bookmark) &&
    Math.max(rows, answered?.fetchedCount ?? 0) >= pageSize;
  return {
    ...resource,
    paging: {
      page: bookmarks.length,
      loading: resource.loading,
      chosenSize: pageSize !== initialPageSize,
      pageSize,
      hasPrevious: bookmarks.length > 1,
      hasNext,
      previous: () => setBookmarks((list) => (list.length > 1 ? list.slice(0, -1) : list)),
      next: () => {
        const nextBookmark = answered?.bookmark;
        if (nextBookmark) setBookmarks((list) => [...list, nextBookmark]);
      },
      setPageSize,
    },
  };
}

/** A query-store search paged by number (`page`, `pageSize`, answered with `hasMore`). */
export function useNumberedPages<T>(path: string | null, initialPageSize = 100): PagedResource<T> {
  const [pageSize, setPageSize] = useState(initialPageSize);
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [path, pageSize]);
  const requested = path === null ? null : withParams(path, { page, pageSize });
  const resource = current(useResource<Answer<T[]>>(requested), requested);
  const answered = resource.data?.page;
  return {
    ...resource,
    paging: {
      page,
      loading: resource.loading,
      chosenSize: pageSize !== initialPageSize,
      pageSize,
      hasPrevious: page > 1,
      hasNext: !resource.loading && answered?.hasMore === true,
      previous: () => setPage((p) => Math.max(1, p - 1)),
      next: () => setPage((p) => p + 1),
      setPageSize,
    },
  };
}

/** Previous and Next buttons, the page shown, and the page size, for the list labelled by `label`. */
export function Pager({ paging, rows, label }: { paging: Paging; rows: number; label: string }) {
  const { t } = useI18n();
  const first = (paging.page - 1) * paging.pageSize + 1;
  // A short list needs no pager, unless the user has chosen a page size (the choice stays in reach).
  if (paging.page === 1 && !paging.hasNext && !paging.chosenSize && rows <= PAGE_SIZES[0]) return null;
  return (
    <nav className="pager" aria-label={t('{list}分页', '{list}: pages', { list: label })}>
      {/* aria-disabled, not disabled: a button that turns disabled under the keyboard's focus drops the focus. */}
      <button
        type="button"
        className="button"
        onClick={() => (paging.hasPrevious && !paging.loading ? paging.previous() : undefined)}
        aria-disabled={!paging.hasPrevious || paging.loading}
      >
        <span aria-hidden="true">← </span>
        {t('上一页', 'Previous page')}
      </button>
      <span role="status" aria-live="polite">
        {paging.loading
          ? t('正在加载第 {page} 页…', 'Loading page {page}…', { page: paging.page })
          : rows === 0
            ? t('第 {page} 页：没有记录', 'Page {page}: no rows', { page: paging.page })
            : t('第 {page} 页 · 第 {first}–{last} 条', 'Page {page} · rows {first}–{last}', {
                page: paging.page,
                first,
                last: first + rows - 1,
              })}
      </span>
      <button
        type="button"
        className="button"
        onClick={() => (paging.hasNext ? paging.next() : undefined)}
        aria-disabled={!paging.hasNext}
      >
        {t('下一页', 'Next page')}
        <span aria-hidden="true"> →</span>
      </button>
      <label className="pager-size">
        {t('每页', 'Rows per page')}{' '}
        <select value={paging.pageSize} onChange={(event) => paging.setPageSize(Number(event.target.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
