-- Every fact with the document it came from, in fixed prices and per invånare, and whether
-- its document is the latest one stating that organisation in its slice (document, actor,
-- kind, measure, year, period): a nämnd's adopted budget for 2025 is read from the latest
-- Mål och budget that states it, even when another nämnd is restated only in an older one.
-- (Lines mapped to proposals are chosen line by line instead: see proposal_lines.)
-- `in_total`: a document may state an organisation twice, as one line in the table of
-- nämnder and again split into verksamheter on another sheet; only the table with the
-- fewest lines for that organisation (its total level) counts in sums, the other is detail.
with docs as (
    select doc_id, file_name, period as doc_period, loaded_at, doc_year as document_year
    from documents
),

rows as (
    select
        f.doc_id,
        coalesce(f.doc_year, d.document_year) as doc_year,
        d.doc_period,
        d.file_name as doc_file,
        d.loaded_at,
        f.year,
        f.document,
        f.actor,
        f.budget_kind,
        f.period,
        f.organisation,
        f.line_item,
        f.measure,
        cast(f.amount_sek as double) as amount_sek,
        f.source_file,
        f.source_sheet,
        f.source_cell
    from fact_rows as f
    left join docs as d using (doc_id)
),

-- The facts grouped once per document, slice, organisation and sheet (few groups, however
-- many facts); recency and in_total are ranked on these groups and joined to the facts in
-- one join. Read from fact_rows again rather than from `rows`, which would then be
-- materialised: a second scan costs less than keeping every fact in memory.
groups as (
    select
        f.doc_id, coalesce(f.doc_year, d.document_year) as doc_year, d.doc_period, d.loaded_at,
        f.document, f.actor, f.budget_kind, f.measure, f.year, f.period, f.organisation,
        coalesce(f.source_sheet, '') as sheet_key, count(*) as n_lines
    from fact_rows as f
    left join docs as d using (doc_id)
    group by all
),

doc_rank as (
    select
        doc_id,
        document,
        actor,
        budget_kind,
        measure,
        year,
        coalesce(period, '') as period_key,
        organisation,
        row_number() over (
            partition by document, actor, budget_kind, measure, year, coalesce(period, ''),
                organisation
            order by doc_year desc nulls last, doc_period desc nulls last, loaded_at desc, doc_id
        ) as recency
    from (
        select distinct doc_id, doc_year, doc_period, loaded_at, document, actor, budget_kind,
            measure, year, period, organisation
        from groups
    )
),

sheet_rank as (
    select
        doc_id, document, actor, budget_kind, measure, year, period_key, organisation,
        sheet_key,
        row_number() over (
            partition by doc_id, document, actor, budget_kind, measure, year, period_key,
                organisation
            order by n_lines, sheet_key
        ) = 1 as in_total
    from (
        select
            doc_id, document, actor, budget_kind, measure, year,
            coalesce(period, '') as period_key,
            organisation,
            sheet_key,
            sum(n_lines) as n_lines
        from groups
        group by all
    )
),

flags as (
    select t.*, k.recency = 1 as is_latest
    from sheet_rank as t
    join doc_rank as k
        on t.doc_id = k.doc_id
        and t.document = k.document
        and t.actor = k.actor
        and t.budget_kind = k.budget_kind
        and t.measure = k.measure
        and t.year = k.year
        and t.period_key = k.period_key
        and t.organisation = k.organisation
),

population as (
    select year, invanare from ref_population where is_total
),

-- Price index and population (the latest count at or before the year) once per year of the
-- facts, not once per fact: an as-of join over every fact took half of this mart's time.
year_ref as (
    select y.year, p.index_value, p.base_year, p.base_index, pop.invanare
    from (select distinct year from groups) as y
    left join (
        select year, index_value, base_year,
            max(index_value) filter (where year = base_year) over () as base_index
        from ref_price_index
    ) as p on y.year = p.year
    asof left join population as pop on y.year >= pop.year
),

priced as (
    select
        r.*,
        t.is_latest,
        t.in_total,
        p.base_year as fixed_base_year,
        case when p.index_value > 0 then r.amount_sek * p.base_index / p.index_value end
            as amount_fixed_sek,
        p.invanare
    from rows as r
    join flags as t
        on r.doc_id = t.doc_id
        and r.document = t.document
        and r.actor = t.actor
        and r.budget_kind = t.budget_kind
        and r.measure = t.measure
        and r.year = t.year
        and coalesce(r.period, '') = t.period_key
        and r.organisation = t.organisation
        and coalesce(r.source_sheet, '') = t.sheet_key
    left join year_ref as p on r.year = p.year
),

final as (
    select
        *,
        amount_sek / nullif(invanare, 0) as amount_per_invanare,
        amount_fixed_sek / nullif(invanare, 0) as amount_fixed_per_invanare
    from priced
)

select * from final
