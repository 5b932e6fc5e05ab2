/**
 * One pagination model over the API's three ways of paging: keyset cursors (`pageToken` on the pull API and the
 * directory event log, `nextCursor`+`after` on products, tenants and the vendor event stream) and Jackson's offsets
 * (`pageOffset`/`pageLimit` on setup links). A list call returns a `Paged<T>`: iterate it with `for await` to get
 * every item across pages, or call `.pages()` for one page at a time. Nothing is fetched until you iterate.
 */

/** One page as the SDK sees it: the items and the cursor of the next page (null at the end). */
export interface Page<T> {
  items: T[];
  /** Where the next page starts; null when this was the last page. */
  next: string | null;
}

/** Fetches the page that starts at `cursor` (null: the first page). */
export type PageFetcher<T> = (cursor: string | null) => Promise<Page<T>>;

export class Paged<T> implements AsyncIterable<T> {
  #fetchPage: PageFetcher<T>;
  #start: string | null;
  #cursor: string | null;

  constructor(fetchPage: PageFetcher<T>, start: string | null = null) {
    this.#fetchPage = fetchPage;
    this.#start = start;
    this.#cursor = start;
  }

  /**
   * After iterating, where to continue later: for the vendor event stream, the cursor after the last event seen
   * (save it and pass it as `after` next time); the start cursor when nothing came after it.
   */
  get cursor(): string | null {
    return this.#cursor;
  }

  /**
   * The pages, each fetched when the previous one has been handled. Stops after a page with no next cursor, an
   * empty page, or a page whose next cursor is the one it was fetched with (a stream that has nothing newer yet).
   */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor = this.#start;
    for (;;) {
      const page = await this.#fetchPage(cursor);
      if (page.items.length === 0) return;
      yield page;
      if (page.next !== null) this.#cursor = page.next;
      if (page.next === null || page.next === cursor) return;
      cursor = page.next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Every item, across pages, in an array (at most `max`, default 10 000, so a runaway list cannot fill memory). */
  async toArray(max = 10_000): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) {
      out.push(item);
      if (out.length >= max) break;
    }
    return out;
  }
}

/** Offset paging (`pageOffset`/`pageLimit`) as a cursor: the cursor is the next offset, as text. */
export function offsetPages<T>(pageLimit: number, fetchAt: (offset: number, limit: number) => Promise<{ items: T[]; total?: number }>): PageFetcher<T> {
  return async (cursor) => {
    const offset = cursor ? Number(cursor) : 0;
    const { items, total } = await fetchAt(offset, pageLimit);
    const end = offset + items.length;
    const more = items.length === pageLimit && (total === undefined || end < total);
    return { items, next: more ? String(end) : null };
  };
}
