import type { Sql } from '../db/client.js';
import { rolesAllowedTo } from '../domain/authorization.js';
import type { HeaderChoices } from './order-forms.js';

/** The customers' addresses and contacts (of the customers the form lists) and the users who take orders. */
export async function headerChoices(sql: Sql): Promise<HeaderChoices> {
  const [addresses, contacts, salespeople] = await Promise.all([
    sql<HeaderChoices['addresses']>`
      SELECT c.code AS "customerCode", a.label, a.address FROM customer_addresses a JOIN customers c ON c.id = a.customer_id
      WHERE c.active AND c.code IN (SELECT code FROM customers WHERE active ORDER BY code LIMIT 1000) ORDER BY c.code, a.is_default DESC, a.id LIMIT 5000`,
    sql<HeaderChoices['contacts']>`
      SELECT c.code AS "customerCode", x.name FROM customers c CROSS JOIN LATERAL jsonb_to_recordset(c.contacts) AS x(name text)
      WHERE c.active AND c.code IN (SELECT code FROM customers WHERE active ORDER BY code LIMIT 1000) ORDER BY c.code LIMIT 5000`,
    sql<{ name: string }[]>`SELECT name FROM users WHERE active AND role = ANY(${[...rolesAllowedTo('createOrder')]}) ORDER BY name`,
  ]);
  return { addresses: [...addresses], contacts: [...contacts], salespeople: salespeople.map((u) => u.name) };
}
