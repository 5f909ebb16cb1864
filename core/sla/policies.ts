import { z } from 'zod';
import { AROUND_THE_CLOCK, workingHoursSchema } from './working-time.ts';

/**
 * An SLA policy as contract data (DOMAIN.md "Service levels"). Respond and on-site minutes run from
 * the report (the ticket's opening); the fix minutes from the technician's arrival on site
 * (`fixFrom: 'arrival'`, as the source contracts word it: 赴现场后…修复) or from the report. null
 * means the contract sets no such clock. `respondMinutes: 0` is "respond at once, 24 h x 7": the
 * ticket's intake is the response, met when the ticket opens. `hours` says when the clocks count.
 */
export const slaPolicySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,64}$/),
    name: z.string().min(1).max(200),
    /** Which source document the figures come from. */
    source: z.string().max(200).default(''),
    respondMinutes: z.number().int().min(0).nullable(),
    onSiteMinutes: z.number().int().min(0).nullable(),
    /** Fix time by severity; a severity left out takes the next more severe one's figure. */
    fixMinutes: z
      .object({
        minor: z.number().int().min(0).nullable().optional(),
        general: z.number().int().min(0).nullable().optional(),
        major: z.number().int().min(0).nullable().optional(),
      })
      .strict(),
    /** A clock is at risk once less than this fraction of its allowance is left. Default 0.25. */
    atRiskFraction: z.number().min(0).max(1).default(0.25),
    /** Where the fix clock starts: on the technician's arrival on site, or at the report. */
    fixFrom: z.enum(['arrival', 'report']).default('arrival'),
    /** When the clocks count: 24 x 7, or working hours on the business calendar's working days. */
    hours: workingHoursSchema.default(AROUND_THE_CLOCK),
  })
  .strict();
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

const HOUR = 60;

/** The service levels in the source documents, seeded as policies; contracts pick one. */
export const SEED_POLICIES: SlaPolicy[] = [
  {
    id: 'water-supply-bid',
    name: 'Water-supply equipment bid (供水设备)',
    source: 'water-supply equipment bid',
    respondMinutes: 0,
    onSiteMinutes: 24 * HOUR,
    fixMinutes: { minor: 1 * HOUR, general: 2 * HOUR, major: 48 * HOUR },
    atRiskFraction: 0.25,
    // 全天候(24小时)售后服务; 24小时内赶到现场, 轻微故障在1小时内解决: the fix times follow the visit.
    fixFrom: 'arrival',
    hours: AROUND_THE_CLOCK,
  },
  {
    id: 'purchase-plan',
    name: 'Equipment purchase plan (设备采购)',
    source: 'equipment purchase plan',
    respondMinutes: 1 * HOUR,
    onSiteMinutes: 24 * HOUR,
    fixMinutes: { general: 12 * HOUR, major: 24 * HOUR },
    atRiskFraction: 0.25,
    // 维修工程师赴现场后应及时对故障设备进行检修, 一般故障应在12小时内修复.
    fixFrom: 'arrival',
    hours: AROUND_THE_CLOCK,
  },
  {
    id: 'waste-sorting',
    name: 'Waste-sorting equipment (垃圾分类设备)',
    source: 'waste-sorting equipment',
    respondMinutes: 30,
    onSiteMinutes: 30,
    // "promptly": no figure, so no fix clock.
    fixMinutes: {},
    atRiskFraction: 0.25,
    // 30分钟内做出响应并到达现场及时修复: repaired on arrival, "promptly".
    fixFrom: 'arrival',
    hours: AROUND_THE_CLOCK,
  },
];

export const DEFAULT_POLICY_ID = 'water-supply-bid';
