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

const MACRO_FIELDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Whether a field matches a value (the schedule is valid: cronProblem said so). */
function fieldMatches(text: string, i: number, value: number): boolean {
  const [min, max] = RANGES[i]!;
  const parse = (v: string) => {
    const named = NAMES[i]?.indexOf(v.toUpperCase()) ?? -1;
    return named >= 0 ? named + (i === 3 ? 1 : 0) : Number(v);
  };
  return text.split(',').some((item) => {
    const [range, stepText] = item.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [from, to] =
      range === '*' || range === '?'
        ? [min, max]
        : range!.includes('-')
          ? (range!.split('-').map(parse) as [number, number])
          : [parse(range!), stepText ? max : parse(range!)];
    // Sunday is 0 and 7.
    const v = i === 4 && value === 0 && to === 7 ? 7 : value;
    return v >= from && v <= to && (v - from) % step === 0;
  });
}

/** The schedule's five fields (macros expanded). */
const fieldsOf = (schedule: string) =>
  (MACRO_FIELDS[schedule.trim()] ?? schedule.trim()).split(/\s+/) as [string, string, string, string, string];

/** Whether the schedule fires on this UTC day, with cron's either-day rule. */
function dayMatches(fields: string[], at: Date): boolean {
  const [, , dom, month, dow] = fields as [string, string, string, string, string];
  if (!fieldMatches(month, 3, at.getUTCMonth() + 1)) return false;
  const byMonth = fieldMatches(dom, 2, at.getUTCDate());
  const byWeek = fieldMatches(dow, 4, at.getUTCDay());
  const restricted = (f: string) => f !== '*' && f !== '?';
  return restricted(dom) && restricted(dow) ? byMonth || byWeek : byMonth && byWeek;
}

/** Whether the schedule fires at this minute (UTC). */
export function cronMatches(schedule: string, at: Date): boolean {
  const fields = fieldsOf(schedule);
  return (
    fieldMatches(fields[0], 0, at.getUTCMinutes()) &&
    fieldMatches(fields[1], 1, at.getUTCHours()) &&
    dayMatches(fields, at)
  );
}

/** The longest time between two runs over a year from `from`, in minutes: what a restore can lose at worst. */
export function longestGapMinutes(schedule: string, from = Date.UTC(2026, 0, 1)): number {
  const fields = fieldsOf(schedule);
  const hours = Array.from({ length: 24 }, (_, h) => h).filter((h) => fieldMatches(fields[1], 1, h));
  const minutes = Array.from({ length: 60 }, (_, m) => m).filter((m) => fieldMatches(fields[0], 0, m));
  const runs: number[] = [];
  for (let day = 0; day < 366; day++) {
    if (!dayMatches(fields, new Date(from + day * 86_400_000))) continue;
    for (const h of hours) for (const m of minutes) runs.push(day * 1440 + h * 60 + m);
  }
  if (runs.length === 0) return Number.POSITIVE_INFINITY;
  let longest = runs[0]! + 366 * 1440 - runs.at(-1)!; // from the year's last run to the next year's first
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, runs[i]! - runs[i - 1]!);
  return longest;
}
