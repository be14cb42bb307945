'use client';
// The live tables' pattern in one place: rows the server rendered with the page (or loaded once
// mounted), loaded again when the query changes, kept current by live events, reloaded after a
// reconnect (events may have been missed meanwhile), rows that arrived live highlighted for a few
// seconds, and older rows or other pages on request. Each list says how its events change it.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { describeFailure } from '@/components/api/client';
import { useCoalesced } from '@/components/common/use-coalesced';
import type { ServerToClientEvents } from '@/lib/realtime/events';
import { arrivedKeys, reloadLimit, withOlderRows, withRowAdded, withRowUpdated, type RowKey } from './live-list-rows';
import { useRealtime, useRealtimeEvents, type LiveHandlers } from './RealtimeProvider';

/** How long a row that arrived live stays highlighted. */
const FRESH_MS = 8000;
/** A query typed into a filter is asked once the typing pauses this long. */
const QUERY_DELAY_MS = 250;

/** What a list's `load` answers: a page of rows, and how many there are in all where the API counts them. */
export interface RowsAnswer<Row> {
  rows: Row[];
  total?: number;
}

/** Which rows to load: `before` the last row loaded (older rows), or page `page`, `pageSize` rows. */
interface ListPosition<Row> {
  before: Row | null;
  page: number;
  pageSize: number;
}

/** What a live event may do to a list. */
interface LiveListControls<Row> {
  rows: readonly Row[];
  has: (key: RowKey) => boolean;
  /** A row that arrived live: at the top, highlighted for FRESH_MS. */
  add: (row: Row) => void;
  /** Changes a listed row in place; nothing when it is not listed. */
  update: (key: RowKey, change: (row: Row) => Row) => void;
  /** Loads the list again soon: a burst of events makes one reload a second at most. */
  scheduleReload: () => void;
}

type LiveListEvents<Row> = {
  [Event in keyof ServerToClientEvents]?: (event: Parameters<ServerToClientEvents[Event]>[0], list: LiveListControls<Row>) => void;
};

export interface LiveListOptions<Row, Query, Answer extends RowsAnswer<Row>> {
  /** What to list (filters): a change loads the list again from the start. */
  query: Query;
  /** The server's answer for `query` rendered with the page; null: load once mounted. */
  initial: Answer | null;
  /** `older`: one list that grows with older rows; `pages`: numbered pages. */
  paging: 'older' | 'pages';
  pageSize: number;
  /** The most rows one load may ask for: a reload keeps the older rows loaded so far, up to this many. */
  maxPageSize?: number;
  rowKey: (row: Row) => RowKey;
  load: (query: Query, position: ListPosition<Row>) => Promise<Answer>;
  live?: LiveListEvents<Row>;
}

export interface LiveList<Row, Answer> extends LiveListControls<Row> {
  /** The last answer loaded (for its counts); null until the first. */
  answer: Answer | null;
  isLoaded: boolean;
  /** Why the last load failed; null once one succeeds. */
  failure: string | null;
  isFresh: (key: RowKey) => boolean;
  hasOlder: boolean;
  loadOlder: () => Promise<void>;
  page: number;
  pageCount: number;
  goToPage: (page: number) => void;
}

interface ListState<Row, Answer> {
  rows: Row[];
  answer: Answer | null;
  page: number;
  hasOlder: boolean;
}

/** `query`: a new query (page 1, one page); `live`: the same rows again, and what arrived (fresh); `page`: another page. */
type ReloadKind = { kind: 'query' } | { kind: 'live' } | { kind: 'page'; page: number };

