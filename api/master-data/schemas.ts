import { z } from '@hono/zod-openapi';
import { CREDIT_CHECK_POINTS } from '../../domain/credit.js';
import { PRICE_RULES } from '../../domain/pricing.js';
import { Code, IsoDate, Money, Paging, Price, fitsDigits } from '../schemas.js';

const DECIMAL = /^\d+(\.\d+)?$/;

/** A share as a decimal string: "0.10" is 10%. */
export const Rate = (max = 1, what = 'a share between 0 and 1, e.g. "0.10" for 10%') =>
  z
    .string()
    .regex(DECIMAL, what)
    .refine((v) => (v.split('.')[1]?.length ?? 0) <= 6, 'at most 6 decimals')
    .refine((v) => Number(v) <= max, `at most ${max} (${max * 100}%)`)
    .openapi({ example: '0.10' });

const TaxRate = Rate(1, 'a tax rate such as "0.13"').refine((v) => Number(v) < 1, 'below 1 (100%)');
const NonNegativeQuantity = z
  .string()
  .regex(DECIMAL, 'a non-negative decimal number as a string')
  .refine((v) => (v.split('.')[1]?.length ?? 0) <= 4, 'at most 4 decimals')
  .refine(...fitsDigits(14));
const Text = (max = 200) => z.string().trim().min(1).max(max);
const Optional = (max = 200) => Text(max).nullable().optional();

/** `?sort=name` ascending, `?sort=-name` descending, among the fields a list allows. */
export const sortParam = <T extends string>(fields: readonly [T, ...T[]]) =>
  z
    .string()
    .regex(new RegExp(`^-?(${fields.join('|')})$`), `one of ${fields.join(', ')}, with - in front for descending`)
    .optional();

export const ListQuery = Paging.extend({ q: z.string().max(100).optional().openapi({ description: 'Part of the code or name' }) });
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const CustomerListQuery = ListQuery.extend({
  grade: z.enum(['vip', 'regular']).optional(),
  region: z.string().optional(),
  industry: z.string().optional(),
  approvalStatus: z.enum(['approved', 'pending', 'blocked']).optional(),
  active: Bool.optional(),
  sort: sortParam(['code', 'name', 'createdAt', 'creditLimit']),
});

export const ProductListQuery = ListQuery.extend({
  category: z.string().optional(),
  active: Bool.optional(),
  sort: sortParam(['code', 'name', 'createdAt', 'listPrice']),
});

const Contact = z.object({
  name: Text(100),
  phone: Optional(50),
  email: z.string().email().nullable().optional(),
  role: Optional(100),
});

const Address = z.object({
  label: Text(100),
  address: Text(500),
  contact: Optional(100),
  phone: Optional(50),
  isDefault: z.boolean().default(false),
});

const oneDefault = (a: { isDefault: boolean }[] | undefined) => !a || a.filter((x) => x.isDefault).length <= 1;

