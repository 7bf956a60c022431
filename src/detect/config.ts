/**
 * Every detector threshold in one place, with the default that ships. `docs/detectors.md` is generated
 * from these values, so a changed default shows up in the docs too.
 */

/** When an operation in one tier family stops being routine. */
export interface ProvisioningTierThresholds {
  /** Minutes in a non-terminal state before a warning. */
  warnMinutes: number;
  /** Minutes before the finding turns critical. */
  criticalMinutes: number;
}

/** Thresholds of the provisioning detector. */
export interface ProvisioningConfig {
  /** Developer, Basic, Standard, Premium, Isolated: infrastructure changes routinely take 30 to 60+ minutes. */
  classic: ProvisioningTierThresholds;
  /** Consumption and the v2 tiers: deployments and changes finish in minutes. */
  fast: ProvisioningTierThresholds;
  /** Past this many minutes the remediation says to open a support case. */
  supportCaseMinutes: number;
}

/** Thresholds of the subscription contract detector. */
export interface SubscriptionsConfig {
  /** Reminder ladder in days before `expirationDate`, any order; one finding per contract, severity by rung. */
  reminderDays: number[];
  /** A rung at or below this many days is a warning. */
  warningDays: number;
  /** A rung at or below this many days is critical. */
  criticalDays: number;
  /** Expired contracts are reported only when they expired within this many days (older ones are history). */
  expiredLookbackDays: number;
}

/** Thresholds shared by the rate-based traffic detectors. */
export interface RateConfig {
  /** The recent window, in minutes before the end of the telemetry window; the rest is the baseline. */
  recentMinutes: number;
  /** Fewer requests than this in the recent window never fire. */
  minRequests: number;
  /** Fewer failures than this in the recent window never fire. */
  minFailures: number;
  /** Absolute floor: the recent failure rate (0..1) must reach this to fire. */
  fireRate: number;
  /** Hysteresis: an open finding resolves only when the rate drops below this (0..1). */
  resolveRate: number;
  /** The recent rate must be at least this many times the API's own baseline rate. */
  baselineRatio: number;
  /** The baseline counts only when it saw at least this many requests; otherwise only the floor applies. */
  minBaselineRequests: number;
  /** At or above this rate (0..1) the finding is critical; below it, a warning. */
  criticalRate: number;
  /**
   * At or above this rate (0..1) the baseline comparison is waived: an API failing this badly for the
   * whole window (an outage older than the window, or apimbot's first sweep) is still reported.
   */
  overwhelmingRate: number;
}

/** Thresholds of the auth burst detector. */
export interface AuthBurstConfig extends RateConfig {
  /**
   * A `TokenSignatureKeyNotFound` burst younger than this (minutes) that is already falling is treated
   * as a signing-key rollover settling in: info, not a page.
   */
  rolloverGraceMinutes: number;
  /** "Falling" means the newest grain's rate is at most this fraction of the burst's peak. */
  rolloverFallingRatio: number;
}

/** Thresholds of the certificate detector. */
export interface CertificatesConfig {
  /** Certificates expiring within this many days are reported. */
  warnDays: number;
  /** Within this many days, critical. */
  criticalDays: number;
}

/** All detector thresholds. */
export interface DetectConfig {
  provisioning: ProvisioningConfig;
  subscriptions: SubscriptionsConfig;
  spike5xx: RateConfig;
  authBurst: AuthBurstConfig;
  certificates: CertificatesConfig;
}

/** The defaults that ship; see docs/detectors.md for why each value was chosen. */
export const defaultDetectConfig: DetectConfig = {
  provisioning: {
    classic: { warnMinutes: 60, criticalMinutes: 120 },
    fast: { warnMinutes: 15, criticalMinutes: 45 },
    supportCaseMinutes: 120,
  },
  subscriptions: {
    reminderDays: [30, 14, 7, 1],
    warningDays: 7,
    criticalDays: 1,
    expiredLookbackDays: 30,
  },
  spike5xx: {
    recentMinutes: 15,
    minRequests: 100,
    minFailures: 10,
    fireRate: 0.05,
    resolveRate: 0.02,
    baselineRatio: 3,
    minBaselineRequests: 200,
    criticalRate: 0.25,
    overwhelmingRate: 0.5,
  },
  authBurst: {
    recentMinutes: 15,
    minRequests: 50,
    minFailures: 20,
    fireRate: 0.1,
    resolveRate: 0.05,
    baselineRatio: 3,
    minBaselineRequests: 200,
    criticalRate: 0.25,
    overwhelmingRate: 0.5,
    rolloverGraceMinutes: 10,
    rolloverFallingRatio: 0.5,
  },
  certificates: {
    warnDays: 30,
    criticalDays: 7,
  },
};

/** The default config with some sections overridden (the reminder ladder from settings, for example). */
export function detectConfig(overrides: { [K in keyof DetectConfig]?: Partial<DetectConfig[K]> } = {}): DetectConfig {
  return {
    provisioning: { ...defaultDetectConfig.provisioning, ...overrides.provisioning },
    subscriptions: { ...defaultDetectConfig.subscriptions, ...overrides.subscriptions },
    spike5xx: { ...defaultDetectConfig.spike5xx, ...overrides.spike5xx },
    authBurst: { ...defaultDetectConfig.authBurst, ...overrides.authBurst },
    certificates: { ...defaultDetectConfig.certificates, ...overrides.certificates },
  };
}
