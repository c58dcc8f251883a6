import { z } from '@hono/zod-openapi';
import { PRICE_RULES } from '../domain/pricing.js';
import { IsoDate, Money, NonNegativeQuantity, Price, Rate } from './numbers.js';
import { Code, FreeText, SingleLine } from './text.js';

/**
 * The master data a user enters, by the API or by a CSV import (db/import.ts):
 * one schema for both, so a file row is held to the same rules as a request.
 */
const TaxRate = Rate(1, 'a tax rate such as "0.13"').refine((v) => Number(v) < 1, 'below 1 (100%)');
const Text = (max = 200) => SingleLine(max);
const Optional = (max = 200) => Text(max).nullable().optional();

const Contact = z
  .object({
    name: Text(100),
    phone: Optional(50),
    email: z.string().max(200).email().nullable().optional(),
    role: Optional(100),
  })
  .strict();

const Address = z
  .object({
    label: Text(100),
    address: FreeText(500),
    contact: Optional(100),
    phone: Optional(50),
    isDefault: z.boolean().default(false),
  })
  .strict();

const oneDefault = (a: { isDefault: boolean }[] | undefined) => !a || a.filter((x) => x.isDefault).length <= 1;
// An order names its ship-to address by label, so one label must mean one address.
const distinctLabels = (a: { label: string }[] | undefined) => !a || new Set(a.map((x) => x.label)).size === a.length;

const CustomerFields = {
  name: Text(),
  contacts: z.array(Contact).max(50),
  addresses: z
    .array(Address)
    .max(100)
    .refine(oneDefault, 'at most one default delivery address')
    .refine(distinctLabels, 'each delivery address needs its own label'),
  region: Optional(100),
  industry: Optional(100),
  grade: z.enum(['vip', 'regular']),
  settlementTerms: z.enum(['cash', 'transfer', 'monthly', 'net']),
  settlementDays: z.number().int().min(0).max(365),
  taxId: Optional(50),
  // 开票信息 a 专票 prints for the buyer; an invoice's VAT data takes them as its defaults (db/invoice-tax-data.ts).
  invoiceAddress: Optional(200),
  bankName: Optional(100),
  bankAccount: Optional(60),
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

/** Payment terms as a customer has them; an order may agree its own (api/orders/schemas.ts). */
export const PaymentTermsFields = { settlementTerms: CustomerFields.settlementTerms, settlementDays: CustomerFields.settlementDays };

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
/** What a customer created without saying otherwise gets: the controls a clerk may create it with. */
export const CUSTOMER_DEFAULTS: Record<string, unknown> = CreateCustomerBody.parse({ name: 'defaults' });

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
export const PRODUCT_DEFAULTS: Record<string, unknown> = CreateProductBody.parse({ code: 'DEFAULTS', name: 'defaults', listPrice: '0' });

export const UpdateProductBody = z
  .object({ ...ProductFields, active: z.boolean() })
  .partial()
  .strict()
  .openapi('UpdateProduct');
export type UpdateProduct = z.infer<typeof UpdateProductBody>;

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

