/// <reference lib="dom" />
import { useCallback, useEffect, useState } from 'preact/hooks';

/** Fetches from the dashboard's API; an error keeps the server's message and fix for the page to show. */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
export const READ_ONLY = meta('tunekit-read-only') === 'true';

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (e) {
    throw new ApiError(
      `the dashboard server did not answer (${(e as Error).message})`,
      'is `tunekit ui` still running?',
      0,
    );
  }
  const body = (await res.json().catch(() => undefined)) as
    | { error?: { message?: string; fix?: string } }
    | undefined;
  if (!res.ok)
    throw new ApiError(
      body?.error?.message ?? `${res.status} ${res.statusText}`,
      body?.error?.fix ?? 'reload the page',
      res.status,
    );
  return body as T;
}

export const get = <T>(path: string) => call<T>(path);

export const post = <T>(path: string, body: unknown) =>
  call<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tunekit-csrf': meta('tunekit-csrf') },
    body: JSON.stringify(body),
  });

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | undefined): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean; path?: string }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    get<T>(path).then(
      (data) => live && setState({ data, loading: false, path }),
      (error: ApiError) => live && setState({ error, loading: false, path }),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // Until the new path's answer arrives, the data shown is the old path's: say it is loading.
  const { path: loadedPath, ...rest } = state;
  return { ...rest, loading: rest.loading || loadedPath !== path, reload };
}

/** Loads again every `ms` while `active` says the data is still changing (a run in progress). */
export function usePoll<T>(loaded: Loaded<T>, active: (data: T) => boolean, ms = 2000): void {
  const { data, loading, reload } = loaded;
  const again = data !== undefined && !loading && active(data);
  useEffect(() => {
    if (!again) return;
    const timer = setTimeout(reload, ms);
    return () => clearTimeout(timer);
  }, [again, reload, ms]);
}
