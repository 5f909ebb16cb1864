/** Limits from the standards the indicators are judged by. */

/**
 * IEEE 43-2013 minimum insulation resistance at 40 °C (IR1min): 5 MΩ for random-wound and form-wound
 * windings rated below 1 kV, 100 MΩ for form-wound windings built after 1970, kV + 1 MΩ for older ones.
 */
export function ieee43MinimumMohm(winding: 'below_1kv' | 'form_wound' | 'pre_1970', ratedKv = 0.4): number {
  if (winding === 'below_1kv') return 5;
  return winding === 'form_wound' ? 100 : ratedKv + 1;
}

/**
 * IEEE 43 temperature correction to 40 °C: insulation resistance halves for every 10 K rise, so a reading
 * at T °C is worth R x 0.5^((40 - T)/10) at 40 °C.
 */
export function insulationAt40C(mohm: number, temperatureC: number): number {
  return mohm * 0.5 ** ((40 - temperatureC) / 10);
}

/**
 * NEMA MG 1 definition of imbalance: the largest deviation from the mean over the mean, in percent.
 * NaN for a set without a positive mean.
 */
export function imbalancePct(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (!(mean > 0)) return Number.NaN;
  return (100 * Math.max(...values.map((v) => Math.abs(v - mean)))) / mean;
}
