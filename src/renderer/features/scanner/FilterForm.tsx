// The scanner's filter form: watchlist, the filters that matter most in one row, the rest behind "More", presets.
import { forwardRef, useEffect, useState, type KeyboardEvent } from 'react';
import { DEFAULT_PROBABILITY_MODEL, DEFAULT_WHAT_IF_TOP, MAX_WHAT_IF_TOP, type ProbabilityModel, type ScanFilters, type ScanPreset, type ScannerForm, type ScannerModel, type ScoreBy, type SpreadKind } from '../../../core/contract';

type Bounds = { min?: number; max?: number };

/** The per-symbol quota a form without one uses (ScanRequest.minPerSymbol's default). */
export const DEFAULT_MIN_PER_SYMBOL = 3;

/** A number box that keeps what the trader types until it parses; empty means "no bound". */
function NumberBox({ value, onChange, scale = 1, label, width = 46, step, testId, disabled, title }: { value: number | undefined; onChange(v: number | undefined): void; scale?: number; label: string; width?: number; step?: string; testId?: string; disabled?: boolean; title?: string }) {
  const shown = value === undefined ? '' : String(Math.round(value * scale * 1e6) / 1e6);
  const [text, setText] = useState(shown);
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setText(shown);
  }, [shown, focused]);
  const bad = text.trim() !== '' && !Number.isFinite(Number(text));
  return (
    <input
      className={`scan-input num${bad ? ' scan-input-bad' : ''}`}
      style={{ width }}
      inputMode="decimal"
      aria-label={label}
      aria-invalid={bad}
      title={title ?? label}
      disabled={disabled}
      data-testid={testId}
      value={text}
      step={step}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      onChange={(e) => {
        setText(e.target.value);
        const t = e.target.value.trim();
        if (t === '') onChange(undefined);
        else if (Number.isFinite(Number(t))) onChange(Number(t) / scale);
      }}
    />
  );
}

function RangeField({ label, value, onChange, scale = 1, width = 40, testId }: { label: string; value: Bounds | undefined; onChange(v: Bounds | undefined): void; scale?: number; width?: number; testId?: string }) {
  const set = (k: 'min' | 'max', v: number | undefined) => {
    const next: Bounds = { ...value };
    if (v === undefined) delete next[k];
    else next[k] = v;
    onChange(next.min === undefined && next.max === undefined ? undefined : next);
  };
  return (
    <label className="scan-field">
      <span className="label">{label}</span>
      <span className="scan-range">
        <NumberBox label={`${label} from`} value={value?.min} scale={scale} width={width} onChange={(v) => set('min', v)} testId={testId ? `${testId}-min` : undefined} />
        <span className="scan-dash">–</span>
        <NumberBox label={`${label} to`} value={value?.max} scale={scale} width={width} onChange={(v) => set('max', v)} testId={testId ? `${testId}-max` : undefined} />
      </span>
    </label>
  );
}

/** Why the OI filter is off: the scan cannot know OI while it ranks (snapshots carry none), only for the rows on screen after. */
export const OI_FILTER_OFF = 'Open interest is asked for only for the rows on screen once the scan has ranked its top (streaming lines, generic tick 101; snapshots carry none), so it cannot filter the scan. Sort or filter the Min OI column (Columns ▾) instead.';

function Single({ label, value, onChange, scale = 1, width = 46, testId, disabled, title }: { label: string; value: number | undefined; onChange(v: number | undefined): void; scale?: number; width?: number; testId?: string; disabled?: boolean; title?: string }) {
  return (
    <label className="scan-field" title={title}>
      <span className="label">{label}</span>
      <NumberBox label={label} value={value} scale={scale} width={width} onChange={onChange} testId={testId} disabled={disabled} title={title} />
    </label>
  );
}

const KIND_CHOICES: Array<{ id: string; label: string; kinds: SpreadKind[] }> = [
  { id: 'credit', label: 'Credit', kinds: ['bull-put', 'bear-call'] },
  { id: 'debit', label: 'Debit', kinds: ['bull-call', 'bear-put'] },
  { id: 'all', label: 'All four', kinds: ['bull-put', 'bear-call', 'bull-call', 'bear-put'] },
  { id: 'bull-put', label: 'Bull put (cr)', kinds: ['bull-put'] },
  { id: 'bear-call', label: 'Bear call (cr)', kinds: ['bear-call'] },
  { id: 'bull-call', label: 'Bull call (db)', kinds: ['bull-call'] },
  { id: 'bear-put', label: 'Bear put (db)', kinds: ['bear-put'] },
];

function kindChoice(kinds: readonly SpreadKind[]): string {
  const key = [...kinds].sort().join(',');
  return KIND_CHOICES.find((c) => [...c.kinds].sort().join(',') === key)?.id ?? 'all';
}

