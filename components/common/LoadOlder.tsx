// "Load older …" under a list that grows downwards; nothing when there is nothing older.
import type { ReactNode } from 'react';
import { buttonClass } from './styles';

export function LoadOlder({
  hasOlder,
  onLoad,
  className = '',
  children,
}: {
  hasOlder: boolean;
  onLoad: () => Promise<void>;
  className?: string;
  children: ReactNode;
}) {
  if (!hasOlder) return null;
  return (
    <div className={`text-center ${className}`}>
      <button type="button" className={buttonClass} onClick={() => void onLoad()}>
        {children}
      </button>
    </div>
  );
}
