// Shared class names for controls, so every button and field looks and focuses the same.
export const buttonClass =
  'inline-flex items-center gap-1 rounded border border-slate-700 px-3 py-1 text-sm hover:bg-slate-800 disabled:cursor-not-allowed disabled:opacity-40 light:border-slate-300 light:hover:bg-slate-200';
export const smallButtonClass =
  'inline-flex items-center rounded border border-slate-700 px-2 py-0.5 text-xs hover:bg-slate-800 disabled:cursor-not-allowed disabled:opacity-40 light:border-slate-300 light:hover:bg-slate-200';
export const primaryButtonClass =
  'inline-flex items-center gap-1 rounded bg-sky-600 px-3 py-1 text-sm font-medium text-white hover:bg-sky-500 disabled:cursor-not-allowed disabled:opacity-40';
export const inputClass = 'rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm light:border-slate-300 light:bg-white';
export const chipClass = 'inline-block rounded px-1.5 py-0.5 font-mono text-[11px] leading-none';
