/**
 * modbus-serial (8.0.25, the latest) files each request under `client._transactions[id]` and never
 * deletes it. Over TCP the id runs 0..255, so every client keeps its last 256 requests alive, each
 * with its reply buffer, decoded data, settled promise and closures: about 0.7 MB per station, some
 * 70 MB at 100 stations, reached after a minute of polling. (Its RTU ports have no transaction id:
 * one slot, overwritten by the next request, so an RTU line does not grow.)
 *
 * A TCP source runs one request at a time on its client (its SerialQueue), so once a request has
 * settled nothing else is pending there and the table can be emptied. A reply that arrives after
 * its timeout then finds no transaction and is ignored, as modbus-serial does for an unknown id.
 */
export function forgetSettledTransactions(client: object): void {
  const c = client as { _transactions?: Record<string, unknown> };
  if (c._transactions && typeof c._transactions === 'object') c._transactions = {};
}
