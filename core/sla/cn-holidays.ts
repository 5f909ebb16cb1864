import type { BusinessDayKind } from './working-time.ts';

export interface BusinessDay {
  day: string;
  kind: BusinessDayKind;
  /** What the day is, as the notice names it. */
  name: string;
}

const off = (name: string, ...days: string[]): BusinessDay[] =>
  days.map((day) => ({ day, kind: 'holiday', name }));
const on = (name: string, ...days: string[]): BusinessDay[] =>
  days.map((day) => ({ day, kind: 'workday', name }));

/**
 * 2026: the State Council General Office's notice on the 2026 holiday arrangements (国务院办公厅关于
 * 2026年部分节假日安排的通知), holidays and the swapped working days (调休上班).
 */
export const CN_2026: BusinessDay[] = [
  ...off('元旦', '2026-01-01', '2026-01-02', '2026-01-03'),
  ...on('元旦调休', '2026-01-04'),
  ...off(
    '春节',
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
  ),
  ...on('春节调休', '2026-02-14', '2026-02-28'),
  ...off('清明节', '2026-04-04', '2026-04-05', '2026-04-06'),
  ...off('劳动节', '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'),
  ...on('劳动节调休', '2026-05-09'),
  ...off('端午节', '2026-06-19', '2026-06-20', '2026-06-21'),
  ...off('中秋节', '2026-09-25', '2026-09-26', '2026-09-27'),
  ...off(
    '国庆节',
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ),
  ...on('国庆节调休', '2026-09-20', '2026-10-10'),
];

/**
 * 2027: PROVISIONAL. Only the statutory holidays of 全国年节及纪念日放假办法 (2024 text: 元旦 1 day,
 * 春节 4 from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3) on their 2027 dates; the State
 * Council's notice adds bridge days and swapped working days, which an admin enters from the notice
 * (PUT /api/sla/calendar/2027).
 */
export const CN_2027_PROVISIONAL: BusinessDay[] = [
  ...off('元旦', '2027-01-01'),
  ...off('春节', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09'),
  ...off('清明节', '2027-04-05'),
  ...off('劳动节', '2027-05-01', '2027-05-02'),
  ...off('端午节', '2027-06-09'),
  ...off('中秋节', '2027-09-15'),
  ...off('国庆节', '2027-10-01', '2027-10-02', '2027-10-03'),
];

export const SEED_BUSINESS_DAYS: BusinessDay[] = [...CN_2026, ...CN_2027_PROVISIONAL];
