-- Supplier payments (leverantörsreskontra): one row per payment with lineage.
create table if not exists payment_rows (
    doc_id varchar not null,
    date date,                          -- the payment's date, when the file has one
    period varchar,                     -- YYYY-MM; from the date or the file's period column
    year integer not null,
    quarter integer,                    -- 1-4, null when only the year is known
    organisation varchar,               -- nämnd/förvaltning, the registry's name where known
    konto varchar,
    kontotext varchar,
    supplier varchar,
    org_nr varchar,                     -- NNNNNN-NNNN where the file gave 10 digits
    invoice varchar,
    amount_sek decimal(18, 2) not null,
    source_file varchar not null,
    source_sheet varchar,
    source_row integer not null,        -- the row (CSV: line) in the source file or sheet
    source_column varchar not null      -- the amount's column letter; the view makes H12
);
-- Databases made before the cell was derived in the view stored it per row.
alter table payment_rows drop column if exists source_cell;
alter table payment_rows add column if not exists source_column varchar;

-- The classification rules as loaded from data/suppliers/rules.csv at the last (re)classify.
create table if not exists supplier_rules (
    rule_id varchar primary key,
    priority integer not null,
    category varchar not null,
    name_pattern varchar,
    orgnr_pattern varchar,
    konto_from integer,
    konto_to integer,
    registry_kind varchar,
    note varchar
);

-- One category per distinct (org.nr, supplier, konto); rebuilt after every load and rule change.
create table if not exists payment_classes (
    org_nr varchar not null,
    supplier varchar not null,
    konto varchar not null,
    category varchar not null,
    rule_id varchar
);

create or replace view payments as
select p.date, p.period, p.year, p.quarter, p.organisation, p.konto, p.kontotext, p.supplier,
       p.org_nr, p.invoice, p.amount_sek,
       coalesce(c.category, 'oklassad') as category, c.rule_id as category_rule,
       p.source_file, p.source_sheet, p.source_row,
       p.source_column || p.source_row as source_cell
from payment_rows p
left join payment_classes c
    on c.org_nr = coalesce(p.org_nr, '')
   and c.supplier = coalesce(p.supplier, '')
   and c.konto = coalesce(p.konto, '');

-- The page's aggregate (see payments/sql/summary.sql), rebuilt with the classes.
create table if not exists payment_summary (
    year integer,
    quarter integer,
    organisation varchar,
    category varchar,
    category_rule varchar,
    supplier varchar,
    org_nr varchar,
    amount_sek decimal(38, 2),
    payments bigint
);
