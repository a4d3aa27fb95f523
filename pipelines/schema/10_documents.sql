-- Documents ingested, one row per file content (sha256), with what was recognised.
create table if not exists documents (
    doc_id varchar primary key,          -- sha256 of the file's bytes
    file_name varchar not null,          -- the name as given, never used as a path
    archive_path varchar,                -- where the raw file is kept, relative to the database
    importer varchar not null,           -- program, workbook, payments, statistics, ...
    document varchar,                    -- budget, forslag, delarsrapport, bokslut, statistik, program
    doc_year integer,
    period varchar,
    actor varchar,
    identity varchar,                    -- same identity = a new version of the same document
    is_demo boolean not null default false,
    loaded_at timestamp not null default current_timestamp,
    report json
);

-- Facts, stored in three tables so that what is shared is written once (see
-- pipelines/sources/store.py): what a source column means, a source row, and one amount per
-- column and row. fact_rows joins them into one amount per row with its A1 source cell.
create table if not exists fact_columns (
    col_id bigint not null,
    doc_id varchar not null,
    doc_year integer,
    year integer not null,
    document varchar not null,
    actor varchar not null,
    budget_kind varchar not null,
    period varchar,
    measure varchar not null,
    source_file varchar not null,
    source_sheet varchar,
    source_col varchar                  -- column letter; a whole reference when not A1
);

create table if not exists fact_lines (
    line_id bigint not null,
    doc_id varchar not null,
    organisation varchar not null,
    line_item varchar,
    kommundel varchar,                  -- where an investment project lies, when stated
    source_row integer                  -- 1-based sheet row; null when not A1
);

create table if not exists fact_amounts (
    col_id bigint not null,
    line_id bigint not null,
    amount_sek decimal(18, 2) not null
);

create or replace view fact_rows as
select c.doc_id, c.doc_year, c.year, c.document, c.actor, c.budget_kind, c.period,
       l.organisation, l.line_item, c.measure, a.amount_sek, c.source_file, c.source_sheet,
       c.source_col || coalesce(cast(l.source_row as varchar), '') as source_cell,
       l.kommundel, a.col_id, a.line_id
from fact_amounts as a
join fact_columns as c on c.col_id = a.col_id
join fact_lines as l on l.line_id = a.line_id;

-- One amount per row with lineage: the data contract.
create or replace view facts as
select doc_year, year, document, actor, budget_kind, period, organisation, line_item,
       measure, amount_sek, source_file, source_sheet, source_cell
from fact_rows;

-- Goal assessments from delårsrapporter and bokslut; the goals view is the data contract.
create table if not exists goal_rows (
    doc_id varchar not null,
    doc_year integer,
    period varchar,
    organisation varchar,
    goal varchar not null,
    assessment varchar not null,        -- grön, gul, röd, ej bedömd
    analysis varchar,
    source_file varchar not null,
    source_sheet varchar,
    source_cell varchar
);

create or replace view goals as
select doc_year, period, organisation, goal, assessment, analysis, source_file, source_cell,
       source_sheet
from goal_rows;
