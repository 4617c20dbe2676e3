/** What a callback prints: stdout writes are captured (and kept off the terminal) until the spy is restored. */
import { jest } from '@jest/globals';

export function printed(): string[] {
  const lines: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    lines.push(String(s));
    return true;
  });
  return lines;
}
