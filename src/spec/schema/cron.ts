/** @module A CronJob schedule as Kubernetes takes it: five fields (minute hour day month weekday) or a macro. */
import { z } from 'zod';

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const NAMES: Record<number, string[]> = {
  3: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  4: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'];

/** Why a field is wrong, or undefined. */
function fieldProblem(text: string, i: number): string | undefined {
  const [min, max] = RANGES[i]!;
  const value = (v: string) => {
    const named = NAMES[i]?.indexOf(v.toUpperCase()) ?? -1;
    if (named >= 0) return named + (i === 3 ? 1 : 0);
    return /^\d+$/.test(v) ? Number(v) : Number.NaN;
  };
  for (const item of text.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `"${item}" has a bad step`;
    if (range === '*' || range === '?') continue;
    const bounds = range!.split('-').map(value);
    if (bounds.length > 2 || bounds.some((b) => !(b >= min && b <= max)))
      return `"${item}" is outside ${min}–${max}`;
  }
  return undefined;
}

export function cronProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (s.startsWith('@')) return MACROS.includes(s) ? undefined : `unknown macro ${s} (${MACROS.join(', ')})`;
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `a schedule has 5 fields (minute hour day month weekday), this has ${fields.length}`;
  for (const [i, f] of fields.entries()) {
    const problem = fieldProblem(f, i);
    if (problem) return `the ${FIELDS[i]} field ${problem}`;
  }
  return undefined;
}

export const cronSchedule = z.string().superRefine((s, ctx) => {
  const problem = cronProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: `not a cron schedule: ${problem}` });
});
