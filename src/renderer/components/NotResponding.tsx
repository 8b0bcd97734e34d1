// The banner shown when the UI has lost the backend: nothing on screen is live until it answers again.
import { useAppStore } from '../stores/app-store';

export function NotResponding() {
  const lost = useAppStore((s) => s.lost);
  const transport = useAppStore((s) => s.transport);
  if (!lost) return null;
  return (
    <div className="not-responding" role="alert" data-testid="not-responding">
      <strong>SpreadDesk is not responding</strong>
      <span>
        {transport === 'connecting' ? 'Reconnecting…' : 'Trying again in a moment.'} Prices, orders and status on screen are from before the link was lost; actions are
        disabled until it is back.
      </span>
    </div>
  );
}
