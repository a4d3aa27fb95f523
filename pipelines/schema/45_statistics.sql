-- Official statistics (SCB Räkenskapssammandraget via PxWeb, Kolada) as read, one cell a row.
-- Net cost per verksamhet for a kommun also becomes a fact (document = 'statistik'); the row
-- here keeps what the facts contract has no column for: kommunkod, codes, status flags.
create table if not exists stat_rows (
    doc_id varchar not null,
    source varchar not null,             -- 'SCB', 'Kolada', or 'DEMO' for invented series
    dataset varchar,                     -- table id (TAB4199), KPI id, or the file's own name
    retrieved date,                      -- when the file was fetched (date in its name), else null
    published varchar,                   -- the publisher's own 'updated' stamp, when given
    region_code varchar,                 -- kommunkod (4 digits), län (2), riket '00'
    region_name varchar,
    item_code varchar,                   -- verksamhetskod, or null for KPIs
    item_label varchar,
    measure_code varchar,                -- ContentsCode or KPI id
    measure_label varchar,
    unit varchar,
    year integer,
    period varchar,                      -- the time code as published when not a plain year
    gender varchar,                      -- T (total), K (kvinnor), M (män); null when not split
    value double,                        -- as published; null when missing
    amount_sek decimal(18, 2),           -- money in kronor (value × unit scale), else null
    status varchar,                      -- the publisher's flag ('..', 'p', 'Missing', ...)
    kind varchar not null,               -- netto (net cost), money (other amounts), indicator
    is_total boolean not null default false,  -- a 'TOTALT'/'SUMMA' row of the source
    in_facts boolean not null default false,  -- stored as a fact too
    source_cell varchar not null
);

-- Kommuner seen in statistics: kommunkod → name (data/kommuner.csv, else the file's label).
create table if not exists kommuner (
    kommunkod varchar primary key,
    name varchar not null,
    organisation varchar not null,       -- the name used in facts.organisation
    name_source varchar
);

-- KPI titles and units from Kolada's metadata responses and data/indicators/links.csv.
create table if not exists kpi_catalogue (
    kpi varchar primary key,
    title varchar,
    unit varchar,
    source varchar
);

create or replace view indicators as
select
    s.measure_code as kpi,
    coalesce(s.measure_label, c.title) as kpi_title,
    s.region_code as municipality_code,
    coalesce(k.name, s.region_name) as municipality,
    s.item_code,
    s.item_label,
    s.year,
    s.period,
    coalesce(s.gender, 'T') as gender,
    s.value,
    s.status,
    coalesce(s.unit, c.unit) as unit,
    s.source,
    s.dataset,
    s.retrieved,
    s.source_cell,
    d.file_name as source_file,
    d.is_demo
from stat_rows s
left join kpi_catalogue c on c.kpi = s.measure_code
left join kommuner k on k.kommunkod = s.region_code
left join documents d on d.doc_id = s.doc_id
where s.kind = 'indicator';
