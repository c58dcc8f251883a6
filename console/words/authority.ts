import type { Term } from './index.js';

/** The authority page's (权限管理) fields and the roles' names. */
export const AUTHORITY_WORDS: Record<string, Term> = {
  userName: { zh: '用户', en: 'User' },
  userRole: { zh: '角色', en: 'Role', kind: 'code' },
  orderApproval: { zh: '订单审核权限', en: 'Order approval' },
  seniorApproval: { zh: '高级审核', en: 'Senior', kind: 'flag' },
  approvalMaxAmount: { zh: '审核金额上限', en: 'Approves up to', kind: 'money' },
  creditControllerFlag: { zh: '信用管理员', en: 'Credit controller', kind: 'flag' },
  writeOffApproval: { zh: '坏账核销审批', en: 'Write-off approval' },
  writeOffMaxAmount: { zh: '核销金额上限', en: 'Writes off up to', kind: 'money' },
  seniorThreshold: { zh: '高级审核起点金额', en: 'Senior approval above', kind: 'money' },
  'role.clerk': { zh: '业务员', en: 'Clerk' },
  'role.approver': { zh: '审批人', en: 'Approver' },
  'role.credit_controller': { zh: '信用管理员', en: 'Credit controller' },
  'role.warehouse': { zh: '仓管', en: 'Warehouse' },
  'role.finance': { zh: '财务', en: 'Finance' },
  'role.admin': { zh: '系统管理员', en: 'Administrator' },
};
