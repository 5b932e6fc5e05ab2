/** Rate-limit counters shared by every instance (src/http/rate-limit-store.ts). */
export interface RateLimitsTable {
  limiter_key: string; // sha256 (base64url) of the limiter's name and the client key: no IP or token in clear
  hits: number; // requests counted (or reserved) in the current window
  reset_at: number; // epoch ms when the window ends
}

export interface RateLimitTables {
  rate_limits: RateLimitsTable;
}
