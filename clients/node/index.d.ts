// Types of icemu-testing (index.js).

/** An error answered by icemu's admin API. */
export declare class IcemuError extends Error {
  constructor(status: number, code: string, message: string);
  readonly name: 'IcemuError';
  /** HTTP status of the answer. */
  readonly status: number;
  /** The admin API's error code: "not_found", "conflict", "bad_request", "unauthorized", ... */
  readonly code: string;
}

export type RequestKind =
  | 'PROVISION' | 'ASSIGNMENT_CREATE' | 'ASSIGNMENT_DELETE';
export type RequestStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
export type SchedulerMode = 'auto' | 'polls' | 'manual';

/** An asynchronous request as `GET /_icemu/requests` lists it; dates are epoch milliseconds. */
export interface IcemuRequest {
  request_id: string;
  kind: RequestKind | string;
  status: RequestStatus;
  instance_id: string;
  permission_set_id: string;
  account_id: string | null;
  principal_type: string | null;
  principal_id: string | null;
  failure_reason: string | null;
  created_date: number;
  due_date: number | null;
  surface: string;
}

export interface SchedulerSettings {
  mode: SchedulerMode;
  delay_ms: { min: number; max: number };
  polls: number;
  seed: number;
}

export interface SchedulerOptions {
  /** The settlement delay in auto mode: N ms, or [min, max] to draw from. */
  delayMs?: number | [number, number];
  /** The Describe...Status call that settles a request in polls mode. */
  polls?: number;
  /** The seed of delays and fault probabilities (setting it restarts the draws). */
  seed?: number;
}

export interface RequestFilters {
  status?: RequestStatus;
  kind?: RequestKind;
  /** An instance ARN, "ssoins-<hex>", "ins-<hex>" or the 16 hex. */
  instance?: string;
}

export interface FaultMatch {
  operation?: string;
  kind?: RequestKind;
  surface?: 'aws' | 'huawei';
  instance_id?: string;
  permission_set_id?: string;
  permission_set_name?: string;
  account_id?: string;
  principal_type?: 'USER' | 'GROUP';
  principal_id?: string;
  probability?: number;
}

/** A fault rule: `match`, then exactly one of `outcome` and `error`, and optional `times`. */
export interface FaultRule {
  match?: FaultMatch;
  outcome?: { status: 'FAILED'; failure_reason?: string } | { status: 'IN_PROGRESS' };
  error?: {
    code: 'ThrottlingException' | 'InternalServerException' | 'AccessDeniedException' | 'ConflictException';
    latency_ms?: number;
  };
  times?: number;
}

/** A rule as `GET /_icemu/faults` lists it. */
export type ListedFaultRule = FaultRule & { hits: number; source: 'config' | 'runtime' };

export interface Health {
  status: 'ok';
  version: string;
  uptime_s: number;
  store: { engine: string; path: string };
  scheduler: { mode: SchedulerMode; clock_offset_ms: number; in_flight: number };
  surfaces: string[];
}

/** A running icemu: its endpoint and its admin API. */
export interface Icemu {
  /** The URL every AWS and Huawei client is pointed at, e.g. "http://127.0.0.1:41234". */
  readonly endpoint: string;
  /** One admin call (`urlPath` starts with "/_icemu/"); rejects with an IcemuError. */
  admin(method: string, urlPath: string, body?: unknown): Promise<any>;
  health(): Promise<Health>;
  /** Erases requests, resources and run-time fault rules; restores the configured scheduler,
   * clock and initial instance (`instance`: only that instance's data). */
  reset(options?: { instance?: string }): Promise<void>;
  /** Ends an IN_PROGRESS request now; resolves to the request. */
  settle(requestId: string, options?: { status?: 'SUCCEEDED' | 'FAILED'; failureReason?: string }): Promise<IcemuRequest>;
  /** Moves the virtual clock forward; resolves to the ids of the requests it settled. */
  advanceClock(seconds: number): Promise<string[]>;
  scheduler(): Promise<SchedulerSettings>;
  /** Changes the scheduler (an undefined mode keeps it); resolves to its settings. */
  setScheduler(mode?: SchedulerMode | null, options?: SchedulerOptions): Promise<SchedulerSettings>;
  faults(): Promise<ListedFaultRule[]>;
  /** Adds a fault rule; resolves to a function that removes this rule, and only this one. */
  addFault(rule: FaultRule): Promise<() => Promise<void>>;
  requests(filters?: RequestFilters): Promise<IcemuRequest[]>;
}

/** An icemu that `startIcemu` started. */
export interface StartedIcemu extends Icemu {
  readonly pid: number;
  /** Where icemu's standard output and error go. */
  readonly logPath: string;
  /** What icemu wrote so far. */
  log(): string;
  /** SIGTERM, wait for exit status 0 (else reject), remove the temporary store. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The icemu binary (default: $ICEMU_BIN, else icemu on PATH). */
  bin?: string;
  /** More icemu flags, e.g. ['--scheduler-mode', 'manual']. */
  args?: string[];
  /** Variables added to icemu's environment, e.g. { ICEMU_SCHEDULER_DELAY_MS: '0' }. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface ConnectOptions {
  /** Where the admin API listens when not on `endpoint` (default: $ICEMU_ADMIN_ENDPOINT). */
  adminEndpoint?: string;
  /** The admin token (default: $ICEMU_ADMIN_TOKEN). */
  adminToken?: string;
  /** How long to wait for /_icemu/health (default 20000). */
  timeoutMs?: number;
}

/** Starts icemu on a free port with a temporary store; resolves once it is healthy. */
export declare function startIcemu(options?: StartOptions): Promise<StartedIcemu>;
/** An icemu that runs already; resolves once it is healthy. */
export declare function connectIcemu(endpoint: string, options?: ConnectOptions): Promise<Icemu>;
/** The icemu binary: `bin`, else $ICEMU_BIN, else `icemu` on PATH; throws when none is found. */
export declare function findIcemu(bin?: string): string;
