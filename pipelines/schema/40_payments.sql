-- Supplier payments (leverantörsreskontra): one row per payment with lineage, in three tables.
-- The names a ledger repeats on every row (nämnd, konto, kontotext, leverantör, org.nr) are
-- stored once per distinct combination in payment_lines, and what is the same for every row
-- of one table in one file (the document, file name, sheet and amount column) once in
-- payment_sources; each payment in payment_entries points at its line and its source. DuckDB
-- spends about 0.1 s per million strings and text column on a write, even when every string
-- is the same, and a tenth of that on numbers. The view `payments` below puts it all back.
create table if not exists payment_lines (
    line_id integer not null,
    organisation varchar,               -- nämnd/förvaltning, the registry's name where known
    konto varchar,
    kontotext varchar,
    supplier varchar,
    org_nr varchar                      -- NNNNNN-NNNN where the file gave 10 digits
);

create table if not exists payment_sources (
    source_id integer not null,
    doc_id varchar not null,
    source_file varchar not null,
    source_sheet varchar,               -- null for a CSV file
    source_column varchar               -- the amount's column letter; the view makes H12
);

create table if not exists payment_entries (
    source_id integer not null,         -- payment_sources
    source_row integer not null,        -- the row (CSV: line) in the source file or sheet
    date date,                          -- the payment's date, when the file has one
    period varchar,                     -- YYYY-MM of a row without a date (else the date's month)
    year integer not null,
    quarter integer,                    -- 1-4, null when only the year is known
    line_id integer not null,           -- payment_lines
    invoice varchar,                    -- the invoice number as text, unless invoice_no holds it:
    invoice_no bigint,                  -- a file whose numbers are all plain (no leading zero)
    amount_sek decimal(18, 2) not null
);

-- Databases made before payment_sources kept the source per row, in payment_facts (and
-- before payment_lines every name too, in payment_rows). Those tables stay only so that the
-- statements below can move their rows on, rows -> facts -> entries; they are empty after.
create table if not exists payment_facts (
    doc_id varchar not null,
    date date,                          -- the payment's date, when the file has one
    period varchar,                     -- YYYY-MM of a row without a date (else the date's month)
    year integer not null,
    quarter integer,                    -- 1-4, null when only the year is known
    line_id integer not null,           -- payment_lines
    invoice varchar,                    -- the invoice number as text, unless invoice_no holds it:
    invoice_no bigint,                  -- a file whose numbers are all plain (no leading zero)
    amount_sek decimal(18, 2) not null,
    source_file varchar not null,
    source_sheet varchar,
    source_row integer not null,        -- the row (CSV: line) in the source file or sheet
    source_column varchar               -- the amount's column letter; the view makes H12
);

-- Databases made before payment_lines stored every name per row, in payment_rows. The table
-- stays only so that these statements can move its rows; it is empty afterwards.
create table if not exists payment_rows (
    doc_id varchar not null,
    date date,
    period varchar,
    year integer not null,
    quarter integer,
    organisation varchar,
    konto varchar,
    kontotext varchar,
    supplier varchar,
    org_nr varchar,
    invoice varchar,
    amount_sek decimal(18, 2) not null,
    source_file varchar not null,
    source_sheet varchar,
    source_row integer not null,
    source_column varchar
);
alter table payment_rows drop column if exists source_cell;
alter table payment_rows add column if not exists source_column varchar;
insert into payment_lines
select
    (select coalesce(max(line_id), 0) from payment_lines) + row_number() over (),
    organisation, konto, kontotext, supplier, org_nr
from (
    select organisation, konto, kontotext, supplier, org_nr from payment_rows
    except
    select organisation, konto, kontotext, supplier, org_nr from payment_lines
);
insert into payment_facts
select p.doc_id, p.date, case when p.date is null then p.period end, p.year, p.quarter,
       l.line_id, p.invoice, null, p.amount_sek, p.source_file, p.source_sheet, p.source_row,
       p.source_column
from payment_rows p
join payment_lines l
    on p.organisation is not distinct from l.organisation
   and p.konto is not distinct from l.konto
   and p.kontotext is not distinct from l.kontotext
   and p.supplier is not distinct from l.supplier
   and p.org_nr is not distinct from l.org_nr;
delete from payment_rows;
insert into payment_sources
select
    (select coalesce(max(source_id), 0) from payment_sources)
        + row_number() over (order by doc_id, source_file, source_sheet, source_column),
    doc_id, source_file, source_sheet, source_column
from (
    select distinct doc_id, source_file, source_sheet, source_column from payment_facts
    except
    select doc_id, source_file, source_sheet, source_column from payment_sources
);
insert into payment_entries
select s.source_id, f.source_row, f.date, f.period, f.year, f.quarter, f.line_id, f.invoice,
       f.invoice_no, f.amount_sek
from payment_facts f
join payment_sources s
    on s.doc_id = f.doc_id
   and s.source_file = f.source_file
   and s.source_sheet is not distinct from f.source_sheet
   and s.source_column is not distinct from f.source_column;
delete from payment_facts;

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
select p.date, coalesce(p.period, strftime(p.date, '%Y-%m')) as period, p.year, p.quarter,
       l.organisation, l.konto, l.kontotext, l.supplier, l.org_nr,
       coalesce(p.invoice, cast(p.invoice_no as varchar)) as invoice, p.amount_sek,
       coalesce(c.category, 'oklassad') as category, c.rule_id as category_rule,
       s.source_file, s.source_sheet, p.source_row,
       s.source_column || p.source_row as source_cell
from payment_entries p
join payment_sources s on s.source_id = p.source_id
join payment_lines l on l.line_id = p.line_id
left join payment_classes c
    on c.org_nr = coalesce(l.org_nr, '')
   and c.supplier = coalesce(l.supplier, '')
   and c.konto = coalesce(l.konto, '');

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
