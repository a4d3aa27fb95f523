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

-- One amount per row with lineage; the facts view below is the data contract.
create table if not exists fact_rows (
    doc_id varchar not null,
    doc_year integer,
    year integer not null,
    document varchar not null,
    actor varchar not null,
    budget_kind varchar not null,
    period varchar,
    organisation varchar not null,
    line_item varchar,
    measure varchar not null,
    amount_sek decimal(18, 2) not null,
    source_file varchar not null,
    source_sheet varchar,
    source_cell varchar
);

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
