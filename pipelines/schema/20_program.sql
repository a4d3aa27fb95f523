-- The action program as data: one row per proposal (bullet or prose position), the bodies
-- each names by role, and the near-duplicate pairs found on import. A new version of the
-- program replaces all rows; proposal ids are stable across versions.
create table if not exists proposal_rows (
    proposal_id varchar not null,        -- '<section>--[<topic>--]<opening words>'
    doc_id varchar not null,             -- the program document it was read from
    section varchar not null,
    topic varchar,                       -- sub-heading inside a section (prose positions)
    title varchar not null,              -- the leading verb phrase
    text varchar not null,               -- full text without the responsibility bracket
    level varchar not null,              -- kommun, stat_region
    kind varchar not null,               -- bullet, position
    decision_body varchar,
    decision_how varchar,                -- "genom mål och budget", as the bracket says it
    executing_bodies varchar[] not null,
    local_bodies varchar[] not null,
    kommundel_relevant boolean not null,
    ordinal integer not null,            -- position in the document, 1 = first
    bracket varchar                      -- the bracket as published
);
-- Bodies a prose position names in its text ("genom Telge Inköp"); added after the first
-- version of the table, hence the alter for databases made before.
alter table proposal_rows add column if not exists mentioned_bodies varchar[];

create table if not exists proposal_body_rows (
    proposal_id varchar not null,
    body varchar not null,               -- the registry's name; as published when unknown
    role varchar not null,               -- decision, executing, local, mentioned
    published_name varchar not null,
    known boolean not null,              -- false: no registry entry matches (reported)
    ordinal integer not null             -- order within the bracket
);

create table if not exists proposal_near_duplicate_rows (
    proposal_id varchar not null,
    similar_proposal_id varchar not null,
    score double not null                -- rapidfuzz ratio, 0–100
);

create or replace view proposals as
select proposal_id, section, title, text, level, decision_body, executing_bodies,
       local_bodies, kommundel_relevant, kind, topic, decision_how, ordinal,
       coalesce(mentioned_bodies, []::varchar[]) as mentioned_bodies
from proposal_rows;

create or replace view proposal_bodies as
select proposal_id, body, role, published_name, known, ordinal
from proposal_body_rows;

create or replace view proposal_near_duplicates as
select proposal_id, similar_proposal_id, score
from proposal_near_duplicate_rows;
