/** How long a failed BullMQ job (and the personal data in it) is kept for inspection in bull-board. */
export const FAILED_JOB_AGE_SECONDS = 24 * 60 * 60;
