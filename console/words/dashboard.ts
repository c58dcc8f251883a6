import type { Words } from '../i18n.js';

/**
 * The dashboard's phrases. Not fields of a table, so not terms of the joint dictionary: the page
 * says them through `say`. Step and aging-bucket names are finance's terms (words/finance.ts).
 */
export const DASHBOARD_WORDS = {
  title: { zh: '经营看板', en: 'Dashboard' },
  asOf: { zh: '日期', en: 'Day' },
  show: { zh: '查看', en: 'Show' },
  basis: {
    zh: '销售额与毛利：与销售排行、毛利报表同一口径、同一期间；订单：期间内新建的销售订单数。',
    en: "Sales and margin: the sales-ranking and gross-margin reports' figures, on their basis, for the same period; orders: sales orders created in the period.",
  },
  todayOrders: { zh: '今日订单', en: "Today's orders" },
  todaySales: { zh: '今日销售额', en: "Today's sales" },
  monthOrders: { zh: '本月订单', en: "This month's orders" },
  monthSales: { zh: '本月销售额', en: "This month's sales" },
  monthMargin: { zh: '本月毛利', en: "This month's margin" },
  unapproved: { zh: '待审批订单', en: 'Orders to approve' },
  waitingForMe: { zh: '待我审批', en: 'Waiting for me' },
  overdue: { zh: '逾期应收', en: 'Overdue receivables' },
  dailyTrend: { zh: '近 30 天销售趋势', en: 'Sales, last 30 days' },
  monthlyTrend: { zh: '近 12 个月销售趋势', en: 'Sales, last 12 months' },
  topProducts: { zh: '本月产品销售 TOP 10', en: 'Top 10 products this month' },
  topCustomers: { zh: '本月客户销售 TOP 10', en: 'Top 10 customers this month' },
  stuckPayments: { zh: '待收款（按环节）', en: 'Stuck payments by step' },
  aging: { zh: '应收账龄', en: 'Receivables aging' },
  sales: { zh: '销售额', en: 'Sales' },
  orders: { zh: '订单数', en: 'Orders' },
  amountDue: { zh: '应收未收', en: 'Amount due' },
  amount: { zh: '金额', en: 'Amount' },
  ordersUnit: { zh: '张', en: 'orders' },
  clickHint: { zh: '点击图形或标题查看明细', en: 'Click a bar or a heading for the list behind it' },
} satisfies Record<string, Words>;