const SCORES: Array<{ id: ScoreBy; label: string }> = [
  { id: 'ror', label: 'ROR' },
  { id: 'pop', label: 'POP' },
  { id: 'evPerRisk', label: 'EV / risk' },
  { id: 'edge', label: 'Edge' },
];

export interface FilterFormProps {
  form: ScannerForm;
  onChange(form: ScannerForm): void;
  onScan(): void;
  onSymbolsArrowDown(): void;
  autoRefreshSec: number | null;
  onAutoRefresh(sec: number | null): void;
  /** The model inputs from settings (rate, dividend yields) and how to change them. */
  model: ScannerModel;
  onModel(model: ScannerModel): void;
}

export const FilterForm = forwardRef<HTMLInputElement, FilterFormProps>(function FilterForm({ form, onChange, onScan, onSymbolsArrowDown, autoRefreshSec, onAutoRefresh, model, onModel }, symbolsRef) {
  const [symbolsText, setSymbolsText] = useState(form.symbols.join(', '));
  const [more, setMore] = useState(false);
  useEffect(() => setSymbolsText(form.symbols.join(', ')), [form.symbols]);

  const f = form.filters;
  const setF = (patch: Partial<ScanFilters>) => {
    const next = { ...f, ...patch } as ScanFilters & Record<string, unknown>;
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
    onChange({ ...form, filters: next });
  };
  const commitSymbols = (text: string) => {
    const symbols = [...new Set(text.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))].slice(0, 50);
    if (symbols.join(',') !== form.symbols.join(',')) onChange({ ...form, symbols });
    return symbols;
  };
  const onSymbolsKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commitSymbols(symbolsText);
      // Let the state settle before the scan reads it.
      setTimeout(onScan, 0);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      onSymbolsArrowDown();
    }
  };

  return (
    <div className="scan-form" data-testid="scan-form">
      <div className="scan-form-row">
        <label className="scan-field scan-symbols">
          <span className="label">Watchlist <kbd>/</kbd></span>
          <input
            ref={symbolsRef}
            className="scan-input mono"
            data-testid="scan-symbols"
            aria-label="Watchlist symbols"
            placeholder="SPY, QQQ, IWM"
            value={symbolsText}
            onChange={(e) => setSymbolsText(e.target.value)}
            onBlur={(e) => commitSymbols(e.target.value)}
            onKeyDown={onSymbolsKey}
          />
        </label>
        <label className="scan-field">
          <span className="label">Kinds</span>
          <select className="scan-input" aria-label="Spread kinds" data-testid="scan-kinds" value={kindChoice(f.kinds)} onChange={(e) => setF({ kinds: KIND_CHOICES.find((c) => c.id === e.target.value)?.kinds ?? f.kinds })}>
            {KIND_CHOICES.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <RangeField label="DTE" value={f.dte} width={34} testId="scan-dte" onChange={(v) => setF({ dte: { min: Math.max(0, Math.round(v?.min ?? 0)), max: Math.max(0, Math.round(v?.max ?? 3650)) } })} />
        <RangeField label="Short |Δ|" value={f.shortDelta} width={40} testId="scan-delta" onChange={(v) => setF({ shortDelta: v })} />
        <RangeField label="Width" value={f.width} width={36} testId="scan-width" onChange={(v) => setF({ width: v })} />
        <label className="scan-field">
          <span className="label" title="Score (higher ranks first) and the price it is computed at">Rank by</span>
          <span className="scan-range">
            <select className="scan-input" aria-label="Rank by" data-testid="scan-score" value={form.scoring.by} onChange={(e) => onChange({ ...form, scoring: { ...form.scoring, by: e.target.value as ScoreBy } })}>
              {SCORES.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
            <select className="scan-input" aria-label="Price basis" value={form.scoring.basis} onChange={(e) => onChange({ ...form, scoring: { ...form.scoring, basis: e.target.value as 'mid' | 'natural' } })}>
              <option value="mid">mid</option>
              <option value="natural">natural</option>
            </select>
            {/* Only POP and EV/risk have a probability model; ROR and edge do not, so the choice hides with them. */}
            {form.scoring.by === 'pop' || form.scoring.by === 'evPerRisk' ? (
              <select
                className="scan-input"
                aria-label="Probability model"
                data-testid="scan-probability-model"
                title="Where POP and EV come from when they rank: lognormal at one leg's implied volatility, or the expiry's own volatility smile (σ; lognormal for an expiry with too few IVs). Both are shown on every row."
                value={form.scoring.probabilityModel ?? DEFAULT_PROBABILITY_MODEL}
                onChange={(e) => onChange({ ...form, scoring: { ...form.scoring, probabilityModel: e.target.value as ProbabilityModel } })}
              >
                <option value="lognormal">lognormal</option>
                <option value="smile">smile σ</option>
              </select>
            ) : null}
          </span>
        </label>
        <Single label="Min cr" value={f.minCredit} width={42} testId="scan-min-credit" onChange={(v) => setF({ minCredit: v })} />
        <Single label="POP ≥ %" value={f.minPop} scale={100} width={38} testId="scan-min-pop" onChange={(v) => setF({ minPop: v })} />
        <button type="button" className={`btn btn-small scan-more${more ? ' btn-on' : ''}`} aria-expanded={more} onClick={() => setMore(!more)} data-testid="scan-more">
          More
        </button>
      </div>
      {more ? (
        <div className="scan-form-row" data-testid="scan-more-row">
          <Single label="Max db" value={f.maxDebit} width={42} onChange={(v) => setF({ maxDebit: v })} />
          <Single label="ROR ≥ %" value={f.minRor} scale={100} width={38} onChange={(v) => setF({ minRor: v })} />
          <RangeField label="Width % spot" value={f.widthOfSpot} scale={100} width={36} onChange={(v) => setF({ widthOfSpot: v })} />
          <Single label="Cr/width ≥ %" value={f.minCreditToWidth} scale={100} width={38} onChange={(v) => setF({ minCreditToWidth: v })} />
          <Single label="Db/width ≤ %" value={f.maxDebitToWidth} scale={100} width={38} onChange={(v) => setF({ maxDebitToWidth: v })} />
          <Single label="EV ≥ $" value={f.minEv} width={42} onChange={(v) => setF({ minEv: v })} />
          <Single label="Leg B/A ≤ $" value={f.maxLegSpread} width={42} onChange={(v) => setF({ maxLegSpread: v })} />
          <Single label="Leg B/A ≤ %" value={f.maxLegSpreadOfMid} scale={100} width={38} onChange={(v) => setF({ maxLegSpreadOfMid: v })} />
          <Single label="OI ≥" value={undefined} width={46} disabled title={OI_FILTER_OFF} testId="scan-min-oi" onChange={() => undefined} />
          <Single label="Vol ≥" value={f.minVolume} width={46} onChange={(v) => setF({ minVolume: v })} />
          <Single label="Age ≤ s" value={f.maxQuoteAgeSec} width={40} onChange={(v) => setF({ maxQuoteAgeSec: v })} />
          <Single label="Exit ≤ % loss" value={f.maxExitCostOfMaxLoss} scale={100} width={38} onChange={(v) => setF({ maxExitCostOfMaxLoss: v })} />
          <Single label="Top" value={form.top} width={42} testId="scan-top" onChange={(v) => onChange({ ...form, top: Math.min(1000, Math.max(1, Math.round(v ?? 100))) })} />
          <Single label="Per symbol" value={form.topPerSymbol} width={42} onChange={(v) => onChange({ ...form, topPerSymbol: Math.min(500, Math.max(1, Math.round(v ?? 50))) })} />
          <label className="scan-field" title="Each symbol with candidates keeps at least this many of its best rows in the top, so one symbol cannot crowd out the others (0 = by score alone)">
            <span className="label">Min per symbol</span>
            <NumberBox label="Min per symbol" testId="scan-min-per-symbol" value={form.minPerSymbol ?? DEFAULT_MIN_PER_SYMBOL} width={36} onChange={(v) => onChange({ ...form, minPerSymbol: Math.min(100, Math.max(0, Math.round(v ?? DEFAULT_MIN_PER_SYMBOL))) })} />
          </label>
          <label className="scan-field" title="IBKR's what-if (margin change and commission of one spread) for this many of the best rows, asked once the scan's quotes are in (0 = off; needs a session that may trade)">
            <span className="label">What-if</span>
            <NumberBox label="What-if rows" testId="scan-what-if-top" value={form.whatIfTop ?? DEFAULT_WHAT_IF_TOP} width={36} onChange={(v) => onChange({ ...form, whatIfTop: Math.min(MAX_WHAT_IF_TOP, Math.max(0, Math.round(v ?? DEFAULT_WHAT_IF_TOP))) })} />
          </label>
          <Single label="Rate %" value={model.rate} scale={100} width={40} testId="scan-rate" onChange={(v) => v !== undefined && onModel({ ...model, rate: v })} />
          <DividendsField value={model.divYields} onChange={(divYields) => onModel({ ...model, divYields })} />
          <label className="scan-field">
            <span className="label" title="After the scan completes, re-quote the rows on screen and re-rank">Refresh rows</span>
            <select className="scan-input" aria-label="Auto-refresh" data-testid="scan-refresh" value={autoRefreshSec ?? ''} onChange={(e) => onAutoRefresh(e.target.value === '' ? null : Number(e.target.value))}>
              <option value="">off</option>
              <option value="15">every 15 s</option>
              <option value="30">every 30 s</option>
              <option value="60">every 60 s</option>
            </select>
          </label>
        </div>
      ) : null}
    </div>
  );
});

