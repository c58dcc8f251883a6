-- The company header every printed document carries (抬头): name, address, tax id (纳税人识别号), phone.
-- Demo values a company replaces with its own; a value already set is kept.
INSERT INTO company_settings (key, value) VALUES
  ('company.name', '"示例销售有限公司 Demo Sales Co., Ltd."'),
  ('company.address', '"上海市浦东新区世纪大道 100 号 100 Century Avenue, Pudong, Shanghai"'),
  ('company.tax_id', '"91310000MA1DEMO00X"'),
  ('company.phone', '"+86 21 5000 0000"')
ON CONFLICT (key) DO NOTHING;
