/**
 * The skeleton every list page shares: the load error with a retry, a loading line, an empty state, the table
 * (with a caption for screen readers and aria-busy while a page loads), and the pager. A page gives its columns
 * and what to say when there is nothing to show. DataTable is the table alone, for rows a page has already
 * put together (a group's members, looked up among the directory's users).
 */
import type { ReactNode } from 'react';
import type { Paged } from './hooks.ts';
import { EmptyState, ErrorBox, Loading, Pager } from './ui.tsx';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

export interface DataTableProps<T> {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** The table's caption for screen readers. */
  caption: string;
  busy?: boolean;
}

export function DataTable<T>({ rows, columns, rowKey, caption, busy }: DataTableProps<T>) {
  return (
    <div className="table-wrap">
      <table className="table" aria-busy={busy}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c.header}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} className={c.className}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface PagedTableProps<T> {
  list: Paged<T>;
  /** Names the pager, and by default the caption and the loading line. */
  label: string;
  /** The table's caption for screen readers, when it says more than the label (e.g. "Audit log entries"). */
  caption?: string;
  /** The loading line, when "Loading <label>…" does not read well (e.g. "Loading API keys…"). */
  loadingLabel?: string;
  /** A line shown above the table when it has rows (what a row's actions do). */
  note?: ReactNode;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: { title: string; body: ReactNode; action?: ReactNode };
}

export function PagedTable<T>({ list, label, caption, loadingLabel, note, columns, rowKey, empty }: PagedTableProps<T>) {
  const rows = list.data?.data ?? [];
  return (
    <>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label={loadingLabel ?? `Loading ${label.toLowerCase()}…`} /> : null}
      {list.data && rows.length === 0 ? (
        <EmptyState title={empty.title} action={empty.action}>
          {empty.body}
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <>
          {note}
          <DataTable rows={rows} columns={columns} rowKey={rowKey} caption={caption ?? label} busy={list.loading} />
        </>
      ) : null}
      <Pager label={label} page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} total={list.data?.total} />
    </>
  );
}
