import type { AssetStore } from './asset-store.ts';

/**
 * Demo data: two customers. Demo Water Supply Co. owns site `demo` with st1 and st2 on the
 * water-supply-bid contract (the demo account `customer` is its user); Riverside Water Works owns
 * site `riverside` with st3 on the equipment-purchase-plan contract, accepted in 2018 and out of
 * warranty. The two contracts are the two source documents' service levels. Idempotent.
 */
export async function seedDemoAssets(assets: AssetStore): Promise<void> {
  await assets.upsertCustomer({
    id: 'demo-water',
    name: 'Demo Water Supply Co.',
    address: '1 Reservoir Road',
    phone: '+86 10 0000 0000',
  });
  await assets.upsertContract({
    id: 'demo-bid-2023',
    customer_id: 'demo-water',
    name: 'Booster stations, water-supply equipment bid',
    sla_policy_id: 'water-supply-bid',
    starts_on: '2023-01-01',
    ends_on: null,
    warranty_terms:
      'Five years from acceptance; non-human faults free inside warranty, parts at cost outside.',
  });
  await assets.upsertSite({
    id: 'demo',
    customer_id: 'demo-water',
    name: 'Demo district',
    address: 'Demo district pumping area',
    thresholds: { nominalVoltage: 380 },
  });
  await assets.upsertCustomer({
    id: 'riverside-water',
    name: 'Riverside Water Works',
    address: '8 River Bank Street',
    phone: '+86 10 0000 0003',
  });
  await assets.upsertContract({
    id: 'riverside-purchase-2018',
    customer_id: 'riverside-water',
    name: 'Booster station, equipment purchase plan',
    sla_policy_id: 'purchase-plan',
    starts_on: '2018-05-20',
    ends_on: null,
    warranty_terms: 'Five years from acceptance; parts at cost after it.',
  });
  await assets.upsertSite({
    id: 'riverside',
    customer_id: 'riverside-water',
    name: 'Riverside district',
    address: 'Riverside pumping area',
    thresholds: { nominalVoltage: 380 },
  });
  const stations = [
    {
      site: 'demo',
      id: 'st1',
      accepted: '2023-03-15',
      warrantyEnd: '2028-03-15',
      pumpModel: 'CDLF 32-4',
      contract: 'demo-bid-2023',
    },
    {
      site: 'demo',
      id: 'st2',
      accepted: '2024-06-01',
      warrantyEnd: '2029-06-01',
      pumpModel: 'CDLF 32-4',
      contract: 'demo-bid-2023',
    },
    {
      site: 'riverside',
      id: 'st3',
      accepted: '2018-05-20',
      warrantyEnd: '2023-05-20',
      pumpModel: 'CDL 20-5',
      contract: 'riverside-purchase-2018',
    },
  ];
  for (const [index, station] of stations.entries()) {
    await assets.upsertStation({
      site_id: station.site,
      id: station.id,
      name: `Booster station ${index + 1}`,
      model: 'booster-3p-380',
      serial_number: `BS-${station.accepted.slice(0, 4)}-${String(101 + index)}`,
      acceptance_date: station.accepted,
      warranty_end: station.warrantyEnd,
      contract_id: station.contract,
    });
    for (const pump of [1, 2, 3]) {
      await assets.upsertPump({
        site_id: station.site,
        station_id: station.id,
        pump_no: pump,
        model: station.pumpModel,
        serial_number: `P${station.accepted.slice(2, 4)}${String(index + 1).padStart(2, '0')}${pump}0`,
        acceptance_date: station.accepted,
        warranty_end: station.warrantyEnd,
      });
    }
  }
}
