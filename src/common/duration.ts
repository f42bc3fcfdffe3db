/**
 * A duration in seconds as people read it: "1.2 s" (under 10 s, tenths kept), "42 s",
 * "3 min 05 s", "1 h 02 min 03 s"; '' when unknown.
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) {
    return '';
  }
  const value = Math.max(0, seconds);
  if (value < 9.95 && !Number.isInteger(value)) {
    return `${value.toFixed(1)} s`;
  }
  // rounded once, so 59.6 s reads "1 min 00 s", never "60 s"
  const total = Math.round(value);
  if (total < 60) {
    return `${total} s`;
  }
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  if (h === 0) {
    return `${m} min ${s} s`;
  }
  return `${h} h ${String(m).padStart(2, '0')} min ${s} s`;
}