const CustomerFields = {
  name: Text(),
  contacts: z.array(Contact).max(50),
  addresses: z.array(Address).max(100).refine(oneDefault, 'at most one default delivery address'),
  region: Optional(100),
  industry: Optional(100),
  grade: z.enum(['vip', 'regular']),
  settlementTerms: z.enum(['cash', 'transfer', 'monthly', 'net']),
  settlementDays: z.number().int().min(0).max(365),
  taxId: Optional(50),
  approvalStatus: z.enum(['approved', 'pending', 'blocked']),
  billToCode: Code.nullable().openapi({ description: 'The head office that pays for this branch (总公司付款)' }),
  depositRatio: Rate(),
  pricingOrder: z
    .array(z.enum(PRICE_RULES))
    .max(PRICE_RULES.length)
    .refine((v) => new Set(v).size === v.length, 'each rule at most once'),
  creditControl: z.enum(['company', 'none', 'customer']),
  creditLimit: Money,
  creditOverrunRate: Rate(1, 'the allowed overrun as a share, e.g. "0.10" for 10%'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a currency code such as CNY'),
  invoiceMode: z.enum(['per_order', 'per_delivery', 'monthly']),
};

export const CreateCustomerBody = z
  .object({
    code: Code.optional().openapi({ description: 'Omit to take the next number of the customer numbering rule' }),
    ...CustomerFields,
    contacts: CustomerFields.contacts.default([]),
    addresses: CustomerFields.addresses.default([]),
    grade: CustomerFields.grade.default('regular'),
    settlementTerms: CustomerFields.settlementTerms.default('net'),
    settlementDays: CustomerFields.settlementDays.default(30),
    approvalStatus: CustomerFields.approvalStatus.default('approved'),
    billToCode: CustomerFields.billToCode.default(null),
    depositRatio: CustomerFields.depositRatio.default('0'),
    pricingOrder: CustomerFields.pricingOrder.default([...PRICE_RULES]),
    creditControl: CustomerFields.creditControl.default('company'),
    creditLimit: CustomerFields.creditLimit.default('0'),
    creditOverrunRate: CustomerFields.creditOverrunRate.default('0'),
    currency: CustomerFields.currency.default('CNY'),
    invoiceMode: CustomerFields.invoiceMode.default('per_order'),
  })
  .strict()
  .openapi('CreateCustomer');
export type CreateCustomer = z.infer<typeof CreateCustomerBody>;

export const UpdateCustomerBody = z
  .object({ ...CustomerFields, active: z.boolean() })
  .partial()
  .strict()
  .openapi('UpdateCustomer');
export type UpdateCustomer = z.infer<typeof UpdateCustomerBody>;

const ProductFields = {
  name: Text(),
  spec: Optional(200),
  unit: Text(20),
  category: Optional(100),
  costPrice: Price,
  listPrice: Price,
  taxRate: TaxRate,
  priceFloorRate: Rate(1, 'the lowest share of the list price without approval, e.g. "0.80"'),
  overDeliveryRate: Rate(1, 'how much more than ordered may ship, e.g. "0.05"'),
  safetyStock: NonNegativeQuantity,
  batchManaged: z.boolean(),
  shelfLifeDays: z.number().int().positive().max(36500).nullable(),
};

export const CreateProductBody = z
  .object({
    code: Code,
    ...ProductFields,
    unit: ProductFields.unit.default('pcs'),
    costPrice: ProductFields.costPrice.default('0'),
    taxRate: ProductFields.taxRate.default('0.13'),
    priceFloorRate: ProductFields.priceFloorRate.default('0'),
    overDeliveryRate: ProductFields.overDeliveryRate.default('0'),
    safetyStock: ProductFields.safetyStock.default('0'),
    batchManaged: ProductFields.batchManaged.default(false),
    shelfLifeDays: ProductFields.shelfLifeDays.default(null),
  })
  .strict()
  .openapi('CreateProduct');
export type CreateProduct = z.infer<typeof CreateProductBody>;

export const UpdateProductBody = z
  .object({ ...ProductFields, active: z.boolean() })
  .partial()
  .strict()
  .openapi('UpdateProduct');
export type UpdateProduct = z.infer<typeof UpdateProductBody>;

export const CreateWarehouseBody = z.object({ code: Code, name: Text() }).strict().openapi('CreateWarehouse');
export const UpdateWarehouseBody = z.object({ name: Text(), active: z.boolean() }).partial().strict().openapi('UpdateWarehouse');

export const CodeParam = z.object({ code: Code });

export const CustomerPriceBody = z
  .object({
    customerCode: Code,
    productCode: Code,
    unitPrice: Price,
    effectiveFrom: IsoDate,
    effectiveTo: IsoDate.nullable().default(null),
  })
  .strict()
  .refine((p) => p.effectiveTo === null || p.effectiveTo >= p.effectiveFrom, { message: 'not before effectiveFrom', path: ['effectiveTo'] })
  .openapi('CustomerPrice');

export const CustomerPriceIdParam = z.object({
  id: z.string().regex(/^[1-9][0-9]{0,17}$/, 'the id of a customer price, e.g. "12"').openapi({ example: '12' }),
});

export const CustomerPriceListQuery = Paging.extend({
  customerCode: z.string().optional(),
  productCode: z.string().optional(),
  active: Bool.optional().openapi({ description: 'false: the prices kept only because order lines were priced by them' }),
});

/** Any of the fields; dates are checked again against the stored ones they meet. */
export const UpdateCustomerPriceBody = z
  .object({
    unitPrice: Price,
    effectiveFrom: IsoDate,
    effectiveTo: IsoDate.nullable().openapi({ description: 'null: open-ended' }),
    active: z.boolean().openapi({ description: 'false: kept, but no longer used for pricing' }),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change: give unitPrice, effectiveFrom, effectiveTo or active')
  .refine((p) => !p.effectiveFrom || !p.effectiveTo || p.effectiveTo >= p.effectiveFrom, { message: 'not before effectiveFrom', path: ['effectiveTo'] })
  .openapi('CustomerPriceChange');

export const QuantityTiersBody = z
  .object({
    tiers: z
      .array(
        z.object({
          above: NonNegativeQuantity,
          upTo: NonNegativeQuantity.nullable(),
          rate: Rate(1, 'the share of the list price, e.g. "0.98"'),
        }),
      )
      .min(1)
      .max(50),
  })
  .strict()
  .openapi('QuantityTiers');

export const GradeDiscountsBody = z
  .object({ discounts: z.array(z.object({ grade: z.enum(['vip', 'regular']), rate: Rate() })).min(1) })
  .strict()
  .openapi('GradeDiscounts');

export const CreditSettingsBody = z
  .object({
    checkPoints: z
      .array(z.enum(CREDIT_CHECK_POINTS))
      .refine((v) => new Set(v).size === v.length, 'each point at most once')
      .openapi({ description: 'Where credit is checked; a point left out is not checked', example: ['approval', 'delivery'] }),
    onBreach: z.enum(['block', 'warn']).openapi({
      description:
        'block: an overrun needs the credit controller at approval and refuses delivery or invoicing (422 CREDIT_LIMIT_EXCEEDED); ' +
        'warn: the overrun is recorded as a warning on the order and nothing waits for it',
    }),
    defaultLimit: Money,
    defaultOverrunRate: Rate(1, 'the allowed overrun as a share, e.g. "0.10" for 10%'),
  })
  .strict()
  .openapi('CreditSettings');

export const NumberingRuleBody = z
  .object({
    prefix: z.string().regex(/^[A-Z][A-Z0-9]{0,7}$/, 'capital letters and digits, starting with a letter, at most 8'),
    datePart: z.enum(['none', 'yyyy', 'yyyymm', 'yyyymmdd']),
    digits: z.number().int().min(3).max(9),
    separator: z.enum(['', '-', '/', '_']).default('-'),
  })
  .strict()
  .openapi('NumberingRule');
