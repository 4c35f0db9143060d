/** Request counters behind `/health/detailed`. */
export interface RequestStats {
  requests: number;
  errors: number;
  totalMs: number;
}

/** Creates zeroed request counters. */
export const createRequestStats = (): RequestStats => ({ requests: 0, errors: 0, totalMs: 0 });
