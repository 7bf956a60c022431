/**
 * Triage: dedupe, transitions, mutes, escalation, notification decision and grouping, plus the helpers
 * the chat commands need (durations, id prefixes, silences).
 */
export { triage, type TriageInput, type TriageResult, type Notification, type ExpiredMute } from "./triage";
export { DEFAULT_TRIAGE_CONFIG, type TriageConfig } from "./config";
export { emptyMutes, muterFor, statusFor, ackHolds, snoozeHolds, silenceMatches, type Mute, type MuteSet, type Muter, type Acknowledgement, type Snooze, type Silence } from "./muter";
export { createSilence, MAX_SILENCE_MS, type SilenceRequest } from "./silence";
export { updateInstanceMemory } from "./instance-memory";
export { parseDuration, formatDuration } from "./parse-duration";
export { resolveIdPrefix, MIN_ID_PREFIX } from "./resolve-id-prefix";
export { groupByInstance, type NotificationGroup } from "./group";
export { mergeDetections } from "./dedupe";
export type { NotificationReason, TriageAlert, Stage } from "./stage";
