/**
 * What earlier sweeps left behind, as detectors see it. Triage persists it; detectors only read it.
 */
import type { FindingKind, FindingStatus, Severity } from "./finding";
import type { LogDestination } from "./snapshot";

/** The remembered state of one finding. */
export interface PriorFinding {
  id: string;
  kind: FindingKind;
  severity: Severity;
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  /** Detector-specific memory, e.g. the baseline used or the reminder rung reached. */
  memo?: Record<string, unknown>;
  /** When triage last let a notification through for it; drives the repeat interval. */
  lastNotifiedAt?: string;
  /** Since when it has been firing with no ack, snooze or silence holding it; escalation by age counts from here. */
  firingSince?: string;
  /** When triage escalated it for firing unacknowledged too long; at most once per incident. */
  ageEscalatedAt?: string;
}

/** What apimbot remembers about an instance between sweeps. */
export interface InstanceMemory {
  instanceId: string;
  instance: string;
  /** Last time every required part of the instance was read without error. */
  lastReadOk?: string;
  /** Last time any read of the instance failed, and how. */
  lastFailureAt?: string;
  lastFailureStatus?: number;
  /** Provisioning state seen by the last sweep, and when it was first seen in that state. */
  provisioningState?: string;
  stateSince?: string;
  /** When subscription contracts (and other slow-cadence parts) were last read. */
  contractsReadAt?: string;
  /** When the configuration (APIs, policies, named values, ...) was last read. */
  configReadAt?: string;
  /** Where the instance's gateway logs go, cached on the slow cadence. */
  logDestinations?: LogDestination[];
}

export interface PriorState {
  findings: ReadonlyMap<string, PriorFinding>;
  instances: ReadonlyMap<string, InstanceMemory>;
}

/** An empty prior state: the first sweep ever. */
export function emptyPrior(): PriorState {
  return { findings: new Map(), instances: new Map() };
}
