import { useApp } from '../context.ts';
import { formatNumber } from '../lib/format.ts';
import { failoverActive, numberOf, type PumpStatus, pumpStatuses } from '../lib/station-status.ts';
import type { StationView } from '../lib/types.ts';

const PUMP_Y = [70, 150, 230];

/**
 * The station as a drawing driven by live values: supply phases, break tank, pumps with running /
 * standby / fault state and duty role, outlet pressure and flow, and a failover banner.
 */
export function Schematic({ view }: { view: StationView }) {
  const { t } = useApp();
  const pumps = pumpStatuses(view);
  const failover = failoverActive(pumps);
  const level = numberOf(view, 'tank.level');
  const levelFraction = Math.min(1, Math.max(0, (level ?? 0) / 5));
  const grounding = view.values['grounding.fault']?.v === true;
  const volts = [1, 2, 3].map((n) => numberOf(view, `supply.voltage_l${n}`));
  const failovers = numberOf(view, 'station.failover_count');
  return (
    <figure class="schematic" data-failover={failover ? 'true' : 'false'}>
      <svg viewBox="0 0 760 300" role="img" aria-label={t('station.schematic', { station: view.station })}>
        <title>{t('station.schematic', { station: view.station })}</title>
        {/* Supply */}
        <g class="svg-box">
          <rect x="10" y="10" width="150" height="96" rx="6" />
          <text x="20" y="30" class="svg-label">
            {t('station.supply')}
          </text>
          {volts.map((v, i) => (
            <text key={`l${i + 1}`} x="20" y={52 + i * 18} class="svg-value" data-phase={i + 1}>
              {`L${i + 1} ${formatNumber(v, 0).padStart(4, ' ')} V`}
            </text>
          ))}
        </g>
        <g class={grounding ? 'svg-box is-fault' : 'svg-box'}>
          <rect x="10" y="116" width="150" height="30" rx="6" />
          <text x="20" y="136" class="svg-label">
            {grounding ? t('station.grounding') : t('station.groundingOk')}
          </text>
        </g>
        {/* Tank */}
        <g class="svg-tank">
          <rect x="30" y="170" width="100" height="110" rx="4" class="tank-wall" />
          <rect
            x="32"
            y={172 + 106 * (1 - levelFraction)}
            width="96"
            height={106 * levelFraction}
            class="tank-water"
          />
          <text x="80" y="196" text-anchor="middle" class="svg-label">
            {t('station.tank')}
          </text>
          <text x="80" y="262" text-anchor="middle" class="svg-value">
            {`${formatNumber(level, 2)} m`}
          </text>
        </g>
        {/* Suction header and pumps */}
        <path d="M130 240 H200 M200 70 V230" class="pipe" />
        {pumps.slice(0, 3).map((pump, i) => (
          <PumpSymbol key={pump.pump} pump={pump} y={PUMP_Y[i] ?? 70} />
        ))}
        <path d="M480 70 V230 M480 150 H600" class="pipe" />
        {/* Outlet */}
        <g class="svg-box">
          <rect x="600" y="100" width="150" height="100" rx="6" />
          <text x="612" y="122" class="svg-label">
            {t('station.outlet')}
          </text>
          <text x="612" y="150" class="svg-big" data-meaning="pressure.outlet">
            {`${formatNumber(numberOf(view, 'pressure.outlet'), 2)} bar`}
          </text>
          <text x="612" y="172" class="svg-value">
            {`${t('station.setpointShort')} ${formatNumber(numberOf(view, 'pressure.setpoint'), 2)} bar`}
          </text>
          <text x="612" y="190" class="svg-value">
            {`${formatNumber(numberOf(view, 'flow.rate'), 1)} m³/h`}
          </text>
        </g>
        {failover ? (
          <g class="svg-failover" data-testid="failover">
            <rect x="170" y="4" width="420" height="26" rx="4" class="failover-bg" />
            <text
              x="380"
              y="22"
              text-anchor="middle"
              class="failover-text"
              textLength={400}
              lengthAdjust="spacingAndGlyphs"
            >
              {t('station.failover')}
            </text>
          </g>
        ) : null}
        <text x="600" y="230" class="svg-label">
          {`${t('station.failoverCount')}: ${formatNumber(failovers, 0)}`}
        </text>
      </svg>
    </figure>
  );
}

function PumpSymbol({ pump, y }: { pump: PumpStatus; y: number }) {
  const { t } = useApp();
  const role = pump.duty ? t('pump.duty') : pump.standby ? t('pump.standbyRole') : '';
  return (
    <g class="svg-pump" data-pump={pump.pump} data-state={pump.state}>
      <title>{`${t('pump.label', { n: pump.pump })}: ${t(`pump.${pump.state}`)} ${role}`}</title>
      <path d={`M200 ${y} H300 M360 ${y} H480`} class="pipe" />
      <circle cx="330" cy={y} r="28" class="pump-body" />
      <path d={`M318 ${y - 14} L348 ${y} L318 ${y + 14} Z`} class="pump-arrow" />
      <text x="330" y={y + 44} text-anchor="middle" class="svg-label">
        {t('pump.label', { n: pump.pump })}
      </text>
      <text x="372" y={y - 10} class="svg-state">
        {t(`pump.${pump.state}`)}
      </text>
      <text x="372" y={y + 8} class="svg-role">
        {role}
      </text>
    </g>
  );
}
