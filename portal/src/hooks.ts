/** Data loading and actions for the consoles: each keeps its own loading state and API problem. */
import { useCallback, useEffect, useState } from 'react';
import { get } from './api/client';

/** A GET that reloads when `path` changes (null: nothing to load). */
export function useResource<T>(path: string | null): {
  data: T | undefined;
  /** The path `data` was read from (it lags `path` while the next answer loads). */
  loadedPath: string | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
} {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loadedPath, setLoadedPath] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (path === null) {
      setData(undefined);
      return undefined;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    get<T>(path, controller.signal).then(
      (answer) => {
        setData(answer);
        setLoadedPath(path);
        setLoading(false);
      },
      (err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [path, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, loadedPath, error, loading, reload };
}

/** An action (a write): its busy flag, its problem, and a success message to announce. */
export function useAction(): {
  busy: boolean;
  error: unknown;
  done: string | null;
  run: <T>(action: () => Promise<T>, success?: (result: T) => string) => Promise<T | undefined>;
  reset: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async <T>(action: () => Promise<T>, success?: (result: T) => string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await action();
      if (success) setDone(success(result));
      return result;
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const reset = useCallback(() => {
    setError(null);
    setDone(null);
  }, []);
  return { busy, error, done, run, reset };
}
