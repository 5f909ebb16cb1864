/** Daily curves of a water-supply district: pure functions of the time of day. */

const DAY_SECONDS = 86_400;

/** Hour of the day (0..24) at a simulated instant; `startTime` is epoch ms, offset in minutes east of UTC. */
export function hourOfDay(startTime: number, simSeconds: number, utcOffsetMinutes: number): number {
  const seconds = (startTime / 1000 + simSeconds + utcOffsetMinutes * 60) % DAY_SECONDS;
  return ((seconds + DAY_SECONDS) % DAY_SECONDS) / 3600;
}

/** Bell around `center` hours that wraps over midnight. */
function bell(hour: number, center: number, width: number): number {
  let d = Math.abs(hour - center);
  if (d > 12) d = 24 - d;
  return Math.exp(-0.5 * (d / width) ** 2);
}

/**
 * Demand as a fraction of the peak: low at night, a morning peak around 07:30, a midday plateau and an
 * evening peak around 19:30 (the usual residential diurnal pattern).
 */
export function demandFraction(hour: number): number {
  const value =
    0.12 + 0.85 * bell(hour, 7.5, 1.2) + 0.38 * bell(hour, 13, 2.5) + 0.72 * bell(hour, 19.5, 1.8);
  return Math.min(1, value);
}

/** Pump room air temperature in °C: coolest before dawn, warmest mid afternoon. */
export function ambientTemperature(hour: number, mean = 18): number {
  return mean + 3 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
}

/** Supply voltage swings a little over the day (higher at night, when the grid is light). */
export function supplySwing(hour: number): number {
  return 0.008 * Math.cos((2 * Math.PI * (hour - 3)) / 24);
}
