/** The directory servers the bench starts for itself on free 127.0.0.1 ports. */
import { startKdc, type KdcHandle } from '../../test/support/kdc.js';
import { startSlapd, type SlapdHandle } from '../../test/support/slapd.js';

/** Users user0001... with this password, in slapd and (for Kerberos) in the KDC. */
export const BULK_USERS = 600;
export const BULK_PASSWORD = 'bulk-pw';

export interface BenchServers {
  slapd: SlapdHandle;
  /** Started only when the Kerberos figure is measured. */
  kdc: KdcHandle | undefined;
  /** Whose CPU counts as the bench's own (see ForeignCpu). */
  pids: number[];
  stop(): Promise<void>;
}

/** Starts slapd and, when asked, a KDC side by side; if either fails, stops the other. */
export async function startBenchServers(options: { kdc: boolean }): Promise<BenchServers> {
  const [slapdStart, kdcStart] = await Promise.allSettled([
    startSlapd({ bulkUsers: BULK_USERS }),
    options.kdc ? startKdc({ bulkUsers: BULK_USERS }) : Promise.resolve(undefined),
  ]);
  if (slapdStart.status === 'rejected' || kdcStart.status === 'rejected') {
    if (slapdStart.status === 'fulfilled') await slapdStart.value.stop();
    if (kdcStart.status === 'fulfilled') await kdcStart.value?.stop();
    if (slapdStart.status === 'rejected') throw slapdStart.reason;
    throw new Error(
      `bench: the Kerberos figure needs an MIT KDC and kinit (krb5-kdc, krb5-user): ` +
        messageOf(kdcStart.status === 'rejected' ? kdcStart.reason : undefined),
    );
  }
  const slapd = slapdStart.value;
  const kdc = kdcStart.value;
  return {
    slapd,
    kdc,
    pids: kdc ? [slapd.pid, kdc.pid] : [slapd.pid],
    stop: async () => {
      await Promise.all([slapd.stop(), kdc?.stop()]);
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
