/** 12345678 → "12,345,678": counts in messages, the same in Node and every browser (no locale). */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
