/**
 * Compares two strings in time that depends only on their lengths, not on where they differ, so
 * that comparing a presented download-link hash against stored ones leaks nothing through timing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) difference |= (a.charCodeAt(i % (a.length || 1)) || 0) ^ (b.charCodeAt(i % (b.length || 1)) || 0);
  return difference === 0;
}
