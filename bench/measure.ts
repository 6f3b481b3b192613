// ops/s of `fn`: the median of several timed rounds, after a warm-up.
export const ROUNDS = 5;
export const ROUND_MS = 400;

export async function measure(fn: () => unknown): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(); // warm up caches and the JIT
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ROUND_MS) {
      await fn();
      n++;
    }
    rates.push((n * 1000) / (performance.now() - start));
  }
  rates.sort((a, b) => a - b);
  return Math.round(rates[Math.floor(ROUNDS / 2)]!);
}
