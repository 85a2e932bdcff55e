import { TwilioCall, TwilioProduct } from './twilio-router';

const PAGING_KEYS = new Set(['Page', 'PageSize', 'PageToken']);
/** Twilio's default and maximum page sizes. */
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

interface Window {
  page: number;
  pageSize: number;
  slice: unknown[];
  hasNext: boolean;
  pageQuery: (page: number) => string;
}

function window(items: unknown[], call: TwilioCall): Window {
  const requested = Number(call.query.get('PageSize'));
  const pageSize = Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const page = Math.max(0, Number(call.query.get('Page')) || 0);
  const filters = [...call.query].filter(([key]) => !PAGING_KEYS.has(key));
  const pageQuery = (p: number) => {
    const q = new URLSearchParams(filters);
    q.set('PageSize', String(pageSize));
    q.set('Page', String(p));
    if (p > 0) q.set('PageToken', `PA${p}`);
    return q.toString();
  };
  const start = page * pageSize;
  return { page, pageSize, slice: items.slice(start, start + pageSize), hasNext: items.length > start + pageSize, pageQuery };
}

/** The 2010 API's list envelope: the records under `key`, paging as relative `*_page_uri`. */
export function page2010(items: unknown[], call: TwilioCall, key: string): Record<string, unknown> {
  const w = window(items, call);
  const uri = (p: number) => `${call.twilioPath}?${w.pageQuery(p)}`;
  const start = w.page * w.pageSize;
  return {
    [key]: w.slice,
    end: start + Math.max(w.slice.length - 1, 0),
    first_page_uri: uri(0),
    next_page_uri: w.hasNext ? uri(w.page + 1) : null,
    page: w.page,
    page_size: w.pageSize,
    previous_page_uri: w.page > 0 ? uri(w.page - 1) : null,
    start,
    uri: uri(w.page),
  };
}

/**
 * The v1 products' list envelope: paging in `meta` as absolute URLs on
 * Twilio's own host, exactly as Twilio answers (the SDK follows them as they
 * are, so the app's rerouting client must catch them).
 */
export function pageV1(items: unknown[], call: TwilioCall, product: TwilioProduct, key: string): Record<string, unknown> {
  const w = window(items, call);
  const url = (p: number) => `https://${product}.twilio.com${call.twilioPath}?${w.pageQuery(p)}`;
  return {
    [key]: w.slice,
    meta: {
      page: w.page,
      page_size: w.pageSize,
      first_page_url: url(0),
      previous_page_url: w.page > 0 ? url(w.page - 1) : null,
      url: url(w.page),
      next_page_url: w.hasNext ? url(w.page + 1) : null,
      key,
    },
  };
}
