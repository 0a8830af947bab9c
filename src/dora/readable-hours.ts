/** @module A DORA duration as people read it, for the terminal and the dashboard alike. */

export interface HourUnits {
  /** Shown when there is no figure (nothing deployed, nothing restored). */
  none: string;
  minutes: string;
  hours: string;
  days: string;
}

/** What `slipway dora` prints: 45m, 3.5h, 4.2d. */
export const TERMINAL_UNITS: HourUnits = { none: '-', minutes: 'm', hours: 'h', days: 'd' };

/** Minutes under an hour, hours up to two days, days past that. */
export function readableHours(h: number | null, units: HourUnits = TERMINAL_UNITS): string {
  if (h === null) return units.none;
  if (h < 1) return `${Math.round(h * 60)}${units.minutes}`;
  if (h < 48) return `${h.toFixed(1)}${units.hours}`;
  return `${(h / 24).toFixed(1)}${units.days}`;
}
