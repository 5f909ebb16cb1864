/** Texts of the station page's other readings (components/station-readings.tsx). */
const readingsEn = {
  'readings.title': 'Other readings',
  'readings.notAvailable': '— not available',
  'readings.on': 'on',
  'readings.off': 'off',
  'readings.noCode': 'none',
  'readings.chart': 'Chart this reading',
};

export const readingsText: { en: typeof readingsEn; 'zh-CN': Record<keyof typeof readingsEn, string> } = {
  en: readingsEn,
  'zh-CN': {
    'readings.title': '其他读数',
    'readings.notAvailable': '— 不可用',
    'readings.on': '是',
    'readings.off': '否',
    'readings.noCode': '无',
    'readings.chart': '查看此读数的曲线',
  },
};
