-- Workbook importer (budget, forslag, delarsrapport, bokslut): what it adds to the schema.

-- A newer version of the same document (same identity) replaced this one's facts.
alter table documents add column if not exists replaced_by varchar;

-- Per table and total row: do the source's line items add up to its own total?
create table if not exists table_reconciliations (
    doc_id varchar not null,
    source_file varchar not null,
    source_sheet varchar,
    table_range varchar,                 -- A1 range of the table, header included
    total_label varchar,                 -- the total row's label as published
    total_cell varchar,                  -- A1 cell of the total
    measure varchar,
    year integer,
    period varchar,
    expected_sek decimal(18, 2),         -- the source's total, in kronor
    computed_sek decimal(18, 2),         -- the sum of the line items it covers
    difference_sek decimal(18, 2),       -- expected - computed
    terms integer,                       -- how many line items were added
    status varchar not null              -- ok, avrundning, differens, ej kontrollerad (felvärde)
);
