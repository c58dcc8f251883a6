import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

/**
 * NUMERIC and BIGINT come back as strings (postgres.js default), which is what we
 * want: amounts and quantities go straight into Decimal, never through a float.
 */
export function createSql(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'sales-backoffice' },
  });
}
