// The keyboard shortcuts sheet: `?` opens it, Esc closes it (as every dialog).
import { useEffect, useRef } from 'react';
import { useAppStore } from '../stores/app-store';

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: '/', what: 'Focus the watchlist' },
  { keys: 'Enter', what: 'In the watchlist: scan. On a scanner row: open it in the Ticket' },
  { keys: '↑ ↓', what: 'Move through scanner rows (the payoff follows)' },
  { keys: 'Esc', what: 'Close a dialog or the ticket' },
  { keys: 'Ctrl + .', what: 'Cancel the last working order' },
  { keys: '?', what: 'Show this sheet' },
];

/** True when a key press belongs to a text field, not to the app. */
export function typingIn(target: EventTarget | null): boolean {
  const t = target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

export function ShortcutsDialog() {
  const open = useAppStore((s) => s.shortcutsOpen);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      if (document.querySelector('dialog[open]') && !useAppStore.getState().shortcutsOpen) return;
      e.preventDefault();
      useAppStore.setState({ shortcutsOpen: true });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const close = () => useAppStore.setState({ shortcutsOpen: false });
  return (
    <dialog ref={dialog} className="dialog dialog-narrow" aria-label="Keyboard shortcuts" data-testid="shortcuts-dialog" onCancel={(e) => { e.preventDefault(); close(); }}>
      <h2>Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={close}>
          Close
        </button>
      </div>
    </dialog>
  );
}
