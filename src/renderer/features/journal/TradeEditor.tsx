// Notes and tags on the selected trade, saved through journal.setNote / journal.setTags.
import { useEffect, useState } from 'react';
import type { JournalTrade } from '../../../core/contract';
import { useClient } from '../../platform/context';
import { reportError } from '../../stores/app-store';
import { SPREAD_KIND_LABELS } from '../../../core/spreads/vertical';
import { expiryLabel, netPrice, signedMoney, tone } from './format';

export function TradeEditor({ trade, onSaved, onClose }: { trade: JournalTrade; onSaved: (t: JournalTrade) => void; onClose: () => void }) {
  const client = useClient();
  const [note, setNote] = useState(trade.note);
  const [tags, setTags] = useState(trade.tags.join(' '));
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    setNote(trade.note);
    setTags(trade.tags.join(' '));
  }, [trade.id, trade.note, trade.tags]);

  const dirty = note !== trade.note || tags.trim().split(/\s+/).filter(Boolean).join(' ') !== trade.tags.join(' ');
  const save = async () => {
    setSaving(true);
    const n = await client.invoke('journal.setNote', { spreadId: trade.id, note });
    if (!n.ok) reportError(n.error, 'Saving the note');
    const t = await client.invoke('journal.setTags', { spreadId: trade.id, tags: tags.split(/[\s,]+/).filter(Boolean) });
    if (!t.ok) reportError(t.error, 'Saving the tags');
    setSaving(false);
    if (t.ok) onSaved(t.value);
  };

  return (
    <aside className="journal-editor" data-testid="journal-editor" aria-label="Trade notes">
      <header>
        <strong>
          {trade.underlying} {SPREAD_KIND_LABELS[trade.kind]} {expiryLabel(trade.expiry)}
        </strong>
        <button type="button" className="btn btn-small" onClick={onClose} aria-label="Close notes">
          ×
        </button>
      </header>
      <div className="journal-editor-facts num">
        <span>{netPrice(trade.entryPrice, trade.entrySide)}</span>
        <span className={tone(trade.netPnl)}>{signedMoney(trade.netPnl)}</span>
      </div>
      <label>
        <span className="label">Note</span>
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={4} maxLength={4000} placeholder="Why you entered, how you managed it, what you learned" data-testid="journal-note" />
      </label>
      <label>
        <span className="label">Tags</span>
        <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="earnings pullback" data-testid="journal-tags" />
      </label>
      <button type="button" className="btn btn-primary" disabled={!dirty || saving} onClick={() => void save()} data-testid="journal-save-note">
        {saving ? 'Saving…' : 'Save'}
      </button>
    </aside>
  );
}
