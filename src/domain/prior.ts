/**
 * What earlier sweeps left behind, as detectors see it. Triage persists it; detectors only read it.
 */
import type { FindingKind, FindingStatus, Severity } from "./finding";

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
}

export interface PriorState {
  findings: ReadonlyMap<string, PriorFinding>;
  instances: ReadonlyMap<string, InstanceMemory>;
}

/** An empty prior state: the first sweep ever. */
export function emptyPrior(): PriorState {
  return { findings: new Map(), instances: new Map() };
}
