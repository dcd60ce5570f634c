/**
 * LeaseStore port: named leases, so a singleton role (retention, alert evaluation) runs in one process
 * at a time however many processes are started with it. A lease has one holder until it expires; the
 * holder renews it well before then, anyone may take it once it has expired, and the holder gives it
 * back when it stops. Expiry is measured by the store's clock, so the processes' clocks do not matter.
 * SQLite (one file, processes on one machine) in standalone, PostgreSQL when processes share a database.
 */
export interface LeaseStore {
  /** Creates what the store needs (idempotent). */
  init(): Promise<void>;
  /**
   * Takes the lease `name` for `holder` until `ttlMs` from now, when it is free, expired or already
   * this holder's (a renewal). True when `holder` holds it now; false, changing nothing, when another
   * holder's lease has not expired. Atomic: two processes asking at once never both get true.
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back if `holder` holds it, so another process can take it at once. */
  release(name: string, holder: string): Promise<void>;
  /** Who holds the lease now (null when free or expired), and until when (ms since the epoch). */
  holder(name: string): Promise<{ holder: string; expiresAt: number } | null>;
  close(): Promise<void>;
}
