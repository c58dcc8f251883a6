/** What a report counts, in words a reader checks a figure against: every report answers with its basis. */
export interface Basis {
  zh: string;
  en: string;
}

const SALES: Basis = {
  zh: '出货减销退、折让（含其红字发票），未税金额，按单据日汇率折合本位币（每张单据的含税额与税额各折合一次，分摊到其各行，与对账单一致）；按出货日、销退/折让日（红字发票日期）计入期间；成本按出货时记录的单位成本，销退按原出货成本冲回，折让不减成本',
  en: 'Delivered net of returns, allowances and their credit notes, excluding tax, in the base currency at each document\'s rate (its gross and tax converted once and shared out over its rows, as the statement converts them), by delivery date and return/allowance (credit note) date; cost at the unit cost each delivery booked, a return takes back its delivery\'s cost, an allowance reduces net but not cost',
};

export const BASIS = {
  expectedShipments: {
    zh: '未结案、未取消订单行的未交数量（订购 − 已交，销退后重新待交的计入），按预交货日；未交金额 = 未交数量 × 单价，逐行四舍五入，未税，按订单汇率折合本位币',
    en: 'Open quantity (ordered − delivered, a return to redeliver counts again) of order lines neither closed nor cancelled, by expected delivery date (预交货日); open net = open quantity × price, rounded per line, excluding tax, in the base currency at the order\'s rate',
  },
  customerSalesDetail: {
    zh: '该客户（订单客户）的每笔出货、销退、折让一行，含税与未税金额（本位币，另列原币含税金额）；红字发票列在其销退/折让行上；与对账单的发票与红字发票合计一致（期间内出货均已开票时）',
    en: "One row per delivery, return and allowance of the customer's orders, net, tax and gross in the base currency (the order's currency gross beside); a credit note is shown on its return or allowance row; equals the statement's invoices and credit notes when everything delivered in the period was invoiced in it",
  },
  productTransactions: {
    zh: '库存台账中该产品的每笔异动（期初、占用、释放、出货、销退、调整、入库、调拨）；结存按全部台账累计，不受期间影响',
    en: 'Every stock move of the product in the stock ledger (opening, reservation, release, delivery, return, adjustment, receipt, transfer); balances run over the whole ledger, whatever the period',
  },
  salesRanking: SALES,
  customerContribution: SALES,
  grossMargin: SALES,
} satisfies Record<string, Basis>;

export type ReportName = keyof typeof BASIS;
