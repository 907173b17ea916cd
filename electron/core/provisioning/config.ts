// Knobs of the pipeline, with the defaults an operator expects (issue 5; DESIGN §3).
export interface PipelineConfig {
  /** Server running (create_server + start_server actions) within this. */
  runningTimeoutMs: number;
  /** Device enrolled in the tailnet within this, counted from the server running. */
  enrolledTimeoutMs: number;
  /** Each compensation (delete server and wait, delete device, revoke key) within this. */
  compensationTimeoutMs: number;
  /** Auth key lifetime: enough for create + boot + join, short enough to be worthless soon after. */
  keyExpirySeconds: number;
  /** `tailscale up --timeout` on the VM. */
  joinTimeoutSeconds: number;
  /** On `resource_unavailable`, create in another location of the same network zone. */
  locationFallback: boolean;
  /** Catalog older than this is refreshed before validating a provision. */
  catalogMaxAgeMs: number;
  /**
   * How long a process's claim on a job lasts without renewal (renewed every third of it): after a
   * process dies, another one sharing the database takes its jobs over this long after the last
   * renewal at most (provisioning/lease.ts).
   */
  leaseMs: number;
}

export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = {
  runningTimeoutMs: 5 * 60_000,
  enrolledTimeoutMs: 10 * 60_000,
  compensationTimeoutMs: 5 * 60_000,
  keyExpirySeconds: 30 * 60,
  joinTimeoutSeconds: 300,
  locationFallback: true,
  catalogMaxAgeMs: 5 * 60_000,
  leaseMs: 30_000,
};