export function useLiveList<Row, Query, Answer extends RowsAnswer<Row>>(options: LiveListOptions<Row, Query, Answer>): LiveList<Row, Answer> {
  const latest = useRef(options);
  const [list, setList] = useState<ListState<Row, Answer>>(() => ({
    rows: options.initial?.rows ?? [],
    answer: options.initial,
    page: 1,
    hasOlder: options.paging === 'older' && (options.initial?.rows.length ?? 0) >= options.pageSize,
  }));
  const current = useRef(list);
  // Loads and events read the newest options and rows; kept current after each commit, before any effect runs.
  useLayoutEffect(() => {
    latest.current = options;
    current.current = list;
  });
  const [failure, setFailure] = useState<string | null>(null);
  const { markFresh, isFresh } = useFreshKeys();
  // Each load that replaces the list counts; an answer to an earlier one arrives too late and is dropped.
  const generation = useRef(0);

  const reload = useCallback(
    async (how: ReloadKind) => {
      const { query, load, rowKey, paging, pageSize, maxPageSize = pageSize } = latest.current;
      const run = ++generation.current;
      const before = current.current;
      const page = how.kind === 'page' ? how.page : how.kind === 'live' ? before.page : 1;
      const limit = paging === 'older' && how.kind === 'live' ? reloadLimit(before.rows.length, pageSize, maxPageSize) : pageSize;
      try {
        const answer = await load(query, { before: null, page, pageSize: limit });
        if (run !== generation.current) return;
        if (how.kind === 'live' && before.answer !== null) markFresh(arrivedKeys(before.rows, answer.rows, rowKey));
        setList({ rows: answer.rows, answer, page, hasOlder: paging === 'older' && answer.rows.length >= limit });
        setFailure(null);
      } catch (error) {
        if (run === generation.current) setFailure(describeFailure(error));
      }
    },
    [markFresh],
  );

  const queryKey = JSON.stringify(options.query);
  const askedKey = useRef(options.initial ? queryKey : null);
  useEffect(() => {
    if (askedKey.current === queryKey) return;
    const timer = setTimeout(
      () => {
        askedKey.current = queryKey;
        void reload({ kind: 'query' });
      },
      askedKey.current === null ? 0 : QUERY_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [queryKey, reload]);

  const { resyncToken } = useRealtime();
  const seenResync = useRef(resyncToken);
  useEffect(() => {
    if (resyncToken === seenResync.current) return;
    seenResync.current = resyncToken;
    void reload({ kind: 'live' });
  }, [resyncToken, reload]);

  const scheduleReload = useCoalesced(() => reload({ kind: 'live' }));
  const keyOf = (row: Row) => latest.current.rowKey(row);
  const controls: LiveListControls<Row> = {
    rows: list.rows,
    has: (key) => current.current.rows.some((row) => keyOf(row) === key),
    add: (row) => {
      setList((state) => ({ ...state, rows: withRowAdded(state.rows, row, keyOf) }));
      markFresh([keyOf(row)]);
    },
    update: (key, change) => setList((state) => ({ ...state, rows: withRowUpdated(state.rows, key, change, keyOf) })),
    scheduleReload,
  };
  // eslint-disable-next-line react-hooks/refs -- bindEvents only wraps the handlers: the controls read refs when an event arrives, not during render.
  useRealtimeEvents(bindEvents(options.live ?? {}, controls));

  const loadOlder = async () => {
    const { query, load, pageSize } = latest.current;
    const last = current.current.rows.at(-1);
    if (!last) return;
    const run = generation.current;
    try {
      const answer = await load(query, { before: last, page: 1, pageSize });
      if (run !== generation.current) return;
      setList((state) => ({ ...state, rows: withOlderRows(state.rows, answer.rows, keyOf), hasOlder: answer.rows.length >= pageSize }));
    } catch (error) {
      setFailure(describeFailure(error));
    }
  };

  return {
    ...controls,
    answer: list.answer,
    isLoaded: list.answer !== null,
    failure,
    isFresh,
    hasOlder: list.hasOlder,
    loadOlder,
    page: list.page,
    pageCount: Math.max(1, Math.ceil((list.answer?.total ?? 0) / options.pageSize)),
    goToPage: (page) => void reload({ kind: 'page', page }),
  };
}

function bindEvents<Row>(events: LiveListEvents<Row>, controls: LiveListControls<Row>): LiveHandlers {
  const bound: Record<string, (event: never) => void> = {};
  for (const [name, handler] of Object.entries(events))
    bound[name] = (event: never) => (handler as (event: never, list: LiveListControls<Row>) => void)(event, controls);
  return bound;
}

/** Keys highlighted for FRESH_MS after they were marked. */
function useFreshKeys() {
  const [keys, setKeys] = useState<ReadonlySet<RowKey>>(new Set());
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);
  const markFresh = useCallback((marked: RowKey[]) => {
    if (marked.length === 0) return;
    setKeys((current) => new Set([...current, ...marked]));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setKeys((current) => new Set([...current].filter((key) => !marked.includes(key))));
    }, FRESH_MS);
    timers.current.add(timer);
  }, []);
  return { markFresh, isFresh: (key: RowKey) => keys.has(key) };
}
