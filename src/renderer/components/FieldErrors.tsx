// Validation errors from main shown on the field that is wrong: under the input, which is marked aria-invalid.
import { useEffect, useState } from 'react';
import { useAppStore } from '../stores/app-store';

/** Where each contract field lives on screen (the form owning it renders the input). */
export const FIELD_TARGETS: Record<string, string> = {
  symbols: '[data-testid="scan-symbols"]',
};

interface Placed {
  field: string;
  text: string;
  left: number;
  top: number;
  width: number;
}

export function FieldErrors() {
  const fieldErrors = useAppStore((s) => s.fieldErrors);
  const clear = useAppStore((s) => s.clearFieldError);
  const [placed, setPlaced] = useState<Placed[]>([]);

  useEffect(() => {
    const offs: (() => void)[] = [];
    const place = () => {
      const next: Placed[] = [];
      for (const [field, text] of Object.entries(fieldErrors)) {
        const el = FIELD_TARGETS[field] ? document.querySelector<HTMLElement>(FIELD_TARGETS[field]) : null;
        if (!el) continue;
        const r = el.getBoundingClientRect();
        next.push({ field, text, left: r.left, top: r.bottom + 2, width: Math.max(r.width, 220) });
      }
      setPlaced(next);
    };
    place();
    for (const field of Object.keys(fieldErrors)) {
      const el = FIELD_TARGETS[field] ? document.querySelector<HTMLElement>(FIELD_TARGETS[field]) : null;
      if (!el) continue;
      el.setAttribute('aria-invalid', 'true');
      el.classList.add('input-invalid');
      // Editing the field withdraws the message: the next save or scan says whether it is right now.
      const onInput = () => clear(field);
      el.addEventListener('input', onInput);
      offs.push(() => {
        el.removeEventListener('input', onInput);
        el.removeAttribute('aria-invalid');
        el.classList.remove('input-invalid');
      });
    }
    window.addEventListener('resize', place);
    offs.push(() => window.removeEventListener('resize', place));
    return () => offs.forEach((off) => off());
  }, [fieldErrors, clear]);

  return (
    <>
      {placed.map((p) => (
        <div key={p.field} className="field-error field-error-float" role="alert" data-testid={`field-error-${p.field}`} style={{ left: p.left, top: p.top, maxWidth: p.width }}>
          {p.text}
        </div>
      ))}
    </>
  );
}