/** "SPY 1.2, QQQ 0.6": each symbol's dividend yield in percent (a symbol not listed has none). */
export function parseDividends(text: string): Record<string, number> | null {
  const out: Record<string, number> = {};
  for (const part of text.split(/[,;]+/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z][A-Za-z0-9.]{0,11})\s*[:= ]\s*(\d+(?:\.\d+)?)\s*%?$/.exec(part);
    if (!m) return null;
    const pct = Number(m[2]);
    if (!(pct >= 0 && pct < 50)) return null;
    out[(m[1] as string).toUpperCase()] = pct / 100;
  }
  return out;
}

export function dividendsText(v: Record<string, number>): string {
  return Object.entries(v)
    .map(([s, q]) => `${s} ${Math.round(q * 1e4) / 100}`)
    .join(', ');
}

/** The dividend yields (settings) as one line of text; committed on blur or Enter when it parses. */
function DividendsField({ value, onChange }: { value: Record<string, number>; onChange(v: Record<string, number>): void }) {
  const shown = dividendsText(value);
  const [text, setText] = useState(shown);
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setText(shown);
  }, [shown, focused]);
  const parsed = parseDividends(text);
  const commit = () => {
    if (parsed && dividendsText(parsed) !== shown) onChange(parsed);
  };
  return (
    <label className="scan-field" title="Each underlying's dividend yield in % for POP, EV and edge (e.g. SPY 1.2, QQQ 0.6); a symbol not listed uses IBKR's dividends (next 12 months ÷ spot), else none. Saved in settings.">
      <span className="label">Div yield %</span>
      <input
        className={`scan-input${parsed ? '' : ' scan-input-bad'}`}
        style={{ width: 120 }}
        aria-label="Dividend yields"
        aria-invalid={!parsed}
        data-testid="scan-dividends"
        placeholder="SPY 1.2, QQQ 0.6"
        value={text}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false);
          commit();
        }}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </label>
  );
}

