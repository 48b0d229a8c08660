// How the dashboard writes numbers, times and durations; shared by the tables and the charts
// so that one value reads the same everywhere on the page.

const numbers = new Intl.NumberFormat('en');
const significant = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 });
const shares = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

export const dash = '–';
export const formatCount = (n) => numbers.format(n);
export const formatSignificant = (x) => significant.format(x);
export const formatNorm = formatSignificant;
export const formatShare = (share) => shares.format(share);
export const formatTime = (ms) =>
  `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
export const formatFpr = (fpr) => `FPR ${Number((fpr * 100).toPrecision(3))}%`;

export function formatDuration(ms) {
  if (ms === null || ms === undefined) return dash;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** How long before `now` (the snapshot's time, so the browser's clock does not matter). */
export function formatAgo(ms, now) {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
