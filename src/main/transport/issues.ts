// Validation issues as sentences a trader can act on: the value that is wrong and why, never a schema path.

export interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** The value at `path` inside the arguments, if it is there. */
function valueAt(args: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = args;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as string];
  }
  return v;
}

/** The field an issue is about: the last named segment (`patch.ui.scannerForm.symbols.1` → `symbols`). */
export function fieldName(path: readonly PropertyKey[]): string | null {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string' && !/^\d+$/.test(path[i] as string)) return path[i] as string;
  return null;
}

/** `clientId` → `Client id`, `dte` → `DTE`, `whatIfTop` → the form's own name for it. */
function label(field: string): string {
  const named: Record<string, string> = { dte: 'DTE', ror: 'RoR', pop: 'POP', whatIfTop: 'What-if rows', topPerSymbol: 'Per symbol', minPerSymbol: 'Min per symbol' };
  if (named[field]) return named[field];
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
}

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
const lowerFirst = (s: string) => (s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

/** One sentence for one issue, naming the offending value where it is short enough to quote. */
export function issueSentence(issue: Issue, args: unknown): string {
  const field = fieldName(issue.path);
  const value = valueAt(args, issue.path);
  if ((field === 'symbols' || field === 'symbol') && typeof value === 'string') return sentence(`“${value.slice(0, 24)}” is not a ticker symbol: ${lowerFirst(issue.message)}`);
  // Messages that already name their field ("Port must be between…") stand on their own.
  if (field && issue.message.toLowerCase().startsWith(label(field).toLowerCase())) return sentence(issue.message);
  if (field && typeof value === 'string' && value.length <= 24) return sentence(`${label(field)} “${value}”: ${lowerFirst(issue.message)}`);
  return sentence(field ? `${label(field)}: ${lowerFirst(issue.message)}` : issue.message);
}

/** Up to `max` distinct sentences, joined. */
export function issuesSentence(issues: readonly Issue[], args: unknown, max = 3): string {
  const out = [...new Set(issues.map((i) => issueSentence(i, args)))];
  return out.slice(0, max).join(' ') + (out.length > max ? ` (${out.length - max} more)` : '');
}
