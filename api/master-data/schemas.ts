import { z } from '@hono/zod-openapi';
import { IsoDate, Money, NonNegativeQuantity, Price, Rate } from '../../contracts/numbers.js';
import { Code, SingleLine } from '../../contracts/text.js';
import { UpdateCustomerBody, UpdateProductBody } from '../../contracts/master-data.js';
import { CREDIT_CHECK_POINTS } from '../../domain/credit.js';
import { CONTROLLED_FIELDS } from '../../domain/master-data-controls.js';
import { NUMBER_SEPARATORS } from '../../domain/numbering.js';
import { Paging } from '../schemas.js';

/** A list filter typed by a user: one line of text, empty meaning no filter. */
const SearchText = SingleLine(100, 0);

export {
  CreateCustomerBody,
  CreateProductBody,
  CustomerPriceBody,
  UpdateCustomerBody,
  UpdateProductBody,
  type CreateCustomer,
  type CreateProduct,
  type UpdateCustomer,
  type UpdateProduct,
} from '../../contracts/master-data.js';

/** `?sort=name` ascending, `?sort=-name` descending, among the fields a list allows. */
export const sortParam = <T extends string>(fields: readonly [T, ...T[]]) =>
  z
    .string()
    .regex(new RegExp(`^-?(${fields.join('|')})$`), `one of ${fields.join(', ')}, with - in front for descending`)
    .optional();

export const ListQuery = Paging.extend({ q: SearchText.optional().openapi({ description: 'Part of the code or name' }) });
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const CustomerListQuery = ListQuery.extend({
  grade: z.enum(['vip', 'regular']).optional(),
  region: SearchText.optional(),
  industry: SearchText.optional(),
  approvalStatus: z.enum(['approved', 'pending', 'blocked']).optional(),
  active: Bool.optional(),
  sort: sortParam(['code', 'name', 'createdAt', 'creditLimit']),
});

export const ProductListQuery = ListQuery.extend({
  category: SearchText.optional(),
  active: Bool.optional(),
  sort: sortParam(['code', 'name', 'createdAt', 'listPrice']),
});

export const CreateWarehouseBody = z.object({ code: Code, name: SingleLine() }).strict().openapi('CreateWarehouse');
export const UpdateWarehouseBody = z.object({ name: SingleLine(), active: z.boolean() }).partial().strict().openapi('UpdateWarehouse');

export const CodeParam = z.object({ code: Code });

export const CustomerPriceIdParam = z.object({
  id: z.string().regex(/^[1-9][0-9]{0,17}$/, 'the id of a customer price, e.g. "12"').openapi({ example: '12' }),
});

export const CustomerPriceListQuery = Paging.extend({
  customerCode: Code.optional(),
  productCode: Code.optional(),
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
        z
          .object({
            above: NonNegativeQuantity,
            upTo: NonNegativeQuantity.nullable(),
            rate: Rate(1, 'the share of the list price, e.g. "0.98"'),
          })
          .strict(),
      )
      .min(1)
      .max(50),
  })
  .strict()
  .openapi('QuantityTiers');

export const GradeDiscountsBody = z
  .object({ discounts: z.array(z.object({ grade: z.enum(['vip', 'regular']), rate: Rate() }).strict()).min(1).max(10) })
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
    separator: z.enum(NUMBER_SEPARATORS).default('-').openapi({ description: "between the parts; never '/', as a number is one segment of a URL" }),
  })
  .strict()
  .openapi('NumberingRule');

/** Only what is there: a body that changes nothing is a mistake worth naming. */
const somethingToChange = (fields: readonly string[]) => (b: Record<string, unknown>) => fields.some((f) => b[f] !== undefined);

const CUSTOMER_CONTROLS = Object.keys(CONTROLLED_FIELDS.customer) as (keyof typeof CONTROLLED_FIELDS.customer)[];
/** 信用控制: the customer's credit and payment controls, the credit controller's to set. */
export const CustomerControlsBody = UpdateCustomerBody.pick(Object.fromEntries(CUSTOMER_CONTROLS.map((f) => [f, true])) as { [K in (typeof CUSTOMER_CONTROLS)[number]]: true })
  .strict()
  .refine(somethingToChange(CUSTOMER_CONTROLS), `nothing to change: give one of ${CUSTOMER_CONTROLS.join(', ')}`)
  .openapi('CustomerControls', { example: { creditControl: 'customer', creditLimit: '500000.00', creditOverrunRate: '0.10' } });

const PRODUCT_CONTROLS = Object.keys(CONTROLLED_FIELDS.product) as (keyof typeof CONTROLLED_FIELDS.product)[];
/** 销售控制: the price floor and over-delivery rate, the sales manager's to set. */
export const ProductControlsBody = UpdateProductBody.pick(Object.fromEntries(PRODUCT_CONTROLS.map((f) => [f, true])) as { [K in (typeof PRODUCT_CONTROLS)[number]]: true })
  .strict()
  .refine(somethingToChange(PRODUCT_CONTROLS), `nothing to change: give one of ${PRODUCT_CONTROLS.join(', ')}`)
  .openapi('ProductControls', { example: { priceFloorRate: '0.85', overDeliveryRate: '0.05' } });
