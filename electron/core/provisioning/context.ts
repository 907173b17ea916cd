import type { Clouds } from '../clouds';
import { LABEL } from '../fleet/labels';
import type { Store } from '../db/store';
import type { Logger } from '../log';
import type { PipelineConfig } from './config';
import type { Journal } from './journal';
import type { Leases } from './lease';

/** What a running job needs. One per process, shared by every job. */
export interface PipelineContext {
  store: Store;
  clouds: Clouds;
  journal: Journal;
  /** The jobs this process holds (it runs only those: several processes may share the store). */
  leases: Leases;
  config: PipelineConfig;
  log: Logger;
  /** Operator SSH public keys put on new VMs. */
  sshKeys(): string[];
  /** Whether new servers may carry the customer's name as a label (setting labelCustomerNames; default off). */
  labelCustomerNames?(): boolean;
  /**
   * The auth key secret and the user-data carrying it, per job: in memory only, never in the store
   * (DESIGN §6). Lost on a crash, which is why a resumed job mints a fresh key unless its server
   * already exists.
   */
  secrets: Map<string, { authKey: string; userData?: string }>;
}

export type { ProvisionState } from './job-records';

export const jobLabel = (jobId: string): string => `${LABEL.job}=${jobId}`;
