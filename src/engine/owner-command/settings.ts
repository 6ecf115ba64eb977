// Reads `set <setting> <value>` and its shortcuts ("quiet hours 9pm-8am", "digest 8", "approval off").
import type { BadSetting, OwnerCommand, SettingChange } from '../owner-command.ts';
import { usage } from './common.ts';

const ON = /^(on|yes|true|enable|enabled|haan)$/i;
const OFF = /^(off|no|false|disable|disabled|nahi)$/i;
const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function parseHour(text: string): number | null {
  const m = /^(\d{1,2})(?::00)?\s*(am|pm)?$/i.exec(text.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const suffix = m[2]?.toLowerCase();
  if (suffix) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  }
  return hour >= 0 && hour <= 23 ? hour : null;
}

export function parseSetting(rest: string): OwnerCommand {
  const m = /^(\w+(?:\s+(?:hours|details|mode|days|zone))?)\s*(?:to|=|:)?\s*(.*)$/i.exec(rest);
  if (!m) return usage('set');
  const key = m[1]!.toLowerCase().replace(/\s+/g, ' ');
  const value = m[2]!.trim();
  const set = (change: SettingChange): OwnerCommand => ({ kind: 'set', change });
  const bad = (setting: BadSetting): OwnerCommand => (value ? { kind: 'invalid', problem: { field: 'setting', setting, got: value } } : usage('set'));
  switch (key) {
    case 'currency':
      return value ? set({ key: 'currency', value }) : usage('set');
    case 'timezone':
    case 'time zone':
    case 'tz':
      return value ? set({ key: 'timezone', value }) : usage('set');
    case 'language':
    case 'lang': {
      const lang = /^(hi|hindi|हिंदी)$/i.test(value) ? 'hi' : /^(en|english)$/i.test(value) ? 'en' : null;
      return lang ? set({ key: 'language', value: lang }) : bad('language');
    }
    case 'digest': {
      const hour = parseHour(value.replace(/^(?:at|hour)\s+/i, ''));
      return hour === null ? bad('digest') : set({ key: 'digest', hour });
    }
    case 'quiet':
    case 'quiet hours': {
      const q = /^(\d{1,2}(?::00)?\s*(?:am|pm)?)\s*(?:-|to|–)\s*(\d{1,2}(?::00)?\s*(?:am|pm)?)$/i.exec(value);
      const start = q ? parseHour(q[1]!) : null;
      const end = q ? parseHour(q[2]!) : null;
      if (start === null || end === null) return bad('quiet');
      // Equal hours are no quiet time at all, or all day: neither is meant.
      return start === end ? bad('quiet_same') : set({ key: 'quiet', startHour: start, endHour: end });
    }
    case 'upi':
      return set({ key: 'upi', value: OFF.test(value) || value === '' ? null : value });
    case 'payment details':
    case 'bank':
    case 'payment':
      return set({ key: 'payment_details', value: value === '' || OFF.test(value) ? null : value });
    case 'approval':
    case 'mode':
    case 'approval mode': {
      if (ON.test(value) || /^approve$/i.test(value)) return set({ key: 'approval', mode: 'approve' });
      if (OFF.test(value) || /^(auto|automatic)$/i.test(value)) return set({ key: 'approval', mode: 'auto' });
      return bad('approval');
    }
    case 'terms': {
      const d = /^(\d{1,3})\s*(?:days?)?$/i.exec(value);
      return d && Number(d[1]) <= 365 ? set({ key: 'terms', days: Number(d[1]) }) : bad('terms');
    }
    case 'send days':
    case 'days': {
      if (/^(weekdays|mon-fri)$/i.test(value)) return set({ key: 'send_days', days: [1, 2, 3, 4, 5] });
      if (/^(all|every day|everyday|daily)$/i.test(value)) return set({ key: 'send_days', days: [1, 2, 3, 4, 5, 6, 7] });
      const days = value
        .toLowerCase()
        .split(/[\s,]+/)
        .map((d) => WEEKDAY_NAMES.indexOf(d.slice(0, 3)) + 1);
      return days.length && days.every((d) => d > 0) ? set({ key: 'send_days', days: [...new Set(days)].sort() }) : bad('send_days');
    }
    case 'thanks':
    case 'thank': {
      if (ON.test(value)) return set({ key: 'thanks', enabled: true });
      if (OFF.test(value)) return set({ key: 'thanks', enabled: false });
      return bad('thanks');
    }
    case 'ladder': {
      const l = /^(\w+)\s+(?:day\s+)?([+-]?\d{1,3})?\s*(?:tone\s+)?([a-z]+)?$/i.exec(value);
      if (!l || (!l[2] && !l[3])) return usage('ladder');
      return set({ key: 'ladder', stage: l[1]!.toLowerCase(), offsetDays: l[2] ? Number(l[2]) : null, tone: l[3]?.toLowerCase() ?? null });
    }
    case 'weight': {
      const w = /^(\w+)\s+(\d+(?:\.\d+)?)$/.exec(value);
      return w ? set({ key: 'weight', factor: w[1]!, value: Number(w[2]) }) : usage('weight');
    }
    default:
      return usage('set');
  }
}

export function parseSettingShortcut(text: string): OwnerCommand | null {
  let m: RegExpExecArray | null;
  if ((m = /^quiet hours?\s+(.+)$/i.exec(text))) return parseSetting(`quiet hours ${m[1]}`);
  if ((m = /^digest\s+(?:at\s+)?(.+)$/i.exec(text))) return parseSetting(`digest ${m[1]}`);
  if ((m = /^approval\s+(on|off)$/i.exec(text))) return parseSetting(`approval ${m[1]}`);
  if ((m = /^(?:auto mode|automatic mode|mode auto)$/i.exec(text))) return parseSetting('approval auto');
  if ((m = /^ladder\s+(\w+)\s+(.+)$/i.exec(text))) return parseSetting(`ladder ${m[1]} ${m[2]}`);
  if ((m = /^weight\s+(.+)$/i.exec(text))) return parseSetting(`weight ${m[1]}`);
  if ((m = /^upi\s+(?:id\s+)?(\S+@\S+)$/i.exec(text))) return parseSetting(`upi ${m[1]}`);
  return null;
}
