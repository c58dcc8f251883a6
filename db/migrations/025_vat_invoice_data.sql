-- Issue 19: VAT invoice data (增值税发票). What finance records on an invoice once the tax system
-- (金税 / 电子税务局) has issued it, the buyer's details it was issued to, and the customer master's
-- defaults for them. The rules (types, the unified social credit code, 专票 needs a tax id) are in
-- domain/vat-invoice.ts; the columns only hold what those rules let through.

ALTER TABLE customers
  ADD COLUMN invoice_address text CHECK (length(invoice_address) <= 200),   -- 地址、电话 as printed on a 专票
  ADD COLUMN bank_name       text CHECK (length(bank_name) <= 100),         -- 开户行
  ADD COLUMN bank_account    text CHECK (length(bank_account) <= 60);       -- 账号

ALTER TABLE invoices
  ADD COLUMN vat_type           text CHECK (vat_type IN ('special', 'ordinary', 'e_special', 'e_ordinary')),
  ADD COLUMN buyer_tax_id       text CHECK (length(buyer_tax_id) = 18),
  ADD COLUMN buyer_address      text CHECK (length(buyer_address) <= 200),
  ADD COLUMN buyer_bank_name    text CHECK (length(buyer_bank_name) <= 100),
  ADD COLUMN buyer_bank_account text CHECK (length(buyer_bank_account) <= 60),
  -- The number and date the tax system gave the invoice; one number is one invoice, ever.
  ADD COLUMN tax_number         text UNIQUE CHECK (tax_number ~ '^[0-9]{8,20}$'),
  ADD COLUMN tax_date           date,
  ADD COLUMN tax_data_by        text,
  ADD COLUMN tax_data_at        timestamptz,
  ADD CONSTRAINT invoice_tax_number_with_date CHECK ((tax_number IS NULL) = (tax_date IS NULL)),
  ADD CONSTRAINT invoice_special_names_buyer CHECK (vat_type IS NULL OR vat_type NOT IN ('special', 'e_special') OR buyer_tax_id IS NOT NULL);
