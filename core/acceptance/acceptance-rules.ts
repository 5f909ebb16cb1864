/**
 * What an acceptance (验收) test must show before a station is accepted, pure.
 *
 * The source documents give two points: rated supply 220 V withstands a dielectric test at 2000 V
 * 50 Hz, 380 V at 2500 V, for 1 min without breakdown or flash-over. Both are rows of the
 * low-voltage switchgear table of dielectric test voltages by rated insulation voltage
 * (IEC 60439-1:1999 table 10, GB 7251.1-2005 表10, the family of GB/T 3797 the same documents cite
 * for the earth check): the table's bands carry any other nominal voltage. Above 1000 V a.c. the
 * equipment is not low-voltage and the documents give no rule, so such a record is refused.
 */

/** Dielectric test voltage (V a.c. r.m.s., 50 Hz) by nominal voltage band, upper bound inclusive. */
export const DIELECTRIC_BANDS: readonly { upTo: number; testVoltage: number }[] = [
  { upTo: 60, testVoltage: 1000 },
  { upTo: 300, testVoltage: 2000 },
  { upTo: 690, testVoltage: 2500 },
  { upTo: 800, testVoltage: 3000 },
  { upTo: 1000, testVoltage: 3500 },
];

/** The test is held for 1 min (the documents' "1min而无击穿和闪烁现象"). */
export const DIELECTRIC_MIN_SECONDS = 60;

export interface DielectricRequirement {
  testVoltage: number;
  seconds: number;
}

/** The test a station of `nominalVoltage` needs; undefined when no rule covers it (over 1000 V, not > 0). */
export function dielectricRequirement(nominalVoltage: number): DielectricRequirement | undefined {
  if (!(nominalVoltage > 0)) return undefined;
  const band = DIELECTRIC_BANDS.find((b) => nominalVoltage <= b.upTo);
  return band ? { testVoltage: band.testVoltage, seconds: DIELECTRIC_MIN_SECONDS } : undefined;
}

export interface AcceptanceTests {
  nominalVoltage: number;
  dielectric: { testVoltage: number; seconds: number; passed: boolean };
  earth: { resistanceOhms: number | null; passed: boolean };
}

/** Why a record cannot stand: the field, a core/i18n code and its parameters. */
export interface AcceptanceIssue {
  path: string;
  code: 'error.acceptanceNoRule' | 'error.acceptanceVoltageLow' | 'error.acceptanceTooShort';
  params: Record<string, number>;
  message: string;
}

/**
 * The mistakes of a record: a test below what its nominal voltage requires cannot show the
 * equipment withstands it, passed or not, so it is no acceptance test at all.
 */
export function acceptanceIssues(tests: AcceptanceTests): AcceptanceIssue[] {
  const need = dielectricRequirement(tests.nominalVoltage);
  if (!need) {
    return [
      {
        path: 'nominalVoltage',
        code: 'error.acceptanceNoRule',
        params: { voltage: tests.nominalVoltage, max: 1000 },
        message: `no dielectric test rule for a nominal voltage of ${tests.nominalVoltage} V: low-voltage equipment is up to 1000 V`,
      },
    ];
  }
  const issues: AcceptanceIssue[] = [];
  if (!(tests.dielectric.testVoltage >= need.testVoltage)) {
    issues.push({
      path: 'dielectric.testVoltage',
      code: 'error.acceptanceVoltageLow',
      params: {
        voltage: tests.dielectric.testVoltage,
        required: need.testVoltage,
        nominal: tests.nominalVoltage,
      },
      message: `a dielectric test at ${tests.dielectric.testVoltage} V is below the ${need.testVoltage} V that ${tests.nominalVoltage} V equipment requires`,
    });
  }
  if (!(tests.dielectric.seconds >= need.seconds)) {
    issues.push({
      path: 'dielectric.seconds',
      code: 'error.acceptanceTooShort',
      params: { seconds: tests.dielectric.seconds, required: need.seconds },
      message: `a dielectric test of ${tests.dielectric.seconds} s is shorter than the ${need.seconds} s required`,
    });
  }
  return issues;
}

/** Accepted only when the dielectric test and the earth check both passed. */
export function acceptancePassed(tests: AcceptanceTests): boolean {
  return tests.dielectric.passed && tests.earth.passed;
}