/** Presets in the panel's title bar: choose one to load it, save the form under a name, delete the chosen one. */
export function PresetBar({ presets, onLoad, onSave, onDelete }: { presets: readonly ScanPreset[]; onLoad(form: ScannerForm): void; onSave(name: string): void; onDelete(name: string): void }) {
  const [preset, setPreset] = useState('');
  const [naming, setNaming] = useState<string | null>(null);
  return (
    <div className="scan-presets">
      <span className="label">Preset</span>
      <select
        className="scan-input"
        aria-label="Preset"
        data-testid="scan-preset"
        value={preset}
        onChange={(e) => {
          setPreset(e.target.value);
          const p = presets.find((x) => x.name === e.target.value);
          if (p) onLoad({ symbols: p.symbols, filters: p.filters, scoring: p.scoring, topPerSymbol: p.topPerSymbol, top: p.top, minPerSymbol: p.minPerSymbol ?? DEFAULT_MIN_PER_SYMBOL, whatIfTop: p.whatIfTop ?? DEFAULT_WHAT_IF_TOP });
        }}
      >
        <option value="">{presets.length ? 'Choose…' : 'None saved'}</option>
        {presets.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name}
          </option>
        ))}
      </select>
      {naming === null ? (
        <button type="button" className="btn btn-small" onClick={() => setNaming(preset || '')} data-testid="scan-preset-save">
          Save as…
        </button>
      ) : (
        <>
          <input
            className="scan-input"
            autoFocus
            aria-label="Preset name"
            data-testid="scan-preset-name"
            maxLength={40}
            value={naming}
            placeholder="Name"
            onChange={(e) => setNaming(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && naming.trim()) {
                onSave(naming.trim());
                setPreset(naming.trim());
                setNaming(null);
              } else if (e.key === 'Escape') setNaming(null);
            }}
          />
          <button
            type="button"
            className="btn btn-small btn-primary"
            disabled={!naming.trim()}
            onClick={() => {
              onSave(naming.trim());
              setPreset(naming.trim());
              setNaming(null);
            }}
          >
            Save
          </button>
          <button type="button" className="btn btn-small" onClick={() => setNaming(null)}>
            Cancel
          </button>
        </>
      )}
      {preset && naming === null ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            onDelete(preset);
            setPreset('');
          }}
        >
          Delete
        </button>
      ) : null}
    </div>
  );
}
