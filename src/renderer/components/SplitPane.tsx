// A two-pane splitter: drag or arrow keys resize; the sizes are persisted in UI settings by id.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

export interface SplitPaneProps {
  id: string;
  direction: 'row' | 'column';
  /** First pane's share in percent. */
  initial: number;
  saved?: number[] | undefined;
  min?: number;
  onCommit(id: string, sizes: number[]): void;
  children: [ReactNode, ReactNode];
}

export function SplitPane({ id, direction, initial, saved, min = 15, onCommit, children }: SplitPaneProps) {
  const [first, setFirst] = useState<number>(saved?.[0] ?? initial);
  const box = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  // Once the user has resized, local state wins: late answers to earlier saves must not snap the pane back.
  const touched = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (saved?.[0] !== undefined && !touched.current) setFirst(saved[0]);
  }, [saved]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const clamp = useCallback((v: number) => Math.min(100 - min, Math.max(min, v)), [min]);
  /** Debounced so a run of key presses or a drag is one settings write. */
  const commit = useCallback(
    (v: number) => {
      touched.current = true;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => onCommit(id, [Math.round(v * 10) / 10, Math.round((100 - v) * 10) / 10]), 250);
    },
    [id, onCommit],
  );

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    touched.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    if (!dragging.current || !box.current) return;
    const r = box.current.getBoundingClientRect();
    const v = direction === 'row' ? ((e.clientX - r.left) / r.width) * 100 : ((e.clientY - r.top) / r.height) * 100;
    setFirst(clamp(v));
  };
  const onPointerUp = () => {
    if (!dragging.current) return;
    dragging.current = false;
    commit(first);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const dec = direction === 'row' ? 'ArrowLeft' : 'ArrowUp';
    const inc = direction === 'row' ? 'ArrowRight' : 'ArrowDown';
    if (e.key !== dec && e.key !== inc) return;
    e.preventDefault();
    const v = clamp(first + (e.key === inc ? 2 : -2));
    setFirst(v);
    commit(v);
  };

  return (
    <div ref={box} className={`split split-${direction}`} data-split={id}>
      <div className="split-pane" style={{ flexBasis: `${first}%` }}>
        {children[0]}
      </div>
      <div
        className="split-handle"
        role="separator"
        aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
        aria-valuenow={Math.round(first)}
        aria-label="Resize panels"
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onKeyDown={onKeyDown}
      />
      <div className="split-pane" style={{ flexBasis: `${100 - first}%` }}>
        {children[1]}
      </div>
    </div>
  );
}
